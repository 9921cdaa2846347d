//! Sessions and the access log (issue 20, part 4): disabling a user ends its sessions for good;
//! a user changes their own password (the current one required) and logs out everywhere; the
//! office resets a password; logins, failed logins with their reason, logouts, password changes
//! and dry-run imports are recorded in the access log, which the auditor searches and exports
//! with formula-like text neutralised.
#![allow(clippy::unwrap_used)]

use crate::common;

use jili_app::governance::access_export::AccessFilter;
use jili_app::governance::access_log::AccessRow;
use jili_app::users::NewUser;
use jili_app::{App, AppError, ImportRequest, Principal, Role};
use jili_testkit::backends;

const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "staple battery horse 2";

/// An app on `url` with an office user, an auditor and a lead of FGW (reference data loaded
/// for the lead's department).
async fn with_users(url: &str) -> App {
    let app = App::open(url, "测试").await.unwrap();
    app.load_reference(&jili_app::bundled::reference_files()).await.unwrap();
    for (name, role) in [("zhang", Role::Office), ("zhao", Role::Auditor), ("li", Role::Lead("FGW".into()))] {
        app.add_user(&NewUser { name, display: name, role, password: PASSWORD }).await.unwrap();
    }
    app
}

/// The access log, newest first, as (user, event, outcome, client).
async fn log(app: &App) -> Vec<(String, String, String, String)> {
    let auditor = app.acting_as(Principal::office("测试"));
    let page = auditor.search_access(&AccessFilter { per_page: 500, ..AccessFilter::default() }).await.unwrap();
    page.entries
        .into_iter()
        .map(|r: AccessRow| (r.entry.user_name, r.entry.event, r.entry.outcome, r.entry.client))
        .collect()
}

fn row(user: &str, event: &str, outcome: &str, client: &str) -> (String, String, String, String) {
    (user.into(), event.into(), outcome.into(), client.into())
}

#[tokio::test]
async fn a_token_captured_before_disabling_is_dead_after_enabling_on_every_backend() {
    for db in backends().await {
        let app = with_users(&db.url()).await;
        let name = db.name();
        let session = app.login("li", PASSWORD, "10.0.0.8").await.unwrap();
        assert!(app.session(&session.token).await.unwrap().is_some(), "{name}");
        app.set_user_disabled("li", true).await.unwrap();
        assert_eq!(app.session(&session.token).await.unwrap(), None, "{name}: disabled");
        app.set_user_disabled("li", false).await.unwrap();
        assert_eq!(app.session(&session.token).await.unwrap(), None, "{name}: enabled again, the old token stays dead");
        // Logging in again works as ever.
        let again = app.login("li", PASSWORD, "10.0.0.8").await.unwrap();
        assert_eq!(app.session(&again.token).await.unwrap().unwrap().principal.name, "li", "{name}");
        assert!(app.verify_audit(None).await.unwrap().is_intact(), "{name}");
        app.close().await;
    }
}

#[tokio::test]
async fn a_user_changes_their_password_with_the_current_one_and_other_sessions_end() {
    for db in backends().await {
        let app = with_users(&db.url()).await;
        let name = db.name();
        let here = app.login("li", PASSWORD, "10.0.0.8").await.unwrap();
        let phone = app.login("li", PASSWORD, "10.0.0.9").await.unwrap();
        let other_user = app.login("zhao", PASSWORD, "10.0.0.10").await.unwrap();
        let li = app.acting_as(here.principal.clone()).from_client("10.0.0.8");

        // The rules of `user add`, and the current password, before anything changes.
        let short = li.change_password(PASSWORD, "short", Some(&here.token)).await.unwrap_err();
        assert!(short.to_string().contains("至少 10 个字符"), "{name}: {short}");
        let same = li.change_password(PASSWORD, PASSWORD, Some(&here.token)).await.unwrap_err();
        assert!(same.to_string().contains("相同"), "{name}: {same}");
        let wrong = li.change_password("not my password", NEW_PASSWORD, Some(&here.token)).await.unwrap_err();
        assert!(matches!(wrong, AppError::Invalid(ref m) if m.contains("当前密码不正确")), "{name}: {wrong}");
        assert!(app.authenticate("li", PASSWORD).await.is_ok(), "{name}: unchanged");

        let ended = li.change_password(PASSWORD, NEW_PASSWORD, Some(&here.token)).await.unwrap();
        assert_eq!(ended, 1, "{name}");
        assert!(app.session(&here.token).await.unwrap().is_some(), "{name}: the changing session stays");
        assert_eq!(app.session(&phone.token).await.unwrap(), None, "{name}: the other session ended");
        assert!(app.session(&other_user.token).await.unwrap().is_some(), "{name}: another user's stays");
        assert!(app.authenticate("li", PASSWORD).await.is_err(), "{name}: the old password no longer works");
        assert!(app.authenticate("li", NEW_PASSWORD).await.is_ok(), "{name}");

        // The public has no password to change.
        let public = app.acting_as(Principal::public());
        assert!(matches!(public.change_password(PASSWORD, NEW_PASSWORD, None).await, Err(AppError::Denied(_))));

        let events = app.audit_events().await.unwrap();
        let last = events.last().unwrap();
        assert_eq!((last.action.as_str(), last.subject.as_str()), ("user.password", "user/li"), "{name}");
        assert!(last.actor.starts_with("li（牵头单位）"), "{name}: {}", last.actor);
        assert!(!last.detail.contains("argon2") && !last.content.contains(NEW_PASSWORD), "{name}");
        let recorded = log(&app).await;
        assert_eq!(recorded[0], row("li", "password_change", "ok", "10.0.0.8"), "{name}");
        assert_eq!(recorded[1], row("li", "password_change", "wrong_password", "10.0.0.8"), "{name}");
        assert!(app.verify_audit(None).await.unwrap().is_intact(), "{name}");
        app.close().await;
    }
}

#[tokio::test]
async fn the_office_resets_a_password_and_the_users_sessions_end() {
    let db = jili_testkit::TestDb::new();
    let app = with_users(&db.url()).await;
    let li_session = app.login("li", PASSWORD, "10.0.0.8").await.unwrap();
    let office = app.acting_as(Principal { name: "zhang".into(), role: Role::Office }).from_client("10.0.0.1");

    // Only the office, never its own, and by the rules of `user add`.
    let lead = app.acting_as(li_session.principal.clone());
    assert!(matches!(lead.reset_password("zhao", NEW_PASSWORD).await, Err(AppError::Denied(_))));
    let own = office.reset_password("zhang", NEW_PASSWORD).await.unwrap_err();
    assert!(own.to_string().contains("我的账号"), "{own}");
    assert!(office.reset_password("li", "short").await.unwrap_err().to_string().contains("至少"));
    let unknown = office.reset_password("nobody", NEW_PASSWORD).await.unwrap_err();
    assert!(unknown.to_string().contains("没有用户“nobody”"), "{unknown}");

    office.reset_password("li", NEW_PASSWORD).await.unwrap();
    assert_eq!(app.session(&li_session.token).await.unwrap(), None, "every session of li ended");
    assert!(app.authenticate("li", NEW_PASSWORD).await.is_ok());
    let last = app.audit_events().await.unwrap().pop().unwrap();
    assert_eq!((last.actor.as_str(), last.action.as_str(), last.subject.as_str()), ("zhang", "user.reset", "user/li"));
    assert_eq!(log(&app).await[0], row("zhang", "password_reset", "ok", "10.0.0.1"));
    // The command line (the office, locally) resets any user's.
    app.reset_password("zhang", NEW_PASSWORD).await.unwrap();
    assert_eq!(log(&app).await[0], row("测试", "password_reset", "ok", "本机命令行"));
    assert!(app.verify_audit(None).await.unwrap().is_intact());
}

#[tokio::test]
async fn logging_out_everywhere_ends_every_session_of_the_user_only() {
    let db = jili_testkit::TestDb::new();
    let app = with_users(&db.url()).await;
    let a = app.login("zhao", PASSWORD, "10.0.0.8").await.unwrap();
    let b = app.login("zhao", PASSWORD, "10.0.0.9").await.unwrap();
    let other = app.login("li", PASSWORD, "10.0.0.10").await.unwrap();
    let zhao = app.acting_as(a.principal.clone()).from_client("10.0.0.8");
    assert_eq!(zhao.logout_all().await.unwrap(), 2);
    for t in [&a.token, &b.token] {
        assert_eq!(app.session(t).await.unwrap(), None);
    }
    assert!(app.session(&other.token).await.unwrap().is_some());
    // An ordinary logout is recorded too, and a stale token's logout is not anyone's.
    let li = app.acting_as(other.principal.clone()).from_client("10.0.0.10");
    li.logout(&other.token).await.unwrap();
    app.acting_as(Principal::public()).logout(&other.token).await.unwrap();
    let recorded = log(&app).await;
    assert_eq!(recorded[0], row("li", "logout", "ok", "10.0.0.10"));
    assert_eq!(recorded[1], row("zhao", "logout_all", "ok", "10.0.0.8"));
    assert_eq!(recorded.iter().filter(|r| r.1 == "logout").count(), 1);
    assert!(matches!(app.acting_as(Principal::public()).logout_all().await, Err(AppError::Denied(_))));
}

#[tokio::test]
async fn logins_are_recorded_with_the_reason_the_user_is_not_told() {
    let db = jili_testkit::TestDb::new();
    let app = with_users(&db.url()).await;
    app.set_user_disabled("zhao", true).await.unwrap();
    let public = app.acting_as(Principal::public());
    let ok = public.login("li", PASSWORD, "10.0.0.8").await.unwrap();
    let mut told = Vec::new();
    for (name, password) in [("li", "wrong password!"), ("nobody", PASSWORD), ("zhao", PASSWORD)] {
        told.push(public.login(name, password, "10.0.0.9").await.unwrap_err().to_string());
    }
    assert!(told.iter().all(|m| m == &told[0]), "one sentence for every reason: {told:?}");
    let recorded = log(&app).await;
    assert_eq!(
        recorded[..4],
        [
            row("zhao", "login", "disabled", "10.0.0.9"),
            row("nobody", "login", "unknown_user", "10.0.0.9"),
            row("li", "login", "wrong_password", "10.0.0.9"),
            row("li", "login", "ok", "10.0.0.8"),
        ]
    );
    // A name far longer than any user's is refused like the others and kept short in the log.
    let long = "名".repeat(100_000);
    assert!(matches!(public.login(&long, PASSWORD, "10.0.0.9").await, Err(AppError::Denied(_))));
    let kept = &log(&app).await[0].0;
    assert_eq!((kept.chars().count(), kept.ends_with('…')), (65, true), "64 characters and a mark");
    // The role of a known user is recorded with the failure; the session's short label with
    // the login.
    let page = app.search_access(&AccessFilter { user: "li".into(), ..AccessFilter::default() }).await.unwrap();
    assert_eq!(page.matching, 2);
    assert_eq!(page.entries[0].entry.role, "lead");
    assert_eq!(page.entries[0].role_label, "牵头单位");
    assert!(page.entries[1].entry.target.starts_with("会话 ") && page.entries[1].entry.target.len() > 8);
    assert!(!page.entries[1].entry.target.contains(&ok.token[..8]), "the label is not the token");
}

#[tokio::test]
async fn past_the_limit_refusals_are_recorded_once_per_address_and_window() {
    for db in backends().await {
        let app = with_users(&db.url()).await;
        let public = app.acting_as(Principal::public());
        for _ in 0..5 {
            assert!(matches!(public.login("li", "guess guess guess", "10.0.0.66").await, Err(AppError::Denied(_))));
        }
        // Three more at once: each waits for the attempts ahead of it, then is refused; only one
        // of the refusals is written, however they interleave.
        let (a, b, c) = tokio::join!(
            public.login("li", PASSWORD, "10.0.0.66"),
            public.login("li", "guess again!!", "10.0.0.66"),
            public.login("li", "and again!!!", "10.0.0.66")
        );
        for r in [a, b, c] {
            assert!(matches!(r, Err(AppError::RateLimited(_))), "{}: {r:?}", db.name());
        }
        let recorded = log(&app).await;
        let limited: Vec<_> = recorded.iter().filter(|r| r.2 == "too_many_attempts").collect();
        assert_eq!(limited, [&row("li", "login", "too_many_attempts", "10.0.0.66")], "{}", db.name());
        assert_eq!(recorded.iter().filter(|r| r.2 == "wrong_password").count(), 5);
        app.close().await;
    }
}

#[tokio::test]
async fn dry_runs_are_recorded_with_the_files_digest_and_what_was_found() {
    let db = common::demo_db().await;
    let app = App::open(&db.url(), "测试").await.unwrap();
    let provider = app
        .acting_as(Principal { name: "wang.tjj".into(), role: Role::Provider("TJJ".into()) })
        .from_client("10.1.2.3");
    let text = "地区,指标,年份,数值\n长沙市,地区生产总值,2030,16000\n岳阳市,地区生产总值,2030,约5000\n";
    let mut request = ImportRequest::new("=HYPERLINK(\"x\",\"y\").csv", text.as_bytes().to_vec(), "TJJ");
    request.partial = true;
    request.dry_run = true;
    let found = provider.import_file(&request, &|_| {}).await.unwrap();
    assert!(found.rejected());
    request.bytes = "地区,指标,年份,数值\n长沙市,地区生产总值,2030,16000\n".as_bytes().to_vec();
    provider.import_file(&request, &|_| {}).await.unwrap();
    request.encoding = Some("klingon".into());
    assert!(matches!(provider.import_file(&request, &|_| {}).await, Err(AppError::Invalid(_))));
    // A stored import is audited, not access-logged; a refused one is the front end's to record.
    request.encoding = None;
    request.dry_run = false;
    request.reason = Some("测试".into());
    assert!(provider.import_file(&request, &|_| {}).await.unwrap().stored.is_some());
    request.provider = "CZT".into();
    request.dry_run = true;
    assert!(matches!(provider.import_file(&request, &|_| {}).await, Err(AppError::Denied(_))));

    let page = app.search_access(&AccessFilter { event: "dry_run".into(), ..AccessFilter::default() }).await.unwrap();
    let rows: Vec<(&str, &str, &str)> = page
        .entries
        .iter()
        .map(|r| (r.entry.user_name.as_str(), r.entry.outcome.as_str(), r.entry.client.as_str()))
        .collect();
    assert_eq!(
        rows,
        [("wang.tjj", "failed", "10.1.2.3"), ("wang.tjj", "ok", "10.1.2.3"), ("wang.tjj", "rejected", "10.1.2.3")]
    );
    let rejected = &page.entries[2].entry;
    assert_eq!(rejected.target, "=HYPERLINK(\"x\",\"y\").csv");
    let sha = jili_app::intake::upload_sha256(text.as_bytes());
    assert!(rejected.detail.contains(&sha) && rejected.detail.contains("错误 1"), "{}", rejected.detail);
    assert!(page.entries[0].entry.detail.contains("klingon"), "{}", page.entries[0].entry.detail);

    // The export neutralises the file name a spreadsheet would take as a formula.
    let filter = AccessFilter { event: "dry_run".into(), ..AccessFilter::default() };
    let csv = String::from_utf8(app.access_csv(&filter).await.unwrap()).unwrap();
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\").csv\""), "{csv}");
    assert!(!csv.contains(",\"=HYPERLINK") && !csv.contains(",=HYPERLINK"), "{csv}");
    let xlsx = app.access_xlsx(&filter).await.unwrap();
    let book = jili_intake::data::open("access.xlsx", &xlsx, None).unwrap();
    let cells: Vec<String> = book.sheets[0].rows.iter().flatten().map(|c| c.shown().to_string()).collect();
    assert!(cells.contains(&"'=HYPERLINK(\"x\",\"y\").csv".to_string()), "{cells:?}");
    assert!(!cells.iter().any(|c| c.starts_with('=')), "{cells:?}");
    assert!(app.verify_audit(None).await.unwrap().is_intact());
}

#[tokio::test]
async fn the_access_log_is_for_the_auditor_and_the_office_and_its_exports_are_bounded_by_filters() {
    let db = jili_testkit::TestDb::new();
    let app = with_users(&db.url()).await;
    let public = app.acting_as(Principal::public());
    let _ = public.login("=HYPERLINK(\"http://x\",\"y\")", "whatever whatever", "10.0.0.5").await;
    let _ = public.login("-2.3", "whatever whatever", "10.0.0.5").await;
    public.login("li", PASSWORD, "192.168.1.20").await.unwrap();

    for who in [Principal::public(), Principal { name: "li".into(), role: Role::Lead("FGW".into()) }] {
        let someone = app.acting_as(who);
        assert!(matches!(someone.search_access(&AccessFilter::default()).await, Err(AppError::Denied(_))));
        assert!(matches!(someone.access_csv(&AccessFilter::default()).await, Err(AppError::Denied(_))));
    }
    let auditor = app.acting_as(Principal { name: "zhao".into(), role: Role::Auditor });
    let page =
        auditor.search_access(&AccessFilter { client: "10.0.".into(), ..AccessFilter::default() }).await.unwrap();
    assert_eq!(page.matching, 2);
    let paged =
        auditor.search_access(&AccessFilter { per_page: 1, page: 99, ..AccessFilter::default() }).await.unwrap();
    assert_eq!((paged.page, paged.pages, paged.entries.len()), (3, 3, 1), "a page past the end shows the last");
    let huge = auditor.search_access(&AccessFilter { per_page: 1_000_000, ..AccessFilter::default() }).await.unwrap();
    assert_eq!(huge.per_page, 500, "pages are bounded");
    let today = jili_app::clock::beijing_time(&jili_app::clock::now_utc());
    assert!(today.contains('年'));
    let bad = auditor.search_access(&AccessFilter { from: "2024-13-01".into(), ..AccessFilter::default() }).await;
    assert!(matches!(bad, Err(AppError::Invalid(ref m)) if m.contains("2024-05-01")), "{bad:?}");
    let none = AccessFilter { to: "2000-01-01".into(), ..AccessFilter::default() };
    assert_eq!(auditor.search_access(&none).await.unwrap().matching, 0);

    let csv = String::from_utf8(auditor.access_csv(&AccessFilter::default()).await.unwrap()).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), "{csv}");
    assert!(csv.contains(",-2.3,"), "a number stays data: {csv}");
    assert!(csv.contains("登录") && csv.contains("用户名不存在") && csv.contains("login/unknown_user"), "{csv}");
    assert_eq!(csv.lines().count(), 4, "a header and three rows, oldest first: {csv}");
    assert!(csv.lines().nth(1).unwrap_or_default().contains("HYPERLINK"));
}
