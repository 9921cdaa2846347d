//! The plan editor and the review queue: a lead edits its plan in forms and sees the notice's
//! rules as it types, saves and submits; the office returns or approves and publishes; the
//! versions, diffs, TOML export and import, trials that store nothing, and the API.
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Reply, Session, Site, site};
use std::collections::BTreeMap;

/// The named fields of the form `id="{form_id}"` as a browser would send them (inputs with a
/// value, checked checkboxes, the selected option of each select, textareas).
fn scrape(html: &str, form_id: &str) -> BTreeMap<String, String> {
    let start = html.find(&format!("id=\"{form_id}\"")).expect("the form");
    let html = &html[start..start + html[start..].find("</form>").unwrap()];
    let mut out = BTreeMap::new();
    let mut select: Option<(String, Option<String>)> = None;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        let after = &rest[end + 1..];
        let name = tag.split([' ', '>']).next().unwrap_or("");
        let attr = |a: &str| -> Option<String> {
            let key = format!(" {a}=\"");
            tag.find(&key)
                .map(|i| unescape(&tag[i + key.len()..i + key.len() + tag[i + key.len()..].find('"').unwrap()]))
        };
        let flag = |a: &str| tag.contains(&format!(" {a}"));
        match name {
            "input" => {
                let Some(n) = attr("name") else { continue };
                let kind = attr("type").unwrap_or_default();
                if kind == "checkbox" {
                    if flag("checked") {
                        out.insert(n, "on".into());
                    }
                } else if kind != "submit" {
                    out.insert(n, attr("value").unwrap_or_default());
                }
            }
            "textarea" => {
                if let Some(n) = attr("name") {
                    out.insert(n, unescape(&after[..after.find("</textarea>").unwrap()]));
                }
            }
            "select" => select = attr("name").map(|n| (n, None)),
            "option" => {
                if let Some((_, chosen)) = select.as_mut() {
                    let value = attr("value").unwrap_or_else(|| unescape(&after[..after.find('<').unwrap()]));
                    if chosen.is_none() || flag("selected") {
                        *chosen = Some(value);
                    }
                }
            }
            "/select" => {
                if let Some((n, Some(v))) = select.take() {
                    out.insert(n, v);
                }
            }
            _ => {}
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

fn encode(fields: &BTreeMap<String, String>) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    fields
        .iter()
        .filter(|(k, _)| *k != "csrf")
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// POST the editor's fields with one button pressed.
async fn press(s: &Site, who: &Session, fields: &BTreeMap<String, String>, action: &str) -> Reply {
    let body = format!("{}&action={action}", encode(fields));
    s.post_form(who, "/work/plans/3/edit", &body).await
}

/// POST JSON with the cookie session and its CSRF header.
async fn post_cookie_json(s: &Site, who: &Session, path: &str, body: serde_json::Value, csrf: bool) -> Reply {
    let mut req =
        Request::post(path).header(header::COOKIE, &who.cookie).header(header::CONTENT_TYPE, "application/json");
    if csrf {
        req = req.header("x-csrf-token", &who.csrf);
    }
    s.send(req.body(Body::from(body.to_string())).unwrap()).await
}

async fn statuses(s: &Site) -> Vec<(i64, String)> {
    s.app
        .plan_history(2024, 3)
        .await
        .unwrap()
        .versions
        .iter()
        .map(|p| (p.version, p.status.as_str().to_string()))
        .collect()
}

#[tokio::test]
async fn a_lead_fixes_a_process_indicator_submits_and_the_office_approves_and_publishes() {
    let s = site().await;
    let gxt = s.login("demo-gxt").await;
    let before = statuses(&s).await;
    assert_eq!(before, vec![(1, "published".to_string())], "the demo publishes version 1");

    // The editor opens prefilled from the current plan.
    let page = s.get_as(&gxt, "/work/plans/3/edit").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    assert!(html.contains("id=\"indicator-0-name\"") && html.contains("id=\"lint-results\" aria-live=\"polite\""));
    assert!(html.contains("<meta name=\"csrf-token\""));
    let mut fields = scrape(&html, "plan-form");
    assert_eq!(fields["indicator-0-name"], "规模以上工业增加值增速");
    assert_eq!(fields["indicator-0-series"], "IND_VA_GROWTH");
    assert_eq!(fields["indicator-1-basis"], "ratio");
    assert_eq!(fields["indicator-1-denominator"], "GDP");
    assert_eq!(fields["group-1-quota"], "10");
    assert_eq!(fields["reward-0-amount"], "500");
    assert_eq!(fields["unit-县市区"], "on");

    // A process indicator: the lint endpoint and the server-side check both name it.
    fields.insert("indicator-0-name".into(), "<b>工业发展推进会议</b>召开次数".into());
    let json: serde_json::Value = serde_json::to_value(&fields).unwrap();
    let r = post_cookie_json(&s, &gxt, "/api/plans/3/lint", json.clone(), false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a cookie session needs the CSRF header");
    let r = post_cookie_json(&s, &gxt, "/api/plans/3/lint", json, true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let lint = r.json();
    assert_eq!(lint["passes"], false);
    let hit = lint["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "process-indicator").unwrap();
    assert_eq!(hit["level"], "error");
    assert_eq!(hit["label"], "错误");
    assert!(hit["message"].as_str().unwrap().contains("会议"));
    let r = press(&s, &gxt, &fields, "check").await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("过程性工作") && html.contains("finding-error"), "{html}");
    assert!(html.contains("&lt;b&gt;工业发展推进会议") && !html.contains("<b>工业发展"), "user text escaped");

    // The draft can be saved with the error (work is not lost), but not submitted.
    let r = press(&s, &gxt, &fields, "save").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let mut with_draft = before.clone();
    with_draft.push((2, "draft".to_string()));
    assert_eq!(statuses(&s).await, with_draft);
    let r = press(&s, &gxt, &fields, "submit").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("不能提交"));
    assert_eq!(statuses(&s).await, with_draft, "nothing submitted");

    // Fixed: saved as a new draft version, then submitted.
    fields.insert("indicator-0-name".into(), "规模以上工业增加值增长率".into());
    let r = press(&s, &gxt, &fields, "save").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.header("location"), "/work/plans/3/edit?saved=2");
    assert_eq!(statuses(&s).await.last().unwrap(), &(2, "draft".to_string()));
    let page = s.get_as(&gxt, "/work/plans/3/edit?saved=2").await.text();
    assert!(page.contains("已保存为第 2 版草稿") && page.contains("规模以上工业增加值增长率"));
    let r = press(&s, &gxt, &fields, "submit").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(statuses(&s).await.last().unwrap(), &(2, "submitted".to_string()), "the same draft, submitted");

    // Another lead department and the public cannot open the editor.
    let fgw = s.login("demo-fgw").await;
    assert_eq!(s.get_as(&fgw, "/work/plans/3/edit").await.status, StatusCode::FORBIDDEN);
    let r = s.get("/work/plans/3/edit").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.header("location").starts_with("/login"), "{}", r.header("location"));
    let list = s.get_as(&fgw, "/work/plans").await.text();
    assert!(list.contains("第 1 条") && !list.contains("/work/plans/3/edit"), "a lead sees only its measures");

    // The office: the queue, a return without comment refused, approval, publication.
    let office = s.login("demo-office").await;
    let list = s.get_as(&office, "/work/plans").await.text();
    assert!(list.contains("id=\"review-queue\"") && list.contains("/work/plans/3/review/2"), "{list}");
    let review = s.get_as(&office, "/work/plans/3/review/2").await;
    assert_eq!(review.status, StatusCode::OK, "{}", review.text());
    let html = review.text();
    assert!(
        html.contains("规模以上工业增加值增长率") && html.contains("id=\"approve\"") && html.contains("id=\"return\"")
    );
    assert!(html.contains("id=\"regional-spread\""), "a trial on the review page");
    // The versions page offers the step each version's status allows: review for a submitted one.
    let versions = s.get_as(&office, "/work/plans/3/versions").await.text();
    assert!(
        versions.contains("/work/plans/3/review/2\"") && !versions.contains("name=\"version\" value=\"2\""),
        "{versions}"
    );
    let r = s.post_form(&office, "/work/plans/3/review/2", "action=return&comment=").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("必须写明意见"));
    assert_eq!(statuses(&s).await.last().unwrap().1, "submitted");
    let r = s.post_form(&gxt, "/work/plans/3/review/2", "action=approve&comment=").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a lead cannot approve its own plan");
    assert_eq!(statuses(&s).await.last().unwrap().1, "submitted");
    let r = s.post_form(&office, "/work/plans/3/review/2", "action=approve&comment=%E5%90%8C%E6%84%8F").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(statuses(&s).await.last().unwrap().1, "approved");
    let html = s.get_as(&office, "/work/plans/3/review/2?done=approved").await.text();
    assert!(html.contains("id=\"publish-plan\"") && !html.contains("id=\"approve\""));
    let versions = s.get_as(&office, "/work/plans/3/versions").await.text();
    assert!(versions.contains("name=\"version\" value=\"2\""), "publication offered for the approved version");
    let r = s.post_form(&office, "/work/plans/3/publish", "version=2").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(statuses(&s).await.last().unwrap().1, "published");
    let r = s.post_form(&office, "/work/plans/3/publish", "version=2").await;
    assert!(r.status.is_client_error(), "publishing twice is refused");

    // The history shows every step, and the diff the changed indicator.
    let html = s.get_as(&gxt, "/work/plans/3/versions").await.text();
    for word in ["已提交", "已批准", "已公布", "同意", "demo-gxt", "demo-office"] {
        assert!(html.contains(word), "{word}: {html}");
    }
    let html = s.get_as(&gxt, "/work/plans/3/versions?a=1&b=2").await.text();
    let diff = &html[html.find("id=\"plan-diff\"").unwrap()..];
    assert!(diff.contains("名称（name）"), "fields named in Chinese");
    assert!(
        diff.contains("指标 ind_va_growth")
            && diff.contains("规模以上工业增加值增速")
            && diff.contains("规模以上工业增加值增长率")
    );
    let api = s.api_token("demo-office").await;
    let d = s.get_json(&api, "/api/plans/3/diff?a=1&b=2").await.json();
    assert_eq!(d["changes"].as_array().unwrap().iter().filter(|c| c["field"] == "name").count(), 1);
}

#[tokio::test]
async fn the_toml_export_round_trips_through_the_import() {
    let s = site().await;
    let gxt = s.login("demo-gxt").await;
    let r = s.get_as(&gxt, "/work/plans/3/plan.toml?version=1").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-disposition").contains("measure-03-v1.toml"));
    let toml = r.text();
    let enc: String = toml.bytes().map(|b| format!("%{b:02X}")).collect();
    let r = s.post_form(&gxt, "/work/plans/3/import", &format!("toml={enc}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let v1 = s.app.plan_version(2024, 3, Some(1)).await.unwrap();
    let v2 = s.app.plan_version(2024, 3, Some(2)).await.unwrap();
    assert_eq!(v1.plan, v2.plan, "the same plan after export and import");
    assert_eq!(s.app.plan_diff(2024, 3, 1, 2).await.unwrap(), vec![]);

    // Another measure's file, or no TOML at all, is refused and nothing is stored.
    let other =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/plans/2024/measure-04.toml")).unwrap();
    let enc: String = other.bytes().map(|b| format!("%{b:02X}")).collect();
    let r = s.post_form(&gxt, "/work/plans/3/import", &format!("toml={enc}")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("第 4 条措施"));
    let r = s.post_form(&gxt, "/work/plans/3/import", "toml=%5Bplan").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(statuses(&s).await.len(), 2);

    // An uploaded file: the same plan again, so the current draft (version 2) is updated.
    let body = format!(
        "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.toml\"\r\nContent-Type: text/plain\r\n\r\n{}\r\n--b--\r\n",
        gxt.csrf,
        toml.replace("打造国家重要先进制造业高地激励措施实施方案（示例）", "先进制造业高地激励实施方案（上传）")
    );
    let req = Request::post("/work/plans/3/upload")
        .header(header::COOKIE, &gxt.cookie)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
        .body(Body::from(body))
        .unwrap();
    let r = s.send(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(statuses(&s).await, vec![(1, "published".to_string()), (2, "draft".to_string())]);
    let v2 = s.app.plan_version(2024, 3, Some(2)).await.unwrap();
    assert_eq!(v2.plan.header.title, "先进制造业高地激励实施方案（上传）");
}

#[tokio::test]
async fn the_auditor_reads_the_list_without_edit_links_and_cannot_edit() {
    let s = site().await;
    let audit = s.login("demo-audit").await;
    let list = s.get_as(&audit, "/work/plans").await;
    assert_eq!(list.status, StatusCode::OK);
    let html = list.text();
    assert!(html.contains("第 20 条") && html.contains("已公布"), "every measure");
    assert!(!html.contains("/edit\"") && !html.contains("review-queue"), "read only");
    assert_eq!(s.get_as(&audit, "/work/plans/3/edit").await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.get_as(&audit, "/work/plans/3/versions").await.status, StatusCode::OK);
    assert!(s.get("/work/plans").await.header("location").starts_with("/login"));
}

#[tokio::test]
async fn a_trial_stores_nothing_and_shows_the_regional_spread() {
    let s = site().await;
    let gxt = s.login("demo-gxt").await;
    let before = statuses(&s).await;
    let fields = scrape(&s.get_as(&gxt, "/work/plans/3/edit").await.text(), "plan-form");
    let r = press(&s, &gxt, &fields, "trial").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    let spread = &html[html.find("id=\"regional-spread\"").unwrap()..];
    for plate in ["长株潭", "洞庭湖", "湘南", "大湘西"] {
        assert!(spread.contains(plate), "{plate}");
    }
    assert!(html.contains("分组“市州”：名额 4，入选 4 个"), "{html}");
    assert_eq!(statuses(&s).await, before, "nothing stored");

    // The API's trial: the spread's winners add up to the groups' winners.
    let token = s.api_token("demo-gxt").await;
    let t = s.post_json(Some(&token), "/api/plans/3/trial", serde_json::to_value(&fields).unwrap()).await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text());
    let t = t.json();
    let by_plate: u64 = t["spread"].as_array().unwrap().iter().map(|p| p["winners"].as_u64().unwrap()).sum();
    let by_group: usize = t["groups"].as_array().unwrap().iter().map(|g| g["winners"].as_array().unwrap().len()).sum();
    assert_eq!(by_plate as usize, by_group);
    assert_eq!(by_group, 14, "4 cities and 10 counties");
    assert_eq!(statuses(&s).await, before, "nothing stored");

    // Row buttons work without JavaScript and store nothing either.
    let r = press(&s, &gxt, &fields, "add-indicator").await;
    assert!(r.text().contains("id=\"indicator-7-name\""));
    let r = press(&s, &gxt, &fields, "remove-indicator-0").await;
    let after = scrape(&r.text(), "plan-form");
    assert_eq!(after["indicator-0-name"], "制造业增加值占地区生产总值比重");
    assert_eq!(statuses(&s).await, before);
}

#[tokio::test]
async fn the_plan_api_answers_json_and_refuses_bad_input() {
    let s = site().await;
    let office = s.api_token("demo-office").await;
    let list = s.get_json(&office, "/api/plans").await.json();
    assert_eq!(list["plans"].as_array().unwrap().len(), 20);
    let one = s.get("/api/plans/3").await.json();
    assert_eq!(one["status"], "published");
    assert!(one["toml"].as_str().unwrap().contains("measure = 3"));
    assert_eq!(one["plan"]["header"]["measure"], 3);
    let r = s.post_json(Some(&office), "/api/plans/3/versions/version/approve", serde_json::json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["code"], "invalid");
    let r = s.post_json(None, "/api/plans/3/lint", serde_json::json!({})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["code"], "login_required");
    let r = s.get_json(&office, "/api/plans/99").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["code"], "not_found");

    // A TOML body is linted as well; a draft with an error is stored (as the CLI does), with
    // its findings, and cannot be submitted.
    let toml =
        s.get("/api/plans/3").await.json()["toml"].as_str().unwrap().replace("工业投资增速", "工业投资台账完成率");
    let gxt = s.api_token("demo-gxt").await;
    let r = s.post_json(Some(&gxt), "/api/plans/3/lint", serde_json::json!({"toml": toml})).await.json();
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "process-indicator" && f["message"].as_str().unwrap().contains("台账"))
    );
    let r = s.post_json(Some(&gxt), "/api/plans/3/draft", serde_json::json!({"toml": toml})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.json()["findings"].as_array().unwrap().iter().any(|f| f["level"] == "error"));
    assert_eq!(statuses(&s).await.last().unwrap(), &(2, "draft".to_string()));
    let r = s.post_json(Some(&gxt), "/api/plans/3/submit", serde_json::json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(statuses(&s).await.last().unwrap(), &(2, "draft".to_string()), "not submitted");
    let r = s.post_json(Some(&gxt), "/api/plans/3/draft", serde_json::json!({"toml": "[plan"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a file that does not read is not saved");
    assert_eq!(statuses(&s).await.len(), 2);
    let fgw = s.api_token("demo-fgw").await;
    let r = s.post_json(Some(&fgw), "/api/plans/3/lint", serde_json::json!({"toml": toml})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// Every example plan reads into the editor's form and back into the same checked plan, so
/// the form loses nothing (pillars, method, applies_to, bounds … included).
#[tokio::test]
async fn every_example_plan_round_trips_through_the_form() {
    let s = site().await;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/plans/2024");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let form = jili_app::plans::plan_form::PlanForm::from_toml(&name, &text).unwrap();
        let again = form.to_toml().unwrap();
        let original = s.app.check_plan(&name, &text).await.unwrap();
        let through = s.app.check_plan(&name, &again).await.unwrap_or_else(|e| panic!("{name}: {e}\n{again}"));
        assert_eq!(original, through, "{name}");
        seen += 1;
    }
    assert_eq!(seen, 20);
    // A plan that tightens the publication of vetoes keeps it through the form.
    let text = std::fs::read_to_string(format!("{dir}/measure-03.toml")).unwrap().replacen(
        "[plan]\n",
        "[plan]\npublish_vetoes = \"count\"\n",
        1,
    );
    let form = jili_app::plans::plan_form::PlanForm::from_toml("m3.toml", &text).unwrap();
    assert_eq!(form.publish_vetoes, "count");
    let through = s.app.check_plan("m3.toml", &form.to_toml().unwrap()).await.unwrap();
    assert_eq!(through.header.publish_vetoes, Some(jili_model::VetoDisclosure::Count));
}

/// The public posting to a plan form is sent to log in (not told its token is wrong), and a
/// decision with a body that is not JSON is refused with a message, changing nothing.
#[tokio::test]
async fn login_comes_before_the_token_and_a_bad_decision_body_is_refused() {
    let s = site().await;
    for path in ["/work/plans/3/edit", "/work/plans/3/review/1", "/work/plans/3/publish", "/work/plans/3/import"] {
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("csrf=x"))
            .unwrap();
        let r = s.send(req).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.text());
        assert!(r.header("location").starts_with("/login"), "{path}");
    }
    let token = s.api_token("demo-office").await;
    let req = Request::post("/api/plans/3/versions/1/return")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"comment\": 请补充"))
        .unwrap();
    let r = s.send(req).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["code"], "invalid");
    assert!(r.json()["message"].as_str().unwrap_or_default().contains("JSON"), "{}", r.text());
}

/// The plan pages switch language: headings, table headers, labels and buttons are English with
/// `?lang=en`, Chinese by default.
#[tokio::test]
async fn the_plan_pages_read_in_english() {
    let s = site().await;
    let gxt = s.login("demo-gxt").await;
    let zh = s.get_as(&gxt, "/work/plans/3/edit").await.text();
    assert!(zh.contains("指标名称") && zh.contains("第 3 条措施") && zh.contains("上传并导入"), "{zh}");
    let en = s.get_as(&gxt, "/work/plans/3/edit?lang=en").await.text();
    for word in ["Measure 3", "Indicator name", "Save draft", "Upload and import", "Peer groups and quotas"] {
        assert!(en.contains(word), "{word}: {en}");
    }
    for word in ["指标名称", "上传并导入", "分组名称", "第 3 条"] {
        assert!(!en.contains(word), "{word} left in Chinese");
    }
    let versions = s.get_as(&gxt, "/work/plans/3/versions?lang=en").await.text();
    assert!(versions.contains("Review steps") && versions.contains(">Compare<") && !versions.contains("操作人"));
    let list = s.get_as(&gxt, "/work/plans?lang=en").await.text();
    assert!(list.contains(">Actions<") && list.contains("Latest version") && !list.contains("最新版本"), "{list}");
}
