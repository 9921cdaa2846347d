//! The data releases on the portal (定期通报主要指标数据): the list with the calendar, each
//! release's page and its JSON twin agreeing, an older version flagged 已更正 with a link to
//! the newest, the downloads, and results pages citing the release they rest on. The demo makes
//! the four quarterly releases of 2024, corrects the third and makes the annual release.
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::site;
use serde_json::Value;

/// The demo's releases, newest first, from the API.
async fn releases(s: &common::Site) -> Vec<Value> {
    let r = s.get("/api/releases").await;
    assert_eq!(r.status, StatusCode::OK);
    r.json()["releases"].as_array().unwrap().clone()
}

/// The id of the release cut off at `cutoff` with `version`.
fn id_of(all: &[Value], cutoff: &str, version: i64) -> i64 {
    let r = all.iter().find(|r| r["cutoff"] == cutoff && r["version"] == version);
    r.unwrap_or_else(|| panic!("no {cutoff} v{version}"))["id"].as_i64().unwrap()
}

/// The value of `unit` in `period` in a release page's JSON (its selected series).
fn cell(api: &Value, unit: &str, period: &str) -> String {
    let at = api["periods"].as_array().unwrap().iter().position(|p| p == period).unwrap();
    let row = api["rows"].as_array().unwrap().iter().find(|r| r["code"] == unit).unwrap();
    row["values"][at].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_list_shows_every_release_and_the_calendar() {
    let s = site().await;
    let all = releases(&s).await;
    assert_eq!(all.len(), 6, "four quarters, the correction of the third, the annual release");
    let page = s.get("/releases").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    for r in &all {
        assert!(page.contains(&format!("href=\"/releases/{}\"", r["id"])), "{r}");
    }
    let old = id_of(&all, "2024-Q3", 1);
    let new = id_of(&all, "2024-Q3", 2);
    let row = &page[page.find(&format!("data-id=\"{old}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("已更正") && row.contains(&format!("href=\"/releases/{new}\"")), "{row}");
    assert!(row.contains("【演示】"), "demo releases are labelled");
    // The calendar: each quarter of 2024 released, linked to its newest version.
    assert!(page.contains("id=\"calendar-quarterly\"") && page.contains("主要指标数据季度通报"));
    let q3 = &page[page.find("data-calendar=\"quarterly\"").unwrap()..];
    let q3 = &q3[q3.find("data-cutoff=\"2024-Q3\"").unwrap()..];
    assert!(q3[..q3.find("</tr>").unwrap()].contains(&format!("href=\"/releases/{new}\"")));
    // The nav links the list; the API lists the same calendar.
    assert!(page.contains("href=\"/releases\" aria-current=\"page\""));
    let api = s.get("/api/releases").await.json();
    assert_eq!(api["calendar"]["releases"][0]["id"], "quarterly");
    assert_eq!(api["calendar"]["releases"][0]["cutoffs"][2]["state"], "已通报");
}

#[tokio::test]
async fn a_release_page_and_its_api_agree_and_a_corrected_version_points_to_the_newest() {
    let s = site().await;
    let all = releases(&s).await;
    let (old, new) = (id_of(&all, "2024-Q3", 1), id_of(&all, "2024-Q3", 2));
    let api_old = s.get(&format!("/api/releases/{old}?series=GDP_Q")).await.json();
    let api_new = s.get(&format!("/api/releases/{new}?series=GDP_Q")).await.json();
    assert_eq!(api_old["release"]["superseded"], true);
    assert_eq!(api_old["release"]["newest_id"], new);
    assert_eq!(api_new["release"]["superseded"], false);
    assert_eq!(api_new["release"]["reason"].as_str().unwrap().chars().next(), Some('演'));
    // The corrected value differs between the versions; the others are the same.
    assert_ne!(cell(&api_old, "430200", "2024-Q3"), cell(&api_new, "430200", "2024-Q3"));
    assert_eq!(cell(&api_old, "430100", "2024-Q3"), cell(&api_new, "430100", "2024-Q3"));
    assert_eq!(api_new["periods"].as_array().unwrap().len(), 7, "2023-Q1 … 2024-Q3");

    for (id, api) in [(old, &api_old), (new, &api_new)] {
        let page = s.get(&format!("/releases/{id}?series=GDP_Q")).await;
        assert_eq!(page.status, StatusCode::OK);
        let page = page.text();
        // Every value of the API's table is on the page (numbers grouped as the page shows them).
        let zhuzhou = cell(api, "430200", "2024-Q3");
        let row = &page[page.find("data-code=\"430200\"").unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert_eq!(row.matches("<td").count(), 7);
        // The page groups digits (1,321.8); the API gives the value as released (1321.8).
        assert!(row.replace(',', "").contains(&format!(">{zhuzhou}<")), "{zhuzhou} in {row}");
        assert_eq!(page.matches("<tr data-code=").count(), api["rows"].as_array().unwrap().len());
        assert_eq!(page.contains("id=\"superseded\""), id == old, "only the older version is flagged");
    }
    let old_page = s.get(&format!("/releases/{old}")).await.text();
    assert!(old_page.contains(&format!("href=\"/releases/{new}\" id=\"newest\"")));
    // Public series only: the confidential quarterly series is nowhere.
    let list = api_new["series"].as_array().unwrap();
    assert_eq!(list.iter().map(|x| x["code"].as_str().unwrap()).collect::<Vec<_>>(), ["GDP_Q", "RETAIL_SALES_Q"]);
    assert!(!old_page.contains("SME_LOAN_Q") && !old_page.contains("普惠小微"));
    assert_eq!(s.get(&format!("/releases/{new}?series=SME_LOAN_Q")).await.status, StatusCode::NOT_FOUND);
    // Unknown releases say so in Chinese, as pages and as JSON.
    let missing = s.get("/releases/999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text().contains("没有编号为 999 的数据通报"));
    assert_eq!(s.get("/releases/abc").await.status, StatusCode::NOT_FOUND);
    let json = s.get("/api/releases/999").await;
    assert_eq!((json.status, json.json()["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
}

#[tokio::test]
async fn downloads_carry_the_release_and_are_built_once() {
    let s = site().await;
    let all = releases(&s).await;
    let (old, new) = (id_of(&all, "2024-Q3", 1), id_of(&all, "2024-Q3", 2));
    let api = s.get(&format!("/api/releases/{new}?series=GDP_Q")).await.json();
    let total: u64 = api["series"].as_array().unwrap().iter().map(|x| x["values"].as_u64().unwrap()).sum();
    let csv = s.get(&format!("/releases/{new}/download.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.text();
    assert_eq!(text.lines().count() as u64, 1 + total, "a row per value");
    let zhuzhou = cell(&api, "430200", "2024-Q3");
    assert!(
        text.lines()
            .any(|l| l.starts_with("GDP_Q,") && l.contains(",430200,") && l.contains(&format!(",2024-Q3,{zhuzhou},")))
    );
    assert!(!text.contains("SME_LOAN_Q"));
    let disposition = csv.header("content-disposition");
    assert!(disposition.contains("jili-demo-release-quarterly-2024-Q3-v2.csv"), "{disposition}");
    let old_name = s.get(&format!("/releases/{old}/download.csv")).await.header("content-disposition");
    assert!(old_name.contains("%E5%B7%B2%E6%9B%B4%E6%AD%A3"), "已更正 in the older file's name: {old_name}");

    let json = s.get(&format!("/releases/{new}/download.json")).await.json();
    assert_eq!(json["values"].as_array().unwrap().len() as u64, total);
    assert_eq!(json["release"]["id"], new);
    let sdmx = s.get(&format!("/releases/{new}/download.sdmx.csv")).await;
    assert!(sdmx.header("content-type").starts_with("application/vnd.sdmx.data+csv"));
    assert!(sdmx.text().contains(&format!(",430200,GDP_Q,2024-Q3,{zhuzhou},A,CNY_E8")), "OBS_STATUS A");
    let xlsx = s.get(&format!("/releases/{new}/download.xlsx")).await;
    assert_eq!((xlsx.status, &xlsx.body[..2]), (StatusCode::OK, &b"PK"[..]));

    // Kept once built: asked again with its entity tag, the answer is 304 and nothing is rebuilt.
    let builds = s.state.0.downloads.builds();
    let etag = xlsx.header("etag");
    let again = Request::get(format!("/releases/{new}/download.xlsx"))
        .header(header::IF_NONE_MATCH, etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(s.send(again).await.status, StatusCode::NOT_MODIFIED);
    assert_eq!(s.state.0.downloads.builds(), builds);
    assert_eq!(s.get("/releases/999/download.csv").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn results_pages_cite_the_data_release_they_rest_on() {
    let s = site().await;
    let all = releases(&s).await;
    let annual = id_of(&all, "2024", 1);
    let publication = s.get("/api/publication").await.json();
    assert_eq!(publication["body"]["data_release"]["id"], annual, "{}", publication["body"]["data_release"]);
    for path in ["/measures/3", "/notice", "/data"] {
        let page = s.get(path).await.text();
        let at = page.find("id=\"data-release\"").unwrap_or_else(|| panic!("{path} cites no release"));
        let line = &page[at..at + page[at..].find("</p>").unwrap()];
        assert!(line.contains("所依据的数据通报") && line.contains(&format!("href=\"/releases/{annual}\"")), "{line}");
        assert!(line.contains("主要指标数据年度通报（2024年）"), "{line}");
    }
    // The API documents the release endpoints.
    let doc = s.get("/api/openapi.json").await.json();
    assert!(doc["paths"]["/api/releases"]["get"].is_object());
    assert_eq!(doc["paths"]["/api/releases/{id}"]["get"]["parameters"][0]["name"], "id");
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn the_office_releases_and_corrects_from_the_list_page() {
    let s = site().await;
    let office = s.login("demo-office").await;
    // The form is the office's: not on the public's page, nor on a lead's.
    let page = s.get_as(&office, "/releases").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    assert!(page.contains("id=\"make-release-form\"") && page.contains("id=\"correct-release-form\""), "{page}");
    assert!(page.contains("<option value=\"quarterly\"") && page.contains("type=\"date\""));
    assert!(!s.get("/releases").await.text().contains("release-form"), "not for the public");
    let gxt = s.login("demo-gxt").await;
    assert!(!s.get_as(&gxt, "/releases").await.text().contains("release-form"), "not for a lead");

    // 2023's fourth quarter, by a date in January 2024: made, and its page shown.
    let before = releases(&s).await.len();
    let r = s.post_form(&office, "/work/releases", "action=make&calendar=quarterly&date=2024-01-15").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let made: i64 = r.header("location").trim_start_matches("/releases/").parse().unwrap();
    let all = releases(&s).await;
    assert_eq!(all.len(), before + 1);
    assert_eq!(id_of(&all, "2023-Q4", 1), made);
    let page = s.get(&format!("/releases/{made}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("2023年第4季度"));
    // The public's list shows it at once (its cached page is for what was released before).
    assert!(s.get("/releases").await.text().contains(&format!("href=\"/releases/{made}\"")));
    // Made again: refused with the app's words, on the list page.
    let r = s.post_form(&office, "/work/releases", "action=make&calendar=quarterly&date=2024-01-15").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("已通报第 1 版") && r.text().contains("id=\"release-error\""), "{}", r.text());
    // A date that is no date: refused.
    let r = s.post_form(&office, "/work/releases", "action=make&calendar=quarterly&date=2024-02-30").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("年-月-日"));

    // A correction without its reason: refused, nothing stored.
    let r =
        s.post_form(&office, "/work/releases", "action=correct&calendar=quarterly&date=2024-01-15&reason=%20").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("更正必须写明原因"), "{}", r.text());
    assert_eq!(releases(&s).await.len(), before + 1);
    // Nothing revised yet: nothing to correct.
    let reason = urlencode("省统计局修订了长沙市2023年第4季度地区生产总值");
    let form = format!("action=correct&calendar=quarterly&date=2024-01-15&reason={reason}");
    let r = s.post_form(&office, "/work/releases", &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("无需更正"), "{}", r.text());
    assert!(r.text().contains("省统计局修订了长沙市"), "the form keeps the reason typed");

    // 省统计局 revises a value; the correction is the second version.
    let q4 = jili_model::Period { year: 2023, part: jili_model::Part::Quarter(4) };
    let now = s.app.raw_store().observations_of(&["GDP_Q"]).await.unwrap();
    let now = now.into_iter().find(|o| o.observation.unit.as_str() == "430100" && o.observation.period == q4).unwrap();
    let mut revised = now.observation.clone();
    revised.value += jili_model::Decimal::ONE;
    let batch = jili_model::Batch {
        provider: "TJJ".into(),
        source: "测试：修订长沙市2023年第4季度地区生产总值".into(),
        demo: true,
        observations: vec![revised],
    };
    s.app.import_batch(&batch).await.unwrap();
    let r = s.post_form(&office, "/work/releases", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let corrected: i64 = r.header("location").trim_start_matches("/releases/").parse().unwrap();
    let all = releases(&s).await;
    assert_eq!(id_of(&all, "2023-Q4", 2), corrected);
    let api = s.get(&format!("/api/releases/{corrected}")).await.json();
    assert_eq!(api["release"]["reason"], "省统计局修订了长沙市2023年第4季度地区生产总值");
    assert_eq!(s.get(&format!("/api/releases/{made}")).await.json()["release"]["superseded"], true);

    // A lead may not: 403, nothing stored.
    let r = s.post_form(&gxt, "/work/releases", "action=make&calendar=annual&date=2024-01-15").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = s.post_form(&gxt, "/work/releases", &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(releases(&s).await.len(), before + 2);
}
