//! The work pages as each role uses them: a provider uploads a bad file and a good one, confirms
//! and explains a flag; the office runs, publishes and manages users; the auditor searches,
//! verifies and exports the log; a unit reads its own results only. Permissions, form tokens
//! and escaping are checked on the way.
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Reply, Session, Site, site};

/// A multipart body with text fields and an optional file (`file`).
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----jiliTestBoundary7MA4YWxkTrZu0gW".to_string();
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (boundary, body)
}

async fn post_multipart(
    s: &Site,
    session: &Session,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Reply {
    let (boundary, body) = multipart(fields, file);
    let req = Request::post(path)
        .header(header::COOKIE, &session.cookie)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    s.send(req).await
}

/// Upload a file for checking, as the provider's form does.
async fn upload(s: &Site, session: &Session, name: &str, text: &str, extra: &[(&str, &str)]) -> Reply {
    let mut fields = vec![("csrf", session.csrf.as_str())];
    fields.extend_from_slice(extra);
    post_multipart(s, session, "/work/upload", &fields, Some((name, text.as_bytes()))).await
}

/// A page's text with the HTML escapes of attribute values undone (`/` is written `&#x2f;`).
trait Html {
    fn html(&self) -> String;
}

impl Html for Reply {
    fn html(&self) -> String {
        unescape(&self.text())
    }
}

fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The hidden fields of the form `id` on a page (name → value).
fn hidden_fields(page: &str, id: &str) -> Vec<(String, String)> {
    let start = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no form {id}"));
    let form = &page[start..start + page[start..].find("</form>").unwrap()];
    form.split("<input type=\"hidden\" ")
        .skip(1)
        .map(|part| {
            let name = &part[part.find("name=\"").unwrap() + 6..];
            let name = &name[..name.find('"').unwrap()];
            let value = &part[part.find("value=\"").unwrap() + 7..];
            let value = &value[..value.find('"').unwrap()];
            (name.to_string(), unescape(value))
        })
        .collect()
}

async fn post_fields(s: &Site, session: &Session, path: &str, fields: &[(String, String)]) -> Reply {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post_multipart(s, session, path, &fields, None).await
}

/// GDP of the 14 市州 for 2025 (see `common::gdp_2025`).
async fn gdp_2025(s: &Site, replace: Option<(usize, &str)>) -> String {
    common::gdp_2025(&s.app, replace).await
}

async fn batch_count(s: &Site) -> usize {
    s.app.batches().await.unwrap().len()
}

#[tokio::test]
async fn a_bad_file_shows_its_cells_and_stores_nothing() {
    let s = site().await;
    let tjj = s.login("demo-tjj").await;
    let page = s.get_as(&tjj, "/work/upload").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.html();
    assert!(text.contains("id=\"upload-form\"") && text.contains("enctype=\"multipart/form-data\""), "{text}");
    assert!(text.contains("省统计局（TJJ）"), "the provider's own department only: {text}");

    let before = batch_count(&s).await;
    let mut bad = gdp_2025(&s, Some((4, "约5100"))).await;
    bad.push_str("439999,地区生产总值,2025,100\r\n");
    let r = upload(&s, &tjj, "坏表.csv", &bad, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.html();
    assert!(page.contains("id=\"validation-report\""), "{page}");
    assert!(page.contains("约5100") && page.contains("（D6）"), "the bad cell and where it is: {page}");
    assert!(page.contains("439999"), "the unknown unit is named: {page}");
    assert!(page.contains("请按上表修正后重新上传"), "{page}");
    assert!(!page.contains("id=\"confirm-import\"") && !page.contains("id=\"confirm\""), "no confirm button");
    assert_eq!(batch_count(&s).await, before, "nothing stored");

    // The report as XLSX, from the carried file.
    let fields = hidden_fields(&page, "report-form");
    let r = post_fields(&s, &tjj, "/work/upload/report", &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.html());
    assert!(r.body.starts_with(b"PK"), "an XLSX workbook");
    assert!(r.header("content-disposition").contains("attachment"));
    assert_eq!(batch_count(&s).await, before, "the report stores nothing either");
}

#[tokio::test]
async fn a_good_file_is_confirmed_and_its_batch_and_flag_appear() {
    let s = site().await;
    let tjj = s.login("demo-tjj").await;
    let before = batch_count(&s).await;
    // 张家界市 reports +60% where every other city reports +5%: a year-on-year jump to flag.
    let file = common::gdp_2025_with_a_jump(&s.app).await;
    let r = upload(&s, &tjj, "2025年地区生产总值.csv", &file, &[("status", "快报")]).await;
    let page = r.html();
    assert_eq!(r.status, StatusCode::OK, "{page}");
    assert!(page.contains("校验通过（试运行，未入库）") && page.contains("id=\"confirm-import\""), "{page}");
    assert!(page.contains("id=\"confirm\"") && page.contains("id=\"cancel\""));
    assert!(page.contains("同比 +60.0%"), "the flag is in the report: {page}");
    assert_eq!(batch_count(&s).await, before, "the check stores nothing");

    // A tampered confirmation is refused.
    let mut fields = hidden_fields(&page, "confirm-import");
    let good = fields.clone();
    for (k, v) in &mut fields {
        if k == "sha256" {
            *v = "0".repeat(64);
        }
    }
    let r = post_fields(&s, &tjj, "/work/upload/confirm", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.html().contains("sha256 校验值不符"), "{}", r.html());
    assert_eq!(batch_count(&s).await, before);

    // Without the form token: refused, nothing stored.
    let no_token: Vec<(String, String)> = good.iter().filter(|(k, _)| k != "csrf").cloned().collect();
    let r = post_fields(&s, &tjj, "/work/upload/confirm", &no_token).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(batch_count(&s).await, before);

    let r = post_fields(&s, &tjj, "/work/upload/confirm", &good).await;
    let done = r.html();
    assert_eq!(r.status, StatusCode::OK, "{done}");
    let batch = s.app.batches().await.unwrap().pop().unwrap();
    assert_eq!(batch_count(&s).await, before + 1);
    assert_eq!((batch.provider.as_str(), batch.rows), ("TJJ", 14));
    assert!(done.contains(&format!("<dd id=\"batch-id\">{}</dd>", batch.id)), "{done}");

    let list = s.get_as(&tjj, "/work/batches").await.html();
    assert!(list.contains(&format!("id=\"batch-{}\"", batch.id)) && list.contains("2025年地区生产总值.csv"), "{list}");
    let home = s.get_as(&tjj, "/work").await.html();
    assert!(home.contains("id=\"work-count-flags-open\"") && home.contains("/work/upload"), "{home}");

    // The flag, a blank note refused, a note stored and shown (escaped).
    let flags = s.app.flags(Some(batch.id)).await.unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    let id = flags[0].id;
    let page = s.get_as(&tjj, "/work/flags").await.html();
    assert!(page.contains(&format!("id=\"flag-{id}\"")) && page.contains("张家界市"), "{page}");
    let r = s.post_form(&tjj, &format!("/work/flags/{id}/notes"), "note=%20%20").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.html().contains("说明不能为空"), "{}", r.html());
    let r = s.post_form(&tjj, &format!("/work/flags/{id}/notes"), "note=%E6%97%85%E6%B8%B8%E5%B8%82%3Cscript%3E").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html());
    let page = s.get_as(&tjj, "/work/flags?noted=1").await.text();
    assert!(page.contains("旅游市&lt;script&gt;") && !page.contains("旅游市<script>"), "{page}");
    // Without the token nothing is added.
    let r = s
        .post_form(&Session { csrf: String::new(), ..tjj.clone() }, &format!("/work/flags/{id}/notes"), "note=x")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let flags = s.app.flags_of("TJJ").await.unwrap();
    let notes = &flags.iter().find(|(f, _)| f.id == id).unwrap().1;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].note, "旅游市<script>");
}

#[tokio::test]
async fn roles_open_only_their_own_pages() {
    let s = site().await;
    let r = s.get("/work").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.header("location").starts_with("/login"));
    assert!(s.get("/work/audit").await.header("location").starts_with("/login"));
    let tjj = s.login("demo-tjj").await;
    for path in ["/work/runs", "/work/audit", "/work/publish", "/work/users", "/work/results"] {
        let r = s.get_as(&tjj, path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(r.html().contains("无权限"), "{path}: {}", r.html());
    }
    let r = s.post_form(&tjj, "/work/runs", "measure=all").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let fgw = s.login("demo-fgw").await;
    assert_eq!(s.get_as(&fgw, "/work/upload").await.status, StatusCode::FORBIDDEN);
    let home = s.get_as(&fgw, "/work").await.html();
    assert!(home.contains("href=\"/work/plans\"") && !home.contains("href=\"/work/runs\""), "{home}");
}

#[tokio::test]
async fn the_office_runs_and_publishes_a_correction_only_with_a_reason() {
    let s = site().await;
    let office = s.login("demo-office").await;
    let home = s.get_as(&office, "/work").await.html();
    assert!(home.contains("href=\"/work/plans\"") && home.contains("id=\"work-count-review\""), "{home}");
    let page = s.get_as(&office, "/work/runs").await.html();
    assert!(page.contains("id=\"run-all\"") && page.contains("id=\"runs\""), "{page}");
    let runs_before = s.app.recent_runs(1000).await.unwrap().len();
    // Every measure: a job, followed on its page.
    let r = s.post_form(&office, "/work/runs", "measure=all").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html());
    let job = r.header("location");
    assert!(job.starts_with("/work/jobs/"), "{job}");
    let page = s.job_page(&office, &job).await;
    let measures = s.app.plan_views(None).await.unwrap().len();
    assert!(
        page.contains(&format!("已运行 {measures} 条措施"))
            && page.contains("id=\"job-runs\"")
            && !page.contains("http-equiv=\"refresh\""),
        "{page}"
    );
    assert_eq!(s.app.recent_runs(1000).await.unwrap().len(), runs_before + measures);
    let r = s.post_form(&office, "/work/runs", "measure=3").await;
    assert!(r.html().contains("已运行 1 条措施"), "{}", r.html());
    let r = s.post_form(&office, "/work/runs", "measure=99").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let page = s.get_as(&office, "/work/publish").await.html();
    assert!(page.contains("id=\"publish-form\"") && page.contains("2024 年第 1 版"), "{page}");
    let r = s.post_form(&office, "/work/publish", "reason=").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.html().contains("再次发布是更正") && r.html().contains("id=\"publish-error\""), "{}", r.html());
    assert_eq!(s.app.published(None).await.unwrap().unwrap().version, 1, "refused: nothing published");
    // Without the token: refused, nothing published.
    let r = s.post_form(&Session { csrf: "x".into(), ..office.clone() }, "/work/publish", "reason=x").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let reason = "第3条重新运行后更正";
    let r = s.post_form(&office, "/work/publish", &format!("reason={}", urlencode(reason))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.html());
    assert!(r.html().contains("已提交发布申请") && r.html().contains("id=\"pending-mine\""), "{}", r.html());
    assert_eq!(s.app.published(None).await.unwrap().unwrap().version, 1, "asked, not yet published");
    // Four eyes: the one who asked cannot confirm; a second office user does.
    let id = s.app.pending_publication(2024).await.unwrap().unwrap().id;
    let confirm = format!("request={id}&decision=confirm");
    let r = s.post_form(&office, "/work/publish", &confirm).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.html().contains("须由另一位省政府办公厅用户确认"), "{}", r.html());
    let checker = s.login("demo-checker").await;
    let r = s.post_form(&checker, "/work/publish", &confirm).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.html());
    assert!(r.html().contains("已发布 2024 年评价结果第 2 版"), "{}", r.html());
    let p = s.app.published(None).await.unwrap().unwrap();
    assert_eq!((p.version, p.reason.as_str()), (2, reason));

    // A commendation with an unknown inspection is refused with the app's words.
    let r = s.post_form(&office, "/work/publish/commend", "unit=430200&inspection=abc&practice=x").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.html().contains("不在通知所列范围"), "{}", r.html());
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn the_office_adds_and_disables_users() {
    let s = site().await;
    let office = s.login("demo-office").await;
    let page = s.get_as(&office, "/work/users").await.html();
    assert!(page.contains("demo-changsha") && page.contains("id=\"add-user-form\""), "{page}");
    let form = "name=zhang.tjj&display=%E5%BC%A0%E4%B8%89&role=provider&scope=TJJ&password=long-enough-1&password2=long-enough-2";
    let r = s.post_form(&office, "/work/users", form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.html().contains("两次输入的密码不一致"));
    let r = s.post_form(&office, "/work/users", &form.replace("long-enough-2", "long-enough-1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html());
    let users = s.app.users().await.unwrap();
    assert!(users.iter().any(|u| u.name == "zhang.tjj" && u.role == jili_app::Role::Provider("TJJ".into())));
    let r = s.post_form(&office, "/work/users/state", "name=zhang.tjj&disabled=1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(s.app.users().await.unwrap().iter().any(|u| u.name == "zhang.tjj" && u.disabled));
}

#[tokio::test]
async fn the_auditor_searches_verifies_and_exports_the_log() {
    let s = site().await;
    let audit = s.login("demo-audit").await;
    let plain = s.get_as(&audit, "/work/audit").await.html();
    assert!(plain.contains("id=\"verify-form\"") && !plain.contains("审计核验通过"), "verification on request");
    let page = s.get_as(&audit, "/work/audit?verify=1").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.html();
    assert!(page.contains("审计核验通过") && page.contains("id=\"chain-head\""), "{page}");
    assert!(page.contains("id=\"audit-log\"") && page.contains("user/demo-changsha"), "{page}");
    let events = s.app.audit_events().await.unwrap();
    let newest = events.last().unwrap();
    let at = |seq: i64| page.find(&format!("id=\"event-{seq}\"")).unwrap();
    assert!(at(newest.seq) < at(newest.seq - 1), "newest first");
    assert!(!page.contains("id=\"event-1\""), "the oldest are on a later page");
    let last = s.get_as(&audit, &format!("/work/audit?page={}", events.len())).await.html();
    assert!(last.contains("id=\"event-1\"") && last.contains("rel=\"prev\""), "{last}");

    let page = s.get_as(&audit, "/work/audit?action=user.add&q=demo-changsha").await.html();
    assert!(page.contains("user/demo-changsha") && !page.contains("user/demo-fgw"), "{page}");
    let page = s.get_as(&audit, "/work/audit?q=no-such-text-anywhere").await.html();
    assert!(page.contains("id=\"no-events\""), "{page}");

    let x = s.get_as(&audit, "/work/audit/export.xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.body.starts_with(b"PK"));
    let c = s.get_as(&audit, "/work/audit/export.csv").await;
    assert!(c.html().starts_with("\u{feff}序号,"), "{}", &c.html()[..40]);
    // The workbook's 序号 are numbers and its times date-time cells in Beijing time (the CSV, a
    // machine export, gives UTC): Excel sorts and filters them as such.
    {
        use calamine::{Data, Reader, Xlsx};
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(x.body.clone())).unwrap();
        let sheet = book.worksheet_range("审计日志").unwrap();
        assert_eq!(sheet.get((0, 1)), Some(&Data::String("时间（北京时间）".into())));
        let first_csv = c.html().lines().nth(1).unwrap().to_string();
        let utc = first_csv.split(',').nth(1).unwrap();
        assert!(
            matches!(sheet.get((1, 0)), Some(Data::Float(n)) if (*n - 1.0).abs() < 1e-9),
            "{:?}",
            sheet.get((1, 0))
        );
        let Some(Data::DateTime(t)) = sheet.get((1, 1)) else { panic!("a time cell: {:?}", sheet.get((1, 1))) };
        let seconds = (t.as_f64() * 86_400.0).round() as i64;
        assert_eq!(seconds, excel_seconds(utc) + 8 * 3600, "UTC {utc} shown in Beijing time");
    }
    assert!(c.header("content-disposition").contains("attachment"));

    // The API says the same.
    let token = s.api_token("demo-audit").await;
    let v = s.get_json(&token, "/api/audit/verify").await.json();
    assert_eq!(v["intact"], true);
    let found = s.get_json(&token, "/api/audit?action=user.add").await.json();
    assert!(found["events"].as_array().unwrap().iter().all(|e| e["action"] == "user.add"));
    // The auditor changes nothing.
    let r = s.post_json(Some(&token), "/api/runs", serde_json::json!({"measure": 3})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.html());
}

#[tokio::test]
async fn a_unit_reads_only_its_own_results() {
    let s = site().await;
    let cs = s.login("demo-changsha").await;
    let r = s.get_as(&cs, "/work/results").await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.html();
    let standing = s.app.standing("430100", None).await.unwrap();
    assert!(!standing.is_empty());
    assert!(page.contains("长沙市（430100）") && page.contains("id=\"results\""), "{page}");
    assert!(page.contains(&format!("id=\"measure-{}\"", standing[0].measure)) && page.contains(&standing[0].title));
    assert!(!page.contains("<form method=\"get\" action=\"/work/results\""), "no other unit to choose");
    let r = s.get_as(&cs, "/work/results?unit=430200").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let token = s.api_token("demo-changsha").await;
    assert_eq!(
        s.get_json(&token, "/api/standing/430100").await.json()["standing"].as_array().unwrap().len(),
        standing.len()
    );
    let r = s.get_json(&token, "/api/standing/430200").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["code"], "denied");
}

#[tokio::test]
async fn a_lead_reads_its_own_measures_results_and_no_others() {
    let s = site().await;
    let gxt = s.login("demo-gxt").await;
    let home = s.get_as(&gxt, "/work").await.html();
    assert!(home.contains("href=\"/work/measures\""), "{home}");
    let list = s.get_as(&gxt, "/work/measures").await;
    assert_eq!(list.status, StatusCode::OK);
    let list = list.html();
    assert!(list.contains("id=\"led-3\"") && list.contains("id=\"led-4\""), "{list}");
    assert!(!list.contains("id=\"led-1\""), "not FGW's measure 1");
    let page = s.get_as(&gxt, "/work/measures/3").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.html();
    let view = s.app.measure_results(Some(2024), 3, None).await.unwrap();
    let shown = view.shown.as_ref().unwrap();
    // Every unit has its row, with its outcome and, for one that did not win, its gap.
    assert!(page.contains("id=\"unit-results\"") && page.contains("id=\"groups\""), "{page}");
    for u in &shown.units {
        assert!(page.contains(&format!("id=\"unit-{}\"", u.code)), "{} has no row", u.name);
    }
    let loser = shown.units.iter().find(|u| !u.result.winner && u.result.gap.is_some_and(|g| g > 0.0)).unwrap();
    let row = page.split(&format!("id=\"unit-{}\"", loser.code)).nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains(&format!("{:.2}", loser.result.gap.unwrap())), "{row}");
    assert!(row.contains("逐项指标"), "the indicator-by-indicator explanation: {row}");
    // Another department's measure is refused, on the page and in the API.
    assert_eq!(s.get_as(&gxt, "/work/measures/1").await.status, StatusCode::FORBIDDEN);
    let token = s.api_token("demo-gxt").await;
    let api = s.get_json(&token, "/api/measure-results/3").await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json()["shown"]["units"].as_array().unwrap().len(), shown.units.len());
    assert_eq!(s.get_json(&token, "/api/measure-results/1").await.status, StatusCode::FORBIDDEN);
    let unit = s.api_token("demo-changsha").await;
    assert_eq!(s.get_json(&unit, "/api/measure-results/3").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_api_checks_a_file_and_takes_notes() {
    let s = site().await;
    let token = s.api_token("demo-tjj").await;
    let text = gdp_2025(&s, Some((0, "abc"))).await;
    let (boundary, body) = multipart(&[("dry_run", "true")], Some(("g.csv", text.as_bytes())));
    let req = Request::post("/api/imports")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let r = s.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.html());
    let j = r.json();
    assert_eq!(j["rejected"], true);
    assert_eq!(j["provider"], "TJJ");
    let f = &j["findings"][0];
    assert_eq!((f["line"].as_u64(), f["cell_ref"].as_str()), (Some(2), Some("D2")), "{j}");
    let r = s.post_json(Some(&token), "/api/flags/id/notes", serde_json::json!({"note": "x"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["code"], "not_found");
    let batches = s.get_json(&token, "/api/batches").await.json();
    assert!(batches["batches"].as_array().unwrap().iter().all(|b| b["provider"] == "TJJ"));
}

#[tokio::test]
async fn every_work_page_renders_for_the_office_and_the_auditor_in_both_languages() {
    let s = site().await;
    let office = s.login("demo-office").await;
    let audit = s.login("demo-audit").await;
    let pages = [
        "/work",
        "/work/upload",
        "/work/batches",
        "/work/batches?provider=TJJ",
        "/work/flags",
        "/work/flags?provider=TJJ&open=1",
        "/work/runs",
        "/work/publish",
        "/work/users",
        "/work/audit",
        "/work/audit?object=user%2F&page=2",
        "/work/results",
        "/work/results?unit=430100",
        "/work/measures",
        "/work/measures/11",
        "/work/grants",
        "/work/board",
        "/work/board?overdue=1",
        "/work/account",
        "/work/access",
        "/work/access?event=login&outcome=ok&client=10.&from=2024-01-01&to=2030-12-31&page=2",
    ];
    for lang in ["", "en"] {
        for path in pages {
            let path = if lang.is_empty() {
                path.to_string()
            } else {
                format!("{path}{}lang=en", if path.contains('?') { '&' } else { '?' })
            };
            let r = s.get_as(&office, &path).await;
            assert_eq!(r.status, StatusCode::OK, "office {path}: {}", r.html());
            assert!(!r.html().contains("work_"), "office {path}: an untranslated key");
        }
    }
    let page = s.get_as(&office, "/work/upload").await.html();
    assert!(
        page.contains("<option value=\"TJJ\"") && page.contains("<option value=\"\">请选择"),
        "the office picks: {page}"
    );
    // The office uploads for a provider it picks; without one it is told to pick.
    let text = gdp_2025(&s, None).await;
    let r = upload(&s, &office, "g.csv", &text, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.html().contains("没有代码为“”的部门"), "{}", r.html());
    let r = upload(&s, &office, "g.csv", &text, &[("provider", "tjj")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.html());
    assert!(hidden_fields(&r.html(), "confirm-import").contains(&("provider".into(), "TJJ".into())));
    let page = s.get_as(&office, "/work/results?unit=430100").await.html();
    assert!(
        page.contains("长沙市（430100）") && page.contains("<form method=\"get\" action=\"/work/results\""),
        "{page}"
    );
    for path in [
        "/work",
        "/work/batches",
        "/work/flags",
        "/work/runs",
        "/work/audit",
        "/work/access",
        "/work/account",
        "/work/results?unit=430200",
    ] {
        let r = s.get_as(&audit, path).await;
        assert_eq!(r.status, StatusCode::OK, "auditor {path}: {}", r.html());
    }
    let runs = s.get_as(&audit, "/work/runs").await.html();
    assert!(runs.contains("id=\"runs\"") && !runs.contains("id=\"run-all\""), "the auditor reads runs, runs none");
    assert_eq!(s.get_as(&audit, "/work/publish").await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.get_as(&audit, "/work/users").await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.get_as(&audit, "/work/upload").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_confirmation_larger_than_axums_default_limit_is_read_and_checked() {
    let s = site().await;
    let tjj = s.login("demo-tjj").await;
    let content = jili_web::carry::base64_encode(&vec![b'x'; 3 * 1024 * 1024]);
    let fields = [("csrf", tjj.csrf.as_str()), ("name", "big.csv"), ("sha256", "00"), ("content", content.as_str())];
    let r = post_multipart(&s, &tjj, "/work/upload/confirm", &fields, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", &r.html()[..200.min(r.body.len())]);
    assert!(r.html().contains("sha256"));
}

/// Only a provider and the office may import: anyone else is refused before the body is read
/// (a body that is not even multipart gets the same 403), and nothing is stored.
#[tokio::test]
async fn a_unit_posting_an_upload_is_refused_before_the_file_is_read() {
    let s = site().await;
    let before = batch_count(&s).await;
    let text = gdp_2025(&s, None).await;
    for name in ["demo-changsha", "demo-fgw", "demo-audit"] {
        let who = s.login(name).await;
        let r = upload(&s, &who, "g.csv", &text, &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}: {}", r.html());
        // Garbage where the multipart body should be: refused by role, not by the parser.
        let req = Request::post("/work/upload")
            .header(header::COOKIE, &who.cookie)
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
            .body(Body::from(vec![b'?'; 4096]))
            .unwrap();
        assert_eq!(s.send(req).await.status, StatusCode::FORBIDDEN, "{name}");
        let r = post_multipart(&s, &who, "/work/upload/confirm", &[("csrf", who.csrf.as_str())], None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}");
    }
    let token = s.api_token("demo-changsha").await;
    let (boundary, body) = multipart(&[("dry_run", "false")], Some(("g.csv", text.as_bytes())));
    let req = Request::post("/api/imports")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let r = s.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(r.json()["message"].as_str().unwrap_or_default().contains("无权限"), "{}", r.text());
    assert_eq!(batch_count(&s).await, before, "nothing stored");
}

/// The page form's token comes first: a form that sends the file before it is refused (403)
/// and stores nothing; a wrong token likewise.
#[tokio::test]
async fn an_upload_without_its_token_first_is_refused() {
    let s = site().await;
    let tjj = s.login("demo-tjj").await;
    let before = batch_count(&s).await;
    let text = gdp_2025(&s, None).await;
    let r = post_multipart(&s, &tjj, "/work/upload", &[], Some(("g.csv", text.as_bytes()))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.html());
    let r = post_multipart(&s, &tjj, "/work/upload", &[("csrf", "wrong")], Some(("g.csv", text.as_bytes()))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_multipart(&s, &tjj, "/work/upload", &[("status", "年报"), ("csrf", tjj.csrf.as_str())], None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the token must be the first field");
    assert_eq!(batch_count(&s).await, before);
}

/// "all or a measure number" is read by the app, the same for the page and the API.
#[tokio::test]
async fn a_bad_measure_is_refused_the_same_way_on_the_page_and_in_the_api() {
    let s = site().await;
    let office = s.login("demo-office").await;
    let before = s.app.raw_store().runs().await.unwrap().len();
    let r = s.post_form(&office, "/work/runs", "measure=0").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.html().contains("措施序号“0”应为 1–20 的数字"), "{}", r.html());
    let token = s.api_token("demo-office").await;
    for bad in [serde_json::json!("三"), serde_json::json!(0), serde_json::json!(true)] {
        let r = s.post_json(Some(&token), "/api/runs", serde_json::json!({ "measure": bad })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(r.json()["message"].as_str().unwrap_or_default().contains("1–20"), "{}", r.text());
    }
    assert_eq!(s.app.raw_store().runs().await.unwrap().len(), before, "nothing run");
}

/// The office cannot disable its own account from the users page (the rule is the app's).
#[tokio::test]
async fn the_office_cannot_disable_itself() {
    let s = site().await;
    let office = s.login("demo-office").await;
    let r = s.post_form(&office, "/work/users/state", "name=demo-office&disabled=1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.html().contains("不能停用自己的账号"), "{}", r.html());
    assert_eq!(s.get_as(&office, "/work").await.status, StatusCode::OK, "still logged in");
}

#[tokio::test]
async fn the_audit_chain_is_verified_only_when_asked() {
    let s = site().await;
    let audit = s.login("demo-audit").await;
    let plain = s.get_as(&audit, "/work/audit?q=demo").await.html();
    assert!(plain.contains("id=\"verify-form\"") && plain.contains("id=\"verify\""), "{plain}");
    assert!(plain.contains("id=\"verify-result\"") && !plain.contains("审计核验通过"), "not verified on a search");
    assert!(plain.contains("name=\"q\" value=\"demo\""), "the button keeps the search");
    let verified = s.get_as(&audit, "/work/audit?q=demo&verify=1").await;
    assert_eq!(verified.status, StatusCode::OK);
    let verified = verified.html();
    assert!(verified.contains("审计核验通过") && verified.contains("id=\"chain-head\""), "{verified}");
    let head = s.app.audit_events().await.unwrap().last().unwrap().seq;
    assert!(verified.contains(&format!("id=\"chain-head\">{head}:")), "{verified}");
    let en = s.get_as(&audit, "/work/audit?verify=1&lang=en").await.html();
    assert!(en.contains("Audit verified") && !en.contains("audit_"), "{en}");
}

#[tokio::test]
async fn the_office_rechecks_stored_data_as_a_job_and_providers_cannot() {
    let s = site().await;
    let office = s.login("demo-office").await;
    let page = s.get_as(&office, "/work/flags").await.html();
    assert!(page.contains("id=\"recheck-form\"") && page.contains("复查发现"), "{page}");
    let tjj = s.login("demo-tjj").await;
    let mine = s.get_as(&tjj, "/work/flags").await.html();
    assert!(!mine.contains("id=\"recheck-form\""), "{mine}");
    assert_eq!(s.post_form(&tjj, "/work/flags/recheck", "all=1").await.status, StatusCode::FORBIDDEN);
    // The demo was re-checked when built: a second full re-check finds nothing new.
    let before = s.app.flags(None).await.unwrap().len();
    let r = s.post_form(&office, "/work/flags/recheck", "all=1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html());
    let page = s.job_page(&office, &r.header("location")).await;
    assert!(page.contains("已复查全部数据") && page.contains("新增疑点 0 条"), "{page}");
    assert_eq!(s.app.flags(None).await.unwrap().len(), before);
}

/// The links of the dashboard's task cards (href and title, in order) and the ids of its
/// counts, in order.
fn dashboard_of(page: &str) -> (Vec<(String, String)>, Vec<String>) {
    let part = |start: &str| page.split_once(start).map_or("", |(_, rest)| rest.split("</ul>").next().unwrap_or(""));
    let cards = part("id=\"tasks\"")
        .split("<h3><a href=\"")
        .skip(1)
        .map(|c| {
            let (href, rest) = c.split_once("\">").unwrap();
            (href.to_string(), rest.split("</a>").next().unwrap().to_string())
        })
        .collect();
    let counts = part("id=\"counts\"")
        .split("<li class=\"card\" id=\"")
        .skip(1)
        .map(|c| c.split('"').next().unwrap().to_string())
        .collect();
    (cards, counts)
}

/// Which tasks and counts each role's dashboard shows: the page asks what the visitor may do.
#[tokio::test]
async fn each_role_sees_its_own_cards_and_counts_on_the_dashboard() {
    let s = site().await;
    let all = [
        ("plans", "/work/plans", "实施方案"),
        ("runs", "/work/runs", "评价运行"),
        ("publish", "/work/publish", "结果发布"),
        ("programme", "/work/programme", "年度激励方案"),
        ("upload", "/work/upload", "上传数据"),
        ("batches", "/work/batches", "数据批次"),
        ("flags", "/work/flags", "异常提示"),
        ("watch", "/work/watch", "疑点关注清单"),
        ("cases", "/work/cases", "数据核查案件"),
        ("board", "/work/board", "工作进度"),
        ("funds", "/work/funds", "资金台账"),
        ("users", "/work/users", "用户管理"),
        ("audit", "/work/audit", "审计日志"),
        ("access", "/work/access", "访问日志"),
        ("unit_results", "/work/results", "评价对象结果"),
        ("results", "/work/results", "本单位结果"),
        ("measures", "/work/measures", "本部门措施的评价结果"),
        ("grants", "/work/grants", "数据授权"),
        ("jobs", "/work/jobs", "后台任务"),
        ("account", "/work/account", "我的账号"),
    ];
    let expected = [
        (
            "demo-office",
            "plans runs publish programme upload batches flags watch cases board funds users audit access unit_results measures grants jobs account",
            "review runs version batches cases-open",
        ),
        ("demo-fgw", "plans board measures grants account", ""),
        ("demo-tjj", "upload batches flags cases board grants jobs account", "batches flags flags-open cases-waiting"),
        (
            "demo-audit",
            "runs batches watch cases board funds audit access unit_results measures jobs account",
            "events runs batches cases-open",
        ),
        ("demo-changsha", "results account", "measures won"),
    ];
    for (who, cards, counts) in expected {
        let session = s.login(who).await;
        let (shown_cards, shown_counts) = dashboard_of(&s.get_as(&session, "/work").await.html());
        let cards: Vec<(String, String)> = cards
            .split(' ')
            .map(|c| {
                let (_, href, title) = all.iter().find(|(name, _, _)| *name == c).unwrap();
                (href.to_string(), title.to_string())
            })
            .collect();
        let counts: Vec<String> = counts.split_whitespace().map(|c| format!("work-count-{c}")).collect();
        assert_eq!(shown_cards, cards, "{who}'s tasks");
        assert_eq!(shown_counts, counts, "{who}'s counts");
    }
}

/// An ISO 8601 UTC time (`2024-05-01T08:00:00Z`) as seconds since Excel's day 0 (1899-12-30).
fn excel_seconds(utc: &str) -> i64 {
    let n = |a: usize, z: usize| utc[a..z].parse::<i64>().unwrap();
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    // Days from 1970-01-01 (H. Hinnant's days_from_civil), then from 1899-12-30.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468 + 25_569;
    days * 86_400 + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19)
}
