//! Sessions and the access log through the router (issue 20, part 4): a cookie captured before
//! its user was disabled stays dead after enabling; a user changes their own password on the
//! account page and through the API, and logs out everywhere; the office resets a password;
//! logged-in answers are `no-store` while the public's cached pages keep their caching; the
//! auditor searches and exports the access log (logins, failures with their reason, refusals,
//! dry runs); downloads neutralise text a spreadsheet would take as a formula.
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{DEMO_PASSWORD, Reply, Session, Site, site};

const NEW_PASSWORD: &str = "a brand new pass phrase";

/// Log in through the form with any password; the reply.
async fn form_login(s: &Site, name: &str, password: &str) -> Reply {
    let form = s.get("/login").await;
    let pre = form.cookies().into_iter().find(|c| c.starts_with("jili_login=")).unwrap();
    let pre = pre.split(';').next().unwrap().to_string();
    let token = pre.trim_start_matches("jili_login=").to_string();
    let enc = |t: &str| t.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    let body = format!("name={}&password={}&login_token={token}&next=/work", enc(name), enc(password));
    let req = Request::post("/login")
        .header(header::COOKIE, &pre)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    s.send(req).await
}

/// The session of a successful form login.
async fn session_of(s: &Site, r: &Reply) -> Session {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let cookie = r.cookies().into_iter().find(|c| c.starts_with("jili_session=")).unwrap();
    let mut session = Session { cookie: cookie.split(';').next().unwrap().to_string(), csrf: String::new() };
    session.csrf = s.csrf_of(&session).await;
    session
}

/// Whether the session is still logged in (as its user).
async fn alive(s: &Site, session: &Session) -> bool {
    s.get_as(session, "/api/me").await.json()["role"] != "public"
}

/// The access log as the auditor's API gives it, newest first.
async fn access_log(s: &Site, query: &str) -> Vec<serde_json::Value> {
    let token = s.api_token("demo-audit").await;
    let r = s.get_json(&token, &format!("/api/access-log?{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()["entries"].as_array().unwrap().clone()
}

/// Fields of the rows: (user, event, outcome).
fn events(rows: &[serde_json::Value]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|r| {
            let f = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (f("user_name"), f("event"), f("outcome"))
        })
        .collect()
}

fn ev(user: &str, event: &str, outcome: &str) -> (String, String, String) {
    (user.into(), event.into(), outcome.into())
}

#[tokio::test]
async fn a_cookie_from_before_a_user_was_disabled_is_dead_after_enabling() {
    let s = site().await;
    let office = s.login("demo-office").await;
    let tjj = s.login("demo-tjj").await;
    let token = s.api_token("demo-tjj").await;
    assert!(alive(&s, &tjj).await);
    let r = s.post_form(&office, "/work/users/state", "name=demo-tjj&disabled=1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = s.post_form(&office, "/work/users/state", "name=demo-tjj&disabled=0").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!alive(&s, &tjj).await, "the cookie captured before disabling is dead");
    let r = s.get_as(&tjj, "/work/upload").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "sent to log in again");
    assert!(r.header("location").starts_with("/login"), "{}", r.header("location"));
    assert_eq!(s.get_json(&token, "/api/me").await.status, StatusCode::UNAUTHORIZED, "the API token too");
    assert!(alive(&s, &s.login("demo-tjj").await).await, "a new login works");
}

#[tokio::test]
async fn a_user_changes_their_password_on_the_account_page_and_other_sessions_end() {
    let s = site().await;
    let here = s.login("demo-fgw").await;
    let elsewhere = s.login("demo-fgw").await;
    let token = s.api_token("demo-fgw").await;
    let page = s.get_as(&here, "/work").await.text();
    assert!(page.contains("href=\"/work/account\""), "the frame links to the account page");
    let page = s.get_as(&here, "/work/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("id=\"password-form\"") && page.text().contains("id=\"logout-all-form\""));

    let change = |current: &str, new: &str, again: &str| {
        format!(
            "current={}&password={}&password2={}",
            current.replace(' ', "+"),
            new.replace(' ', "+"),
            again.replace(' ', "+")
        )
    };
    let r = s.post_form(&here, "/work/account/password", &change(DEMO_PASSWORD, NEW_PASSWORD, "something else")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("两次输入的新密码不一致"), "{}", r.text());
    let r = s.post_form(&here, "/work/account/password", &change("not the password", NEW_PASSWORD, NEW_PASSWORD)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("当前密码不正确"), "{}", r.text());
    let r = s.post_form(&here, "/work/account/password", &change(DEMO_PASSWORD, "short", "short")).await;
    assert!(r.text().contains("至少 10 个字符"), "{}", r.text());
    assert!(alive(&s, &elsewhere).await, "nothing changed yet");

    let r = s.post_form(&here, "/work/account/password", &change(DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.header("location"), "/work/account?done=password");
    assert!(s.get_as(&here, "/work/account?done=password").await.text().contains("密码已修改"));
    assert!(alive(&s, &here).await, "this session stays");
    assert!(!alive(&s, &elsewhere).await, "the other browser is logged out");
    assert_eq!(s.get_json(&token, "/api/me").await.status, StatusCode::UNAUTHORIZED, "and the API token");
    assert_eq!(form_login(&s, "demo-fgw", DEMO_PASSWORD).await.status, StatusCode::FORBIDDEN);
    assert_eq!(form_login(&s, "demo-fgw", NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let last = s.app.audit_events().await.unwrap().pop().unwrap();
    assert_eq!((last.action.as_str(), last.subject.as_str()), ("user.password", "user/demo-fgw"));
    assert!(s.app.verify_audit(None).await.unwrap().is_intact());
}

#[tokio::test]
async fn logging_out_everywhere_ends_every_session_and_clears_the_cookie() {
    let s = site().await;
    let here = s.login("demo-gxt").await;
    let elsewhere = s.login("demo-gxt").await;
    let other_user = s.login("demo-tjj").await;
    let r = s.post_form(&Session { csrf: "wrong".into(), ..here.clone() }, "/work/account/logout-all", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the form token is required");
    assert!(alive(&s, &elsewhere).await);
    let r = s.post_form(&here, "/work/account/logout-all", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/login?done=logged_out_all");
    assert!(
        r.cookies().iter().any(|c| c.starts_with("jili_session=;") && c.contains("Max-Age=0")),
        "{:?}",
        r.cookies()
    );
    assert!(s.get(&r.header("location")).await.text().contains("已退出全部登录"));
    assert!(!alive(&s, &here).await && !alive(&s, &elsewhere).await);
    assert!(alive(&s, &other_user).await, "another user's session stays");
    let rows = events(&access_log(&s, "user=demo-gxt").await);
    assert_eq!(rows[0], ev("demo-gxt", "logout_all", "ok"));
    assert_eq!(rows[1], ev("demo-gxt", "refused", "csrf"), "the refused form is recorded too");
}

#[tokio::test]
async fn the_office_resets_a_password_and_nobody_else_can() {
    let s = site().await;
    let office = s.login("demo-office").await;
    let unit = s.login("demo-changsha").await;
    let page = s.get_as(&office, "/work/users").await.text();
    assert!(page.contains("id=\"reset-form\""), "{page}");
    assert!(!page.contains("<option value=\"demo-office\""), "the office changes its own on its account page");
    let form = format!("name=demo-changsha&password={0}&password2={0}", NEW_PASSWORD.replace(' ', "+"));
    // A unit cannot: refused, and the refusal recorded with the path.
    let r = s.post_form(&unit, "/work/users/password", &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(alive(&s, &unit).await);
    let r = s.post_form(&office, "/work/users/password", &form.replace("password2=a", "password2=x")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = s.post_form(&office, "/work/users/password", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(s.get_as(&office, &r.header("location")).await.text().contains("已重置密码"));
    assert!(!alive(&s, &unit).await, "the user's sessions ended");
    assert_eq!(form_login(&s, "demo-changsha", NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);

    let rows = access_log(&s, "").await;
    let refused = rows.iter().find(|r| r["event"] == "refused" && r["user_name"] == "demo-changsha").unwrap();
    assert_eq!(refused["target"], "POST /work/users/password");
    assert_eq!(refused["outcome"], "denied");
    assert_eq!(refused["role"], "unit");
    assert!(refused["detail"].as_str().unwrap().contains("管理用户"), "{refused}");
    let reset = rows.iter().find(|r| r["event"] == "password_reset").unwrap();
    assert_eq!(
        (reset["user_name"].as_str(), reset["target"].as_str()),
        (Some("demo-office"), Some("user/demo-changsha"))
    );
    let last = s.app.audit_events().await.unwrap().pop().unwrap();
    assert_eq!((last.actor.as_str(), last.action.as_str()), ("demo-office", "user.reset"));
}

#[tokio::test]
async fn the_api_changes_and_resets_passwords_and_logs_out_everywhere() {
    let s = site().await;
    let token = s.api_token("demo-tjj").await;
    let browser = s.login("demo-tjj").await;
    let body = |current: &str, password: &str| serde_json::json!({"current": current, "password": password});
    let r = s.post_json(Some(&token), "/api/password", body("wrong password!", NEW_PASSWORD)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["message"].as_str().unwrap().contains("当前密码不正确"));
    let r = s.post_json(Some(&token), "/api/password", body(DEMO_PASSWORD, NEW_PASSWORD)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["sessions_ended"], 1);
    assert_eq!(s.get_json(&token, "/api/me").await.json()["name"], "demo-tjj", "this token stays");
    assert!(!alive(&s, &browser).await);
    // A browser session needs its form token for these writes.
    let b2 = session_of(&s, &form_login(&s, "demo-tjj", NEW_PASSWORD).await).await;
    let req = Request::post("/api/logout-all").header(header::COOKIE, &b2.cookie).body(Body::empty()).unwrap();
    assert_eq!(s.send(req).await.status, StatusCode::FORBIDDEN);
    let r = s.post_json(Some(&token), "/api/logout-all", serde_json::json!({})).await;
    assert_eq!(r.json()["sessions_ended"], 2, "{}", r.text());
    assert_eq!(s.get_json(&token, "/api/me").await.status, StatusCode::UNAUTHORIZED);

    let office = s.api_token("demo-office").await;
    let auditor = s.api_token("demo-audit").await;
    let reset = serde_json::json!({"password": DEMO_PASSWORD});
    let r = s.post_json(Some(&auditor), "/api/users/demo-tjj/password", reset.clone()).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::FORBIDDEN, Some("denied")));
    let r = s.post_json(Some(&office), "/api/users/nobody/password", reset.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let r = s.post_json(Some(&office), "/api/users/demo-tjj/password", reset).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(s.api_token("demo-tjj").await.len(), 64);
    // The public has no password.
    let r = s.post_json(None, "/api/password", body(DEMO_PASSWORD, NEW_PASSWORD)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let openapi = s.get("/api/openapi.json").await.json();
    for path in ["/api/password", "/api/logout-all", "/api/users/{name}/password", "/api/access-log"] {
        assert!(openapi["paths"][path].is_object(), "{path} is documented");
    }
}

#[tokio::test]
async fn logged_in_answers_are_not_stored_and_the_publics_keep_their_caching() {
    let s = site().await;
    let public = s.get("/").await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.header("cache-control"), "public, max-age=60");
    assert_eq!(s.get("/api/programme").await.header("cache-control"), "public, max-age=60");
    assert!(s.get("/assets/app.css").await.header("cache-control").contains("max-age"));
    for path in ["/login"] {
        assert_eq!(s.get(path).await.header("cache-control"), "no-store", "{path}");
    }
    let office = s.login("demo-office").await;
    for path in [
        "/",
        "/measures/3",
        "/work",
        "/work/users",
        "/work/audit/export.csv",
        "/api/me",
        "/api/programme",
        "/no-such-page",
    ] {
        let r = s.get_as(&office, path).await;
        let said = r.header("cache-control");
        // The portal's own answer to a logged-in visitor says `private, no-store`.
        assert!(said == "no-store" || said == "private, no-store", "{path}: {} {said}", r.status);
    }
    let r = s.get_as(&office, "/assets/app.css").await;
    assert!(r.header("cache-control").contains("max-age"), "assets are the same for everyone");
    let token = s.api_token("demo-audit").await;
    for path in ["/api/audit", "/api/access-log", "/api/programme", "/work/access"] {
        assert!(s.get_json(&token, path).await.header("cache-control").ends_with("no-store"), "{path}");
    }
    for path in ["/work", "/api/me", "/work/account"] {
        assert_eq!(s.get_json(&token, path).await.header("cache-control"), "no-store", "{path}");
    }
    let r = s.post_json(None, "/api/login", serde_json::json!({"name": "demo-tjj", "password": DEMO_PASSWORD})).await;
    assert_eq!(r.header("cache-control"), "no-store", "the token's answer");
    let r = s.post_form(&office, "/logout", "").await;
    assert_eq!(r.header("cache-control"), "no-store");
    let r = form_login(&s, "demo-tjj", DEMO_PASSWORD).await;
    assert_eq!(r.header("cache-control"), "no-store");
}

#[tokio::test]
async fn the_auditor_searches_the_access_log_and_its_exports_neutralise_formulas() {
    let s = site().await;
    let hostile = "=HYPERLINK(\"http://x\",\"y\")";
    assert_eq!(form_login(&s, hostile, "whatever whatever").await.status, StatusCode::FORBIDDEN);
    assert_eq!(form_login(&s, "demo-tjj", "wrong password!").await.status, StatusCode::FORBIDDEN);
    let lead = s.login("demo-fgw").await;
    assert_eq!(s.get_as(&lead, "/work/audit").await.status, StatusCode::FORBIDDEN);
    // The public's refusals are not recorded (anyone could grow the log).
    let r = s.post_form(&Session::default(), "/logout", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let audit = s.login("demo-audit").await;
    let page = s.get_as(&audit, "/work/access").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = unescape(&page.text());
    assert!(html.contains("id=\"access-log\"") && html.contains("id=\"access-search\""), "{html}");
    assert!(html.contains("密码错误") && html.contains("用户名不存在") && html.contains("拒绝访问"), "{html}");
    assert!(html.contains("GET /work/audit"), "the refused path is shown");
    assert!(html.contains("年") && html.contains("<time datetime=\""), "Beijing time with the UTC instant");
    let rows = access_log(&s, "").await;
    assert_eq!(rows.iter().filter(|r| r["event"] == "refused").count(), 1, "only the lead's refusal");
    let failed = events(&access_log(&s, "event=login&outcome=wrong_password").await);
    assert_eq!(failed, [ev("demo-tjj", "login", "wrong_password")]);
    let unknown = access_log(&s, "outcome=unknown_user").await;
    assert_eq!(unknown[0]["user_name"], hostile);
    assert_eq!(unknown[0]["role_label"], "");
    let page = unescape(&s.get_as(&audit, "/work/access?user=demo-fgw&event=refused").await.text());
    assert!(page.contains("GET /work/audit") && page.matches("<tr id=\"access-").count() == 1, "{page}");
    let bad = s.get_as(&audit, "/work/access?from=2024-02-31").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("不是有效日期"), "{}", bad.text());
    // Other roles may not read it: refused (and that is recorded too).
    assert_eq!(s.get_as(&lead, "/work/access").await.status, StatusCode::FORBIDDEN);
    let token = s.api_token("demo-fgw").await;
    let r = s.get_json(&token, "/api/access-log").await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::FORBIDDEN, Some("denied")));

    // Exports of the search, with the hostile name neutralised.
    let csv = s.get_as(&audit, "/work/access/export.csv?outcome=unknown_user").await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text());
    assert_eq!(csv.header("cache-control"), "no-store");
    let text = csv.text();
    assert!(text.starts_with("\u{feff}编号,"), "{text}");
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), "{text}");
    assert!(!text.contains(",\"=HYPERLINK") && !text.contains(",=HYPERLINK"), "{text}");
    assert_eq!(text.lines().count(), 2, "the header and the one row searched for: {text}");
    let xlsx = s.get_as(&audit, "/work/access/export.xlsx?event=login").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let cells = xlsx_cells(&xlsx.body, "访问日志");
    assert!(cells.contains(&format!("'{hostile}")), "{cells:?}");
    assert!(!cells.iter().any(|c| c.starts_with(['=', '+', '@'])), "{cells:?}");
}

#[tokio::test]
async fn dry_runs_on_the_upload_page_are_recorded_with_the_files_digest() {
    let s = site().await;
    let tjj = s.login("demo-tjj").await;
    let text = common::gdp_2025(&s.app, Some((2, "约5100"))).await;
    let r = upload(&s, &tjj, "二〇二五年地区生产总值.csv", &text).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let rows = access_log(&s, "event=dry_run").await;
    assert_eq!(events(&rows), [ev("demo-tjj", "dry_run", "rejected")]);
    assert_eq!(rows[0]["target"], "二〇二五年地区生产总值.csv");
    let sha = jili_app::intake::upload_sha256(text.as_bytes());
    let detail = rows[0]["detail"].as_str().unwrap();
    assert!(detail.contains(&sha) && detail.contains("错误 1"), "{detail}");
    assert_eq!(rows[0]["role"], "provider");
    assert_eq!(rows[0]["scope"], "TJJ");
}

#[tokio::test]
async fn hostile_text_is_neutralised_in_the_audit_export_and_the_validation_report() {
    let s = site().await;
    let office = s.login("demo-office").await;
    let hostile = "=HYPERLINK(\"http://x\",\"y\")";
    let enc = |t: &str| t.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    let form = format!(
        "name=evil.user&display={}&role=auditor&scope=&password=long-enough-1&password2=long-enough-1",
        enc(hostile)
    );
    assert_eq!(s.post_form(&office, "/work/users", &form).await.status, StatusCode::SEE_OTHER);
    // A provider's hostile note on a flag: part of an audit detail, never a cell's start.
    let mut flagged =
        jili_app::ImportRequest::new("g.csv", common::gdp_2025_with_a_jump(&s.app).await.into_bytes(), "TJJ");
    flagged.status = jili_model::Status::Preliminary;
    let batch = s.app.import_file(&flagged, &|_| {}).await.unwrap().stored.unwrap();
    let flag = s.app.flags(Some(batch)).await.unwrap().into_iter().next().unwrap();
    let tjj = s.login("demo-tjj").await;
    let note = format!("note={}", enc("@SUM(1+1)*cmd|' /C calc'!A0"));
    let r = s.post_form(&tjj, &format!("/work/flags/{}/notes", flag.id), &note).await;
    assert!(r.status.is_redirection() || r.status == StatusCode::OK, "{}", r.status);

    let audit = s.login("demo-audit").await;
    let csv = s.get_as(&audit, "/work/audit/export.csv").await.text();
    assert!(csv.contains(&format!("\"'{}", hostile.replace('"', "\"\""))), "the display name starts a detail: {csv}");
    assert!(!csv.lines().any(|l| l.contains(",\"=") || l.contains(",=") || l.contains(",@") || l.contains(",\"@")));
    let xlsx = s.get_as(&audit, "/work/audit/export.xlsx").await;
    let cells = xlsx_cells(&xlsx.body, "审计日志");
    assert!(cells.iter().any(|c| c.starts_with(&format!("'{hostile}"))), "{:?}", &cells[..20]);
    assert!(!cells.iter().any(|c| c.starts_with(['=', '+', '@'])), "no cell starts a formula");

    // The validation report copies the sender's cells: a hostile one is neutralised.
    let quoted = format!("\"{}\"", hostile.replace('"', "\"\""));
    let mut text = common::gdp_2025(&s.app, Some((3, &quoted))).await;
    text.push_str("-2.3,地区生产总值,2025,1\r\n");
    let r = upload(&s, &tjj, "g.csv", &text).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = report_fields(&r.text());
    let (boundary, body) = multipart(&fields);
    let req = Request::post("/work/upload/report")
        .header(header::COOKIE, &tjj.cookie)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let report = s.send(req).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text());
    let copied = xlsx_cells(&report.body, "g");
    assert!(copied.contains(&format!("'{hostile}")), "{copied:?}");
    assert!(copied.contains(&"-2.3".to_string()), "a number stays as it was: {copied:?}");
    let listed = xlsx_cells(&report.body, "问题清单");
    assert!(!listed.iter().any(|c| c.starts_with(['=', '+', '@'])), "{listed:?}");
}

/// Every cell of a sheet of an XLSX workbook, as text.
fn xlsx_cells(bytes: &[u8], sheet: &str) -> Vec<String> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range.cells().map(|(_, _, c)| c.to_string()).collect()
}

/// A multipart body of text fields.
fn multipart(fields: &[(String, String)]) -> (String, Vec<u8>) {
    let boundary = "----jiliSessionsBoundary".to_string();
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (boundary, body)
}

/// Upload a file for checking on the provider's page.
async fn upload(s: &Site, session: &Session, name: &str, text: &str) -> Reply {
    let boundary = "----jiliSessionsBoundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n", session.csrf)
        .into_bytes();
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n")
            .bytes(),
    );
    body.extend(text.as_bytes());
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    let req = Request::post("/work/upload")
        .header(header::COOKIE, &session.cookie)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    s.send(req).await
}

/// The hidden fields of the report form on a validation report page, unescaped.
fn report_fields(page: &str) -> Vec<(String, String)> {
    let start = page.find("id=\"report-form\"").expect("a report form");
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

/// A page's text with the HTML escapes undone (`/` is written `&#x2f;`).
fn unescape(v: &str) -> String {
    v.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn the_client_behind_a_trusted_proxy_is_the_address_recorded() {
    use axum::extract::connect_info::MockConnectInfo;
    use tower::ServiceExt;
    let s = site().await;
    let proxy: std::net::IpAddr = "127.0.0.1".parse().unwrap();
    let state = jili_web::AppState::behind_proxies(s.app.clone(), false, vec![proxy]);
    let router = jili_web::router(state).layer(MockConnectInfo(std::net::SocketAddr::new(proxy, 40000)));
    let send = |req: Request<Body>| async { router.clone().oneshot(req).await.unwrap() };
    let login = |name: &str, password: &str| {
        Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", "1.2.3.4, 203.0.113.9")
            .body(Body::from(serde_json::json!({"name": name, "password": password}).to_string()))
            .unwrap()
    };
    assert_eq!(send(login("demo-fgw", "not the password")).await.status(), StatusCode::UNAUTHORIZED);
    let ok = send(login("demo-fgw", DEMO_PASSWORD)).await;
    let body = http_body_util::BodyExt::collect(ok.into_body()).await.unwrap().to_bytes();
    let token = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["token"].as_str().unwrap().to_string();
    let refused = Request::get("/api/access-log")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header("x-forwarded-for", "198.51.100.20")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(refused).await.status(), StatusCode::FORBIDDEN);
    let rows = access_log(&s, "user=demo-fgw").await;
    let seen: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r["event"].as_str().unwrap(), r["outcome"].as_str().unwrap(), r["client"].as_str().unwrap()))
        .collect();
    assert_eq!(
        seen,
        [
            ("refused", "denied", "198.51.100.20"),
            ("login", "ok", "203.0.113.9"),
            ("login", "wrong_password", "203.0.113.9")
        ],
        "the address the proxy appended, never the one the client wrote"
    );
    assert_eq!(access_log(&s, "client=203.0.113.").await.len(), 2, "searched by the address's start");
}
