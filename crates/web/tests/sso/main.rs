//! Single sign-on against a real OpenID Connect provider (oidc-provider, started under Node.js
//! by the test): an office, a lead, a provider and a unit log in through it and get their jili
//! roles from the mapping; a tampered token, a token for another client, an expired token, a
//! token with another login's nonce or another issuer, a replayed code or state and a person
//! the mapping does not know are refused with a clear
//! message, and every refusal is in the access log with its reason.
#![allow(clippy::unwrap_used)]

#[path = "../it/common/mod.rs"]
mod common;
mod kit;

use jili_app::governance::access_export::AccessFilter;
use jili_app::governance::access_log::AccessRow;
use jili_app::sso::{Sso, SsoConfig};
use kit::{Browser, ProviderProcess, SECRET, provider_available, query_param};

/// jili on a loopback port with single sign-on through a provider started for it.
struct World {
    jili: String,
    site: common::Site,
    provider: ProviderProcess,
    _secret: tempfile::NamedTempFile,
}

/// The office's settings for the test provider: the `department` claim, the office by one
/// value, a lead and a provider by theirs, units by a prefix.
fn settings(issuer: &str, redirect: &str, secret_file: &std::path::Path) -> String {
    format!(
        r#"
issuer = "{issuer}"
client_id = "jili"
client_secret_file = "{}"
redirect_url = "{redirect}"
scopes = ["openid", "profile"]
role_claim = "department"

[[map]]
value = "hunan-office"
role = "office"

[[map]]
value = "FGW"
role = "lead"
scope = "FGW"

[[map]]
value = "TJJ"
role = "provider"
scope = "TJJ"

[[map]]
prefix = "unit:"
role = "unit"
"#,
        secret_file.display()
    )
}

async fn world() -> World {
    let site = common::site().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let jili = format!("http://{}", listener.local_addr().unwrap());
    let redirect = format!("{jili}/sso/callback");
    let provider = tokio::task::spawn_blocking({
        let redirect = redirect.clone();
        move || ProviderProcess::start(&redirect)
    })
    .await
    .unwrap();
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), format!("{SECRET}\n")).unwrap();
    let config = SsoConfig::parse(&settings(&provider.issuer, &redirect, secret.path())).unwrap();
    let sso = Sso::new(config).unwrap();
    sso.check_provider().await.unwrap();
    let state = site.state.clone().with_sso(sso);
    tokio::spawn(async move {
        jili_web::serve(listener, state, std::future::pending()).await.unwrap();
    });
    World { jili, site, provider, _secret: secret }
}

/// Run the blocking browser off the server's workers.
async fn browse<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

/// The newest single sign-on rows of the access log.
async fn sso_rows(w: &World) -> Vec<AccessRow> {
    let filter = AccessFilter { event: "sso_login".into(), page: 1, per_page: 100, ..AccessFilter::default() };
    w.site.app.search_access(&filter).await.unwrap().entries
}

/// Log in as `login` all the way: the page after the callback, and `/api/me` as JSON.
fn log_in(jili: &str, login: &str, password: &str) -> (kit::Answer, serde_json::Value) {
    let mut b = Browser::default();
    let callback = b.sign_in_at_provider(jili, login, password);
    let done = b.get(&callback);
    let me = b.get(&format!("{jili}/api/me"));
    (done, serde_json::from_str(&me.body).unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_a_lead_a_provider_and_a_unit_log_in_through_the_provider() {
    if !provider_available() {
        return;
    }
    let w = world().await;
    let jili = w.jili.clone();
    let login_page = browse({
        let jili = jili.clone();
        move || Browser::default().get(&format!("{jili}/login"))
    })
    .await;
    assert!(
        login_page.body.contains("统一身份认证登录") && login_page.body.contains("/sso/login?next="),
        "{}",
        login_page.body
    );

    let people = [
        ("office-li", "pass-office", "office", ""),
        ("lead-fgw", "pass-lead", "lead", "FGW"),
        ("provider-tjj", "pass-provider", "provider", "TJJ"),
        ("unit-changsha", "pass-unit", "unit", "430100"),
    ];
    for (login, password, role, scope) in people {
        let (done, me) = browse({
            let jili = jili.clone();
            move || log_in(&jili, login, password)
        })
        .await;
        assert_eq!(done.status, 200, "{login}: {}", done.body);
        assert!(
            done.body.contains("统一身份认证登录成功") && done.body.contains("url=&#x2f;work"),
            "{login}: {}",
            done.body
        );
        assert_eq!(me["name"], format!("sso.{login}"), "{login}: {me}");
        assert_eq!((me["role"].as_str(), me["scope"].as_str().unwrap_or("")), (Some(role), scope), "{login}: {me}");
    }
    // The session is a jili session: the work pages open for the lead, with the lead's name.
    let work = browse({
        let jili = jili.clone();
        move || {
            let mut b = Browser::default();
            let callback = b.sign_in_at_provider(&jili, "lead-fgw", "pass-lead");
            b.get(&callback);
            b.get(&format!("{jili}/work"))
        }
    })
    .await;
    assert_eq!(work.status, 200, "{}", work.body);
    assert!(work.body.contains("sso.lead-fgw"), "{}", work.body);

    // Each person is one user, linked to the provider's subject, however often they log in.
    let store = w.site.app.raw_store();
    assert_eq!(store.sso_user_name(&w.provider.issuer, "lead-fgw").await.unwrap().as_deref(), Some("sso.lead-fgw"));
    let users = store.users().await.unwrap();
    assert_eq!(users.iter().filter(|u| u.name.starts_with("sso.lead-fgw")).count(), 1);
    let lead = users.iter().find(|u| u.name == "sso.lead-fgw").unwrap();
    assert_eq!((lead.display.as_str(), lead.role.as_str(), lead.scope.as_str()), ("王发改", "lead", "FGW"));
    // No password opens an SSO user's account.
    assert!(w.site.app.authenticate("sso.lead-fgw", "!sso").await.is_err());

    let rows = sso_rows(&w).await;
    let ok: Vec<_> = rows.iter().map(|r| &r.entry).filter(|r| r.outcome == "ok").collect();
    assert_eq!(ok.len(), 5, "{rows:#?}");
    assert!(ok.iter().any(|r| r.user_name == "sso.unit-changsha" && r.role == "unit" && r.scope == "430100"));
    assert!(ok.iter().all(|r| r.detail.contains("sub=") && r.target.starts_with("会话 ")), "{ok:#?}");
    // Users added by a login are sealed like any other: the audit chain holds.
    assert!(store.verify_audit().await.unwrap().is_intact());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_misaddressed_expired_replayed_and_foreign_tokens_are_refused_and_logged() {
    if !provider_available() {
        return;
    }
    let w = world().await;
    let cases = [
        ("tamper", "pass-tamper", "签名无效", "signature"),
        ("wrongaud", "pass-wrongaud", "audience 不符", "audience"),
        ("expired", "pass-expired", "身份令牌已过期", "expired"),
        ("othernonce", "pass-othernonce", "nonce 不符", "nonce"),
        ("otherissuer", "pass-otherissuer", "issuer 不符", "issuer"),
    ];
    for (login, password, said, logged) in cases {
        let jili = w.jili.clone();
        let (done, me) = browse(move || log_in(&jili, login, password)).await;
        assert_eq!(done.status, 403, "{login}: {}", done.body);
        assert!(done.body.contains(said), "{login}: {}", done.body);
        assert!(!done.body.contains("登录成功"), "{login}");
        assert_eq!(me["role"], "public", "{login}: no session: {me}");
        let rows = sso_rows(&w).await;
        let row = &rows[0].entry;
        assert_eq!(row.outcome, "bad_token", "{login}: {row:?}");
        assert!(row.detail.starts_with(logged), "{login}: {row:?}");
    }
    // Nobody was added: the tampered token claimed the office's department.
    let users = w.site.app.raw_store().users().await.unwrap();
    assert!(users.iter().all(|u| !u.name.starts_with("sso.")), "{users:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_code_a_replayed_answer_and_an_unmapped_person_are_refused_and_logged() {
    if !provider_available() {
        return;
    }
    let w = world().await;
    let jili = w.jili.clone();
    let (first, replayed_answer, replayed_code) = browse(move || {
        let mut b = Browser::default();
        let callback = b.sign_in_at_provider(&jili, "office-li", "pass-office");
        let first = b.get(&callback);
        // The same answer again, in the same browser: the login it belonged to is over.
        let again = b.get(&callback);
        // The used code with a new login's state, as someone who caught the code would try.
        let mut thief = Browser::default();
        let start = thief.get(&format!("{jili}/sso/login?next=/work"));
        let state = query_param(start.location.as_deref().unwrap(), "state").unwrap();
        let code = query_param(&callback, "code").unwrap();
        let stolen = thief.get(&format!("{jili}/sso/callback?code={code}&state={state}"));
        (first, again, stolen)
    })
    .await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(replayed_answer.status, 403, "{}", replayed_answer.body);
    assert!(replayed_answer.body.contains("state 不符"), "{}", replayed_answer.body);
    assert_eq!(replayed_code.status, 403, "{}", replayed_code.body);
    assert!(replayed_code.body.contains("拒绝了授权码"), "{}", replayed_code.body);

    let jili = w.jili.clone();
    let (unmapped, me) = browse(move || log_in(&jili, "stranger", "pass-stranger")).await;
    assert_eq!(unmapped.status, 403, "{}", unmapped.body);
    assert!(unmapped.body.contains("没有对应本系统的角色") && unmapped.body.contains("HR-999"), "{}", unmapped.body);
    assert_eq!(me["role"], "public");

    let rows = sso_rows(&w).await;
    let rows: Vec<_> = rows.into_iter().map(|r| r.entry).collect();
    let outcomes: Vec<&str> = rows.iter().rev().map(|r| r.outcome.as_str()).collect();
    assert_eq!(outcomes, ["ok", "bad_state", "code_rejected", "unmapped"], "{rows:#?}");
    assert!(rows[1].detail.contains("invalid_grant"), "{:?}", rows[1]);
    assert_eq!(rows[0].user_name, "sso.stranger");
    assert!(rows[0].detail.contains("department=HR-999"), "{:?}", rows[0]);
    assert!(w.site.app.raw_store().user("sso.stranger").await.unwrap().is_none(), "an unmapped person gets no user");
}
