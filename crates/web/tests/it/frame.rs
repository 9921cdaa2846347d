//! The frame every page shares: security headers, login and logout, the form token, failed
//! logins limited, the language switch, embedded assets, the API's errors and its OpenAPI
//! document kept in step with the routes.
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{DEMO_PASSWORD, site};

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let s = site().await;
    for path in ["/login", "/assets/app.css", "/no-such-page", "/api/me"] {
        let r = s.get(path).await;
        let csp = r.header("content-security-policy");
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(r.header("x-frame-options"), "DENY", "{path}");
    }
}

#[tokio::test]
async fn a_login_sets_a_strict_httponly_cookie_and_logout_needs_the_form_token() {
    let s = site().await;
    let session = s.login("demo-office").await;
    assert_eq!(session.csrf.len(), 64, "a random form token");
    let me = s.get_as(&session, "/api/me").await.json();
    assert_eq!(me["role"], "office");
    assert_eq!(me["name"], "demo-office");

    // The cookie's attributes.
    let form = s.get("/login").await;
    let pre = form.cookies().into_iter().find(|c| c.starts_with("jili_login=")).unwrap();
    let token = pre.split(';').next().unwrap().trim_start_matches("jili_login=").to_string();
    let req = Request::post("/login")
        .header(header::COOKIE, format!("jili_login={token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("name=demo-tjj&password={DEMO_PASSWORD}&login_token={token}&next=//evil.example")))
        .unwrap();
    let r = s.send(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/work", "never redirected off the site");
    let cookie = r.cookies().into_iter().find(|c| c.starts_with("jili_session=")).unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http on loopback: {cookie}");

    // Logout without the token is refused and the session lives on; with it, it ends.
    let r = s.post_form(&common::Session { csrf: "wrong".into(), ..session.clone() }, "/logout", "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(s.get_as(&session, "/api/me").await.json()["role"], "office");
    let r = s.post_form(&session, "/logout", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(s.get_as(&session, "/api/me").await.json()["role"], "public");
}

#[tokio::test]
async fn a_login_form_without_its_cookie_token_is_refused() {
    let s = site().await;
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("name=demo-office&password={DEMO_PASSWORD}&login_token=forged")))
        .unwrap();
    let r = s.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.cookies().iter().all(|c| !c.starts_with("jili_session=")), "no session");
}

#[tokio::test]
async fn failed_logins_are_limited_even_for_the_right_password_afterwards() {
    let s = site().await;
    for _ in 0..jili_app::users::session::MAX_FAILURES_PER_NAME {
        let r = s
            .post_json(None, "/api/login", serde_json::json!({"name": "demo-fgw", "password": "wrong-password"}))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
        assert_eq!(r.json()["code"], "login_failed");
    }
    let r = s.post_json(None, "/api/login", serde_json::json!({"name": "demo-fgw", "password": DEMO_PASSWORD})).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
    assert_eq!(r.json()["code"], "rate_limited");
    assert!(r.json()["message"].as_str().unwrap().contains("分钟后再试"));
    // Another account is not locked by it.
    s.api_token("demo-tjj").await;
}

/// Failed logins through a load balancer at 127.0.0.1 from client `forwarded`; then whether a
/// right password from another client behind it still gets in.
async fn behind_a_proxy(trusted: bool) -> StatusCode {
    use axum::extract::connect_info::MockConnectInfo;
    use tower::ServiceExt;
    let s = site().await;
    let proxy: std::net::IpAddr = "127.0.0.1".parse().unwrap();
    let state = jili_web::AppState::behind_proxies(s.app.clone(), false, if trusted { vec![proxy] } else { vec![] });
    let router = jili_web::router(state).layer(MockConnectInfo(std::net::SocketAddr::new(proxy, 40000)));
    let login = |client: &str, name: &str, password: &str| {
        Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", client)
            .body(Body::from(serde_json::json!({"name": name, "password": password}).to_string()))
            .unwrap()
    };
    // One client guesses at many names: its address reaches the limit.
    for i in 0..jili_app::users::session::MAX_FAILURES_PER_CLIENT {
        let r = router.clone().oneshot(login("203.0.113.7", &format!("nobody-{i}"), "guess")).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = router.clone().oneshot(login("203.0.113.7", "demo-tjj", DEMO_PASSWORD)).await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "the guessing client is refused either way");
    router.oneshot(login("198.51.100.20", "demo-tjj", DEMO_PASSWORD)).await.unwrap().status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_one_client_s_failures_do_not_lock_out_the_others() {
    assert_eq!(behind_a_proxy(true).await, StatusCode::OK);
    // Without --trusted-proxy every client has the balancer's address and shares its count.
    assert_eq!(behind_a_proxy(false).await, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_bearer_token_acts_as_its_user_and_a_bad_one_is_refused_as_json() {
    let s = site().await;
    let token = s.api_token("demo-audit").await;
    let me = s.get_json(&token, "/api/me").await.json();
    assert_eq!(me["role"], "auditor");
    let r = s.get_json("0000", "/api/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["code"], "login_required");
}

#[tokio::test]
async fn unknown_api_paths_answer_json_and_unknown_pages_a_chinese_page() {
    let s = site().await;
    let r = s.get("/api/no-such-thing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["code"], "not_found");
    let r = s.get("/no-such-page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.header("content-type").starts_with("text/html"));
    assert!(r.text().contains("没有这个页面"));
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_returns_to_the_page() {
    let s = site().await;
    let r = s.get("/lang?to=en&back=/login").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/login");
    assert!(r.cookies().iter().any(|c| c.starts_with("jili_lang=en")));
    let req = Request::get("/login").header(header::COOKIE, "jili_lang=en").body(Body::empty()).unwrap();
    let page = s.send(req).await.text();
    assert!(page.contains("<html lang=\"en\">") && page.contains("Log in"), "{page}");
    let page = s.get("/login").await.text();
    assert!(page.contains("<html lang=\"zh-CN\">") && page.contains("登录"));
    // An error page, too, has the English frame (the message says what happened, in Chinese).
    let req = Request::get("/work/plans/99/edit").header(header::COOKIE, "jili_lang=en").body(Body::empty()).unwrap();
    let r = s.send(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the public is asked to log in first");
    let office = s.login("demo-office").await;
    let req = Request::get("/work/plans/99/edit")
        .header(header::COOKIE, format!("{}; jili_lang=en", office.cookie))
        .body(Body::empty())
        .unwrap();
    let page = s.send(req).await;
    assert!(page.status.is_client_error(), "{}", page.status);
    let page = page.text();
    assert!(page.contains("<html lang=\"en\">") && page.contains("Something went wrong"), "{page}");
    let r = s.get("/lang?to=en&back=https://evil.example/").await;
    assert_eq!(r.header("location"), "/work", "never off the site");
}

#[tokio::test]
async fn assets_are_embedded_and_the_map_has_the_14_cities() {
    let s = site().await;
    let r = s.get("/assets/vendor/echarts.min.js").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.len() > 500_000, "the whole echarts build");
    let map = s.get("/assets/map/hunan.json").await.json();
    let codes: Vec<String> =
        map["features"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(codes.len(), 14);
    assert!(codes.contains(&"430100".to_string()) && codes.contains(&"433100".to_string()));
    assert_eq!(s.get("/assets/../Cargo.toml").await.status, StatusCode::NOT_FOUND);
}

/// Every endpoint in the OpenAPI document answers on its method (not 404 or 405), and the
/// document lists the login endpoint with the error schema.
#[tokio::test]
async fn the_openapi_document_matches_the_routes() {
    let s = site().await;
    let token = s.api_token("demo-office").await;
    let doc = s.get("/api/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["components"]["schemas"]["Error"].is_object());
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/login"));
    let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(documented, jili_web::api::endpoints().len(), "every endpoint once");
    for (path, ops) in paths {
        for (method, _) in ops.as_object().unwrap() {
            // Parameters get a value that exists in the demo where it matters (a measure, a unit, a year).
            let concrete = path
                .replace("{year}", "2024")
                .replace("{measure}", "3")
                .replace("{unit}", "430100")
                .replace("{code}", "430100")
                .replace("{series}", "GDP")
                .replace(['{', '}'], "");
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&concrete)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let r = s.send(req).await;
            assert!(
                r.status != StatusCode::METHOD_NOT_ALLOWED
                    && !(r.status == StatusCode::NOT_FOUND && r.text().contains("没有这个接口")),
                "{method} {path} → {} {}",
                r.status,
                r.text()
            );
        }
    }
}

/// Every `t("…")` key a template uses has a Chinese and an English word.
#[test]
fn every_word_a_template_uses_is_translated() {
    for set in jili_web::pages::TEMPLATE_SETS {
        for (name, source) in *set {
            // `t("…")` and `t('…')`, not another function whose name ends in t (`asset('…')`).
            let calls = source.match_indices("t(\"").chain(source.match_indices("t('"));
            let calls = calls.filter(|(i, _)| *i == 0 || !source.as_bytes()[i - 1].is_ascii_alphanumeric());
            for (i, _) in calls {
                let part = &source[i + 3..];
                let key = &part[..part.find(['"', '\'']).unwrap()];
                assert!(
                    jili_web::pages::WORD_SETS.iter().flat_map(|s| s.iter()).any(|(k, _, _)| *k == key),
                    "template {name} uses t(\"{key}\") with no entry in i18n::WORDS"
                );
            }
        }
    }
}

/// Wrong passwords sent at the same moment cannot all slip under the limit: at most the limit's
/// number of them are checked, the rest are refused as too many.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_wrong_logins_are_counted_before_the_password_is_checked() {
    let s = std::sync::Arc::new(site().await);
    let mut tasks = Vec::new();
    for _ in 0..19 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.post_json(None, "/api/login", serde_json::json!({"name": "demo-gxt", "password": "wrong-password"}))
                .await
                .status
        }));
    }
    let mut checked = 0;
    for t in tasks {
        let status = t.await.unwrap();
        assert!(status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS, "{status}");
        checked += usize::from(status == StatusCode::UNAUTHORIZED);
    }
    assert!(checked <= jili_app::users::session::MAX_FAILURES_PER_NAME as usize, "{checked} passwords were checked");
    let r = s.post_json(None, "/api/login", serde_json::json!({"name": "demo-gxt", "password": DEMO_PASSWORD})).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // Only the checked passwords are failures: the refused attempts tested nothing, so the
    // address (all of these came from one) has 5 failures, under its limit, and another user
    // behind it still logs in.
    let r = s.post_json(None, "/api/login", serde_json::json!({"name": "demo-tjj", "password": DEMO_PASSWORD})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // On a fresh site, right passwords do not count against any limit.
    let fresh = site().await;
    for _ in 0..(jili_app::users::session::MAX_FAILURES_PER_CLIENT + 2) {
        fresh.api_token("demo-tjj").await;
    }
    // Right passwords sent at the same moment: the first ones (up to the limit) are tried, the
    // rest wait for them, and all get in, instead of being refused as counted together.
    let fresh = std::sync::Arc::new(fresh);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let s = fresh.clone();
        tasks.push(tokio::spawn(async move {
            s.post_json(None, "/api/login", serde_json::json!({"name": "demo-fgw", "password": DEMO_PASSWORD}))
                .await
                .status
        }));
    }
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap() == StatusCode::OK);
    }
    assert_eq!(ok, 8, "only {ok} of 8 right passwords got in");
}

#[tokio::test]
async fn returns_after_login_or_a_language_switch_never_leave_the_site() {
    let s = site().await;
    for back in ["/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/%0a", "/a%20b", ""]
    {
        let r = s.get(&format!("/lang?to=en&back={back}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{back}");
        let location = r.header("location");
        assert!(location == "/work" || location == "/", "{back} → {location}");
    }
    assert_eq!(s.get("/lang?to=en&back=/measures/3%3Fyear%3D2024").await.header("location"), "/measures/3?year=2024");
    // A page that needs a login sends the public to log in and back to it.
    let r = s.get("/work/audit?q=publish").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/login?next=%2Fwork%2Faudit%3Fq%3Dpublish");
}

#[tokio::test]
async fn requests_axum_refuses_get_the_sites_errors_in_chinese() {
    let s = site().await;
    let r = s.get("/api/measures/abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["code"], "invalid");
    assert!(r.json()["message"].as_str().unwrap().starts_with("地址中的参数不正确"), "{}", r.text());
    let r = s.get("/measures/abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.header("content-type").starts_with("text/html") && r.text().contains("地址中的参数不正确"));
    let req = Request::post("/api/login").header(header::CONTENT_TYPE, "text/plain").body(Body::from("x")).unwrap();
    let r = s.send(req).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.json()["code"], "unsupported_media_type");
    let req =
        Request::post("/api/login").header(header::CONTENT_TYPE, "application/json").body(Body::from("{")).unwrap();
    let r = s.send(req).await;
    assert!(r.status.is_client_error());
    assert!(r.json()["message"].as_str().unwrap().contains("JSON"), "{}", r.text());
}
