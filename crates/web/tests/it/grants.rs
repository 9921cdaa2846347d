//! The data grants page (数据授权, `/work/grants`) and its API: a lead asks for another
//! department's confidential series, the owning department gives and revokes it from the page,
//! the office records one from a letter; who sees and decides what is the app's, a unit is
//! refused.
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::http::StatusCode;
use common::{Reply, Site, site};
use serde_json::json;

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") }).collect()
}

/// A page's text with the HTML escapes of attribute values undone.
fn html(r: &Reply) -> String {
    r.text().replace("&#x2f;", "/").replace("&quot;", "\"").replace("&#x27;", "'")
}

/// A confidential series of 省统计局 (TJJ) that measure 3 (led by 省工业和信息化厅, GXT) has no
/// grant for yet.
async fn tjj_secret(s: &Site, year: i32) -> String {
    let taken: Vec<String> = s
        .app
        .grants(Some(year))
        .await
        .unwrap()
        .into_iter()
        .filter(|g| g.measure == 3 && g.grantee == "GXT")
        .map(|g| g.series)
        .collect();
    let catalogue = s.app.catalogue().await.unwrap();
    let series = catalogue.all_series().find(|x| !x.public && x.owner == "TJJ" && !taken.contains(&x.code));
    series.expect("a confidential series of TJJ in the catalogue").code.clone()
}

/// The row of grant `id` on a grants page.
fn row(page: &str, id: i64) -> String {
    let at = page.find(&format!("id=\"grant-{id}\"")).unwrap_or_else(|| panic!("no grant {id} in {page}"));
    let row = &page[at..];
    row[..row.find("</tr>").unwrap()].to_string()
}

/// The id in a redirect to the grants page (`…&id=7`).
fn id_in(r: &Reply) -> i64 {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.header("location");
    assert!(to.starts_with("/work/grants?"), "{to}");
    to.rsplit("id=").next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_lead_asks_the_owner_gives_and_revokes_from_the_page() {
    let s = site().await;
    let year = s.app.programme(None).await.unwrap().year;
    let series = tjj_secret(&s, year).await;
    let gxt = s.login("demo-gxt").await;
    let page = s.get_as(&gxt, "/work/grants").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = html(&page);
    assert!(page.contains("id=\"request-form\"") && !page.contains("id=\"record-form\""), "a lead asks, not records");
    assert!(page.contains(&format!("<option value=\"{series}\"")), "the lead may pick {series}");

    // Asked without a reason: the app's words on the page, nothing stored.
    let before = s.app.grants(Some(year)).await.unwrap().len();
    let r =
        s.post_form(&gxt, "/work/grants", &format!("form=request&year={year}&measure=3&series={series}&reason=")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&r).contains("须写明理由"), "{}", html(&r));
    assert_eq!(s.app.grants(Some(year)).await.unwrap().len(), before);

    // Asked with a reason: pending.
    let reason = urlencode("用于测算中小企业贷款覆盖面，公开数据项中没有同口径指标");
    let r = s
        .post_form(&gxt, "/work/grants", &format!("form=request&year={year}&measure=3&series={series}&reason={reason}"))
        .await;
    let id = id_in(&r);
    let page = html(&s.get_as(&gxt, &r.header("location")).await);
    assert!(page.contains("已申请数据授权"), "{page}");
    let pending = row(&page, id);
    assert!(pending.contains("待授权") && pending.contains(&series) && pending.contains("省统计局"), "{pending}");
    assert!(!pending.contains("<form"), "the lead cannot decide its own request: {pending}");
    // Asked again: refused, the first request named.
    let again = s
        .post_form(&gxt, "/work/grants", &format!("form=request&year={year}&measure=3&series={series}&reason={reason}"))
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&again).contains("不必重复申请"));

    // The lead posting a decision anyway: refused by the app.
    let r = s.post_form(&gxt, &format!("/work/grants/{id}"), "decision=grant&basis=x").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let stored = s.app.grants(Some(year)).await.unwrap().into_iter().find(|g| g.id == id).unwrap();
    assert_eq!(stored.status, jili_model::GrantStatus::Requested);

    // 省统计局 sees it with its buttons; without a basis it is refused on the page.
    let tjj = s.login("demo-tjj").await;
    let page = html(&s.get_as(&tjj, "/work/grants").await);
    let pending = row(&page, id);
    assert!(pending.contains(&format!("action=\"/work/grants/{id}\"")), "{pending}");
    assert!(pending.contains("value=\"grant\"") && pending.contains("value=\"decline\""), "{pending}");
    assert!(!page.contains("id=\"request-form\""), "a provider leads no measure");
    let r = s.post_form(&tjj, &format!("/work/grants/{id}"), "decision=grant&basis=%20").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&r).contains("须写明依据"));
    let basis = urlencode("湘统函〔2024〕8号");
    let r = s.post_form(&tjj, &format!("/work/grants/{id}"), &format!("decision=grant&basis={basis}")).await;
    assert_eq!(id_in(&r), id);
    let page = html(&s.get_as(&tjj, &r.header("location")).await);
    assert!(page.contains("已同意数据授权"));
    let granted = row(&page, id);
    assert!(granted.contains("已授权") && granted.contains("湘统函〔2024〕8号"), "{granted}");
    assert!(granted.contains("value=\"revoke\"") && !granted.contains("value=\"grant\""), "{granted}");
    // The lead sees it granted, still without buttons.
    let seen = row(&html(&s.get_as(&gxt, "/work/grants").await), id);
    assert!(seen.contains("已授权") && !seen.contains("<form"), "{seen}");

    // A decision that does not follow: refused with the store's words.
    let r = s.post_form(&tjj, &format!("/work/grants/{id}"), "decision=decline&basis=x").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&r).contains("不能改为"), "{}", html(&r));
    let r = s.post_form(&tjj, &format!("/work/grants/{id}"), "decision=maybe&basis=x").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Revoked.
    let why = urlencode("方案改用公开数据项，不再需要");
    let r = s.post_form(&tjj, &format!("/work/grants/{id}"), &format!("decision=revoke&basis={why}")).await;
    assert_eq!(id_in(&r), id);
    let revoked = row(&html(&s.get_as(&gxt, "/work/grants").await), id);
    assert!(revoked.contains("已撤销") && revoked.contains("方案改用公开数据项"), "{revoked}");
    let stored = s.app.grants(Some(year)).await.unwrap().into_iter().find(|g| g.id == id).unwrap();
    assert_eq!(stored.status, jili_model::GrantStatus::Revoked);
    assert!(stored.decided_by.starts_with("demo-tjj"), "{}", stored.decided_by);

    // The page in English says the same.
    let en = html(&s.get_as(&gxt, "/work/grants?lang=en").await);
    assert!(row(&en, id).contains("Revoked") && !en.contains("work_grant"), "every word translated");

    // Without the form token: refused.
    let stale = common::Session { csrf: String::new(), ..tjj.clone() };
    assert_eq!(
        s.post_form(&stale, &format!("/work/grants/{id}"), "decision=revoke&basis=x").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_office_records_a_grant_and_sees_every_grant() {
    let s = site().await;
    let year = s.app.programme(None).await.unwrap().year;
    let series = tjj_secret(&s, year).await;
    let office = s.login("demo-office").await;
    let page = html(&s.get_as(&office, "/work/grants").await);
    assert!(page.contains("id=\"record-form\""));
    let all = s.app.grants(Some(year)).await.unwrap();
    assert!(!all.is_empty(), "the demo recorded grants");
    for g in &all {
        assert!(page.contains(&format!("id=\"grant-{}\"", g.id)), "the office sees grant {}", g.id);
    }
    // Recorded without the letter: refused; with it: granted to the measure's lead.
    let r = s
        .post_form(&office, "/work/grants", &format!("form=record&year={year}&measure=3&series={series}&basis="))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&r).contains("须写明依据"));
    let letter = urlencode("湘统函〔2024〕9号");
    let r = s
        .post_form(
            &office,
            "/work/grants",
            &format!("form=record&year={year}&measure=3&series={series}&basis={letter}"),
        )
        .await;
    let id = id_in(&r);
    let page = html(&s.get_as(&office, &r.header("location")).await);
    assert!(page.contains("已登记数据授权"));
    let recorded = row(&page, id);
    assert!(recorded.contains("已授权") && recorded.contains("省工业和信息化厅"), "{recorded}");
    // A public series needs no grant: the app's words.
    let r = s
        .post_form(&office, "/work/grants", &format!("form=record&year={year}&measure=3&series=GDP&basis={letter}"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&r).contains("不需要数据授权"));

    // A provider sees only what touches its department.
    let tjj = s.login("demo-tjj").await;
    let page = html(&s.get_as(&tjj, "/work/grants").await);
    for g in &all {
        let mine = g.owner == "TJJ" || g.grantee == "TJJ";
        assert_eq!(page.contains(&format!("id=\"grant-{}\"", g.id)), mine, "grant {} to TJJ", g.id);
    }
    // The auditor reads everything and decides nothing.
    let audit = s.login("demo-audit").await;
    let page = html(&s.get_as(&audit, "/work/grants").await);
    assert!(page.contains(&format!("id=\"grant-{id}\"")) && !page.contains("action=\"/work/grants/"));
}

#[tokio::test]
async fn a_unit_and_the_public_are_refused() {
    let s = site().await;
    let unit = s.login("demo-changsha").await;
    let r = s.get_as(&unit, "/work/grants").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = s.post_form(&unit, "/work/grants", "form=request&measure=3&series=X&reason=y").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let token = s.api_token("demo-changsha").await;
    assert_eq!(s.get_json(&token, "/api/grants").await.status, StatusCode::FORBIDDEN);
    // The public is asked to log in.
    let r = s.get("/work/grants").await;
    assert!(matches!(r.status, StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED), "{}", r.status);
    assert_eq!(s.get("/api/grants").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_dashboard_links_the_page_for_the_office_leads_and_providers() {
    let s = site().await;
    for (who, shown) in [("demo-office", true), ("demo-gxt", true), ("demo-tjj", true), ("demo-changsha", false)] {
        let session = s.login(who).await;
        let page = html(&s.get_as(&session, "/work").await);
        assert_eq!(page.contains("href=\"/work/grants\""), shown, "{who}");
    }
}

#[tokio::test]
async fn the_api_asks_decides_and_lists() {
    let s = site().await;
    let year = s.app.programme(None).await.unwrap().year;
    let series = tjj_secret(&s, year).await;
    let gxt = s.api_token("demo-gxt").await;
    let r = s
        .post_json(
            Some(&gxt),
            "/api/grants",
            json!({"measure": 3, "series": series, "reason": "测算需要，公开数据项无同口径"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["status"], "requested");
    // Listed for the lead, pending, with the names.
    let list = s.get_json(&gxt, &format!("/api/grants?year={year}")).await;
    assert_eq!(list.status, StatusCode::OK);
    let list = list.json();
    let g = list["grants"].as_array().unwrap().iter().find(|g| g["id"] == id).unwrap().clone();
    assert_eq!((g["status"].as_str(), g["owner_name"].as_str()), (Some("requested"), Some("省统计局")));
    assert_eq!(g["decisions"], json!([]), "the lead decides nothing");
    // The lead cannot decide it; 省统计局 can.
    let r = s.post_json(Some(&gxt), &format!("/api/grants/{id}"), json!({"decision": "grant", "basis": "x"})).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::FORBIDDEN, Some("denied")));
    let tjj = s.api_token("demo-tjj").await;
    let r = s.post_json(Some(&tjj), &format!("/api/grants/{id}"), json!({"decision": "grant", "basis": ""})).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid")));
    let r = s
        .post_json(Some(&tjj), &format!("/api/grants/{id}"), json!({"decision": "grant", "basis": "湘统函〔2024〕8号"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!((r.json()["status"].as_str(), r.json()["decisions"].clone()), (Some("granted"), json!(["revoke"])));
    let r = s.post_json(Some(&tjj), &format!("/api/grants/{id}"), json!({"decision": "nope", "basis": "x"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = s.post_json(Some(&tjj), "/api/grants/999999", json!({"decision": "revoke", "basis": "x"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Every year by default; the office sees it too.
    let office = s.api_token("demo-office").await;
    let all = s.get_json(&office, "/api/grants").await.json();
    let g = all["grants"].as_array().unwrap().iter().find(|g| g["id"] == id).unwrap().clone();
    assert_eq!(g["status"], "granted");
    // Documented.
    let doc = s.get("/api/openapi.json").await.json();
    assert!(doc["paths"]["/api/grants"]["post"].is_object() && doc["paths"]["/api/grants/{id}"]["post"].is_object());
}
