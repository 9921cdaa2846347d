//! The watch list and the verification cases on the web (`/work/watch`, `/work/cases`,
//! `/work/cases/{id}`) and their API: the office opens a case from the watch list and queries,
//! 统计局 answers its own case, the office resolves it; another department, a unit and the
//! auditor are refused what is not theirs; forms without the session's token are refused.
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::http::StatusCode;
use common::{Reply, revise_agri, site};
use serde_json::json;

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") }).collect()
}

fn html(r: &Reply) -> String {
    r.text().replace("&#x2f;", "/").replace("&quot;", "\"").replace("&#x27;", "'")
}

/// The case id in a redirect to its page.
fn case_in(r: &Reply) -> i64 {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", html(r));
    let to = r.header("location");
    assert!(to.starts_with("/work/cases/"), "{to}");
    to.trim_start_matches("/work/cases/").split('?').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn the_office_opens_a_case_from_the_watch_list_the_provider_answers_the_office_resolves() {
    let s = site().await;
    let chenzhou = revise_agri(&s.app, "郴州市", "9.9").await;
    revise_agri(&s.app, "长沙市", "6.5").await;
    let office = s.login("demo-office").await;

    // The watch list: 郴州市's value first, marked as moving a winner, with a form to open a case.
    let page = html(&s.get_as(&office, "/work/watch").await);
    let row_of = |page: &str, unit: &str| -> (usize, String) {
        let at = page.find(&format!("data-unit=\"{unit}\" data-series=\"AGRI_VA_GROWTH\"")).unwrap();
        let start = page[..at].rfind("<tr").unwrap();
        (start, page[start..start + page[start..].find("</tr>").unwrap()].to_string())
    };
    let (at, first) = row_of(&page, "431000");
    assert!(first.contains("data-crosses=\"yes\"") && first.contains("入选 → 落选"), "{first}");
    assert!(first.contains("id=\"open-case-"), "{first}");
    let (later, changsha) = row_of(&page, "430100");
    assert!(at < later && changsha.contains("data-moves=\"no\""), "郴州市 before 长沙市: {changsha}");

    // Opened from the list (the flags the row carries), then queried.
    let ids: Vec<String> = chenzhou.iter().map(|(id, _)| id.to_string()).collect();
    let form = format!("title={}&flags={}&note=", urlencode("郴州市农林牧渔业增加值增速跳变"), ids.join(","));
    let id = case_in(&s.post_form(&office, "/work/cases", &form).await);
    let page = html(&s.get_as(&office, &format!("/work/cases/{id}?done=open")).await);
    assert!(page.contains("已立案") && page.contains("id=\"query-form\"") && page.contains("id=\"case-history\""));
    // A blank query is refused on the page; nothing is recorded.
    let r = s.post_form(&office, &format!("/work/cases/{id}"), "action=query&text=%20").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&r).contains("不能为空"));
    let query = urlencode("请说明由 3.42 修订为 9.9 的依据");
    let r = s.post_form(&office, &format!("/work/cases/{id}"), &format!("action=query&text={query}")).await;
    assert_eq!(case_in(&r), id);
    // The watch list now points to the case instead of offering to open one.
    let page = html(&s.get_as(&office, "/work/watch").await);
    assert!(row_of(&page, "431000").1.contains(&format!("href=\"/work/cases/{id}\" id=\"watch-case-")), "{page}");

    // 统计局 sees its case, the query, not the crossing's words, and answers.
    let tjj = s.login("demo-tjj").await;
    let list = html(&s.get_as(&tjj, "/work/cases").await);
    assert!(list.contains(&format!("id=\"case-{id}\"")), "{list}");
    let page = html(&s.get_as(&tjj, &format!("/work/cases/{id}")).await);
    assert!(page.contains("3.42 修订为 9.9") && page.contains("id=\"answer-form\""));
    assert!(!page.contains("由未入选变为入选") && !page.contains("id=\"case-history\""), "office-only content");
    assert!(!page.contains("id=\"resolve-form\"") && !page.contains("id=\"query-form\""));
    assert_eq!(s.get_as(&tjj, "/work/watch").await.status, StatusCode::FORBIDDEN);
    let answer = urlencode("乡镇上报口径有误，已重新核实");
    let r = s.post_form(&tjj, &format!("/work/cases/{id}"), &format!("action=answer&text={answer}&batch=")).await;
    assert_eq!(case_in(&r), id);
    // It may not resolve, even through a hand-made form.
    let r = s.post_form(&tjj, &format!("/work/cases/{id}"), "action=resolve&resolution=explained&text=x").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Without the session's token a form is refused before anything happens.
    let r = s
        .send(
            axum::http::Request::post(format!("/work/cases/{id}"))
                .header(axum::http::header::COOKIE, &office.cookie)
                .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(axum::body::Body::from("action=resolve&resolution=explained&text=x"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());

    // The auditor reads it all, with no forms; a unit and another department are refused.
    let audit = s.login("demo-audit").await;
    let page = html(&s.get_as(&audit, &format!("/work/cases/{id}")).await);
    assert!(page.contains("乡镇上报口径有误") && page.contains("id=\"case-history\"") && !page.contains("<textarea"));
    assert_eq!(s.get_as(&audit, "/work/watch").await.status, StatusCode::OK);
    let r = s.post_form(&audit, &format!("/work/cases/{id}"), "action=query&text=x").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let unit = s.login("demo-changsha").await;
    assert_eq!(s.get_as(&unit, &format!("/work/cases/{id}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.get_as(&unit, "/work/watch").await.status, StatusCode::FORBIDDEN);
    let user = jili_app::users::NewUser {
        name: "li.czt",
        display: "财政厅测试",
        role: jili_app::Role::Provider("CZT".into()),
        password: common::DEMO_PASSWORD,
    };
    s.app.add_user(&user).await.unwrap();
    let czt = s.login("li.czt").await;
    assert_eq!(s.get_as(&czt, &format!("/work/cases/{id}")).await.status, StatusCode::FORBIDDEN);
    assert!(!html(&s.get_as(&czt, "/work/cases").await).contains(&format!("id=\"case-{id}\"")));

    // The office refers it: the evidence is shown, the case takes no more steps.
    let why = urlencode("说明不能成立，移送纪检监察");
    let r = s
        .post_form(&office, &format!("/work/cases/{id}"), &format!("action=resolve&resolution=referred&text={why}"))
        .await;
    assert_eq!(case_in(&r), id);
    let page = html(&s.get_as(&office, &format!("/work/cases/{id}")).await);
    assert!(page.contains("data-status=\"referred\"") && page.contains("id=\"case-evidence\""), "{page}");
    assert!(!page.contains("id=\"resolve-form\""));
    let steps: Vec<String> = s.app.case(id).await.unwrap().steps.iter().map(|s| s.step.to_string()).collect();
    assert_eq!(steps, ["open", "query", "answer", "refer"]);
}

#[tokio::test]
async fn the_api_lists_opens_and_steps_cases_as_the_app_allows() {
    let s = site().await;
    let flags = revise_agri(&s.app, "郴州市", "9.9").await;
    let office = s.api_token("demo-office").await;
    let watch = s.get_json(&office, "/api/watch").await.json();
    let entries = watch["entries"].as_array().unwrap();
    let chenzhou = entries.iter().find(|e| e["unit"] == "431000" && e["series"] == "AGRI_VA_GROWTH").unwrap();
    assert_eq!(chenzhou["crosses"], true, "{chenzhou}");
    let ids: Vec<i64> = flags.iter().map(|(id, _)| *id).collect();
    let r = s.post_json(Some(&office), "/api/cases", json!({"title": "郴州市", "flags": ids})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let r = s.post_json(Some(&office), &format!("/api/cases/{id}"), json!({"action": "query", "text": "请说明"})).await;
    assert_eq!(r.json()["status"], "queried");
    let tjj = s.api_token("demo-tjj").await;
    let mine = s.get_json(&tjj, "/api/cases").await.json();
    assert_eq!(mine["cases"].as_array().unwrap().len(), 1);
    let r = s.post_json(Some(&tjj), &format!("/api/cases/{id}"), json!({"action": "answer", "text": "数值属实"})).await;
    assert_eq!(r.json()["status"], "answered", "{}", r.text());
    assert_eq!(s.get_json(&tjj, "/api/watch").await.status, StatusCode::FORBIDDEN);
    let r = s
        .post_json(
            Some(&tjj),
            &format!("/api/cases/{id}"),
            json!({"action": "resolve", "resolution": "explained", "text": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = s
        .post_json(
            Some(&office),
            &format!("/api/cases/{id}"),
            json!({"action": "resolve", "resolution": "corrected", "text": "已更正"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "no correcting batch: {}", r.text());
    let r = s
        .post_json(
            Some(&office),
            &format!("/api/cases/{id}"),
            json!({"action": "resolve", "resolution": "explained", "text": "重大项目投产"}),
        )
        .await;
    assert_eq!(r.json()["status"], "explained");
    let audit = s.api_token("demo-audit").await;
    assert_eq!(s.get_json(&audit, &format!("/api/cases/{id}")).await.json()["status_label"], "已说明");
}
