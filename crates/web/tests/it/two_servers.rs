//! Two servers on one database, as behind a load balancer: each has its own application, pool
//! and page cache, and what one is told the other must know — sessions, logouts, failed
//! logins, new plan versions, and (within the page cache's freshness) new publications. On a
//! shared SQLite file always, on PostgreSQL when `JILI_TEST_PG_URL` is set.
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::http::StatusCode;
use common::{DEMO_PASSWORD, Site, site};
use jili_app::App;
use jili_testkit::{TestDb, TestPg};
use serde_json::json;
use std::time::{Duration, Instant};

/// Two servers, A and B, on one database (the PostgreSQL schema is kept while they run).
struct Pair {
    a: Site,
    b: Site,
    backend: &'static str,
    _pg: Option<TestPg>,
}

/// A server on `url` with an application (and pool, and page cache) of its own. `Site.db`
/// is not used by these tests: it is an empty directory, the database is at `url`.
async fn server(url: &str) -> Site {
    let app = App::open(url, "测试").await.unwrap();
    let state = jili_web::AppState::new(app.clone(), false);
    let router = jili_web::router(state.clone());
    Site { db: TestDb::new(), app, router, state }
}

/// A and B on one SQLite file (a private copy of the demo database).
async fn on_sqlite() -> Pair {
    let a = site().await;
    let b = server(&a.db.url()).await;
    Pair { a, b, backend: "sqlite", _pg: None }
}

/// A and B on one PostgreSQL schema holding the demo database (copied from the SQLite one,
/// as `jili migrate` does), or `None` when no test server is configured.
async fn on_postgres() -> Option<Pair> {
    let pg = TestPg::new().await?;
    let seed = site().await;
    let target = App::open(&pg.url(), "测试").await.unwrap();
    let copied = seed.app.raw_store().copy_to(target.raw_store()).await.unwrap();
    assert!(copied.rows() > 0, "the demo database was copied into PostgreSQL");
    assert!(target.raw_store().verify_audit().await.unwrap().is_intact());
    target.close().await;
    let (a, b) = (server(&pg.url()).await, server(&pg.url()).await);
    Some(Pair { a, b, backend: "postgres", _pg: Some(pg) })
}

#[tokio::test]
async fn two_servers_on_one_sqlite_file_agree() {
    checks(on_sqlite().await).await;
}

#[tokio::test]
async fn two_servers_on_one_postgres_database_agree() {
    if let Some(pair) = on_postgres().await {
        checks(pair).await;
    }
}

async fn checks(p: Pair) {
    sessions_are_shared(&p).await;
    failed_logins_are_counted_together(&p).await;
    a_plan_submitted_on_a_is_in_bs_review_queue(&p).await;
    a_correction_published_on_a_shows_on_b(&p).await;
}

/// A session made on A works on B; logging out on B ends it on A; the same for API tokens.
async fn sessions_are_shared(p: &Pair) {
    let who = p.backend;
    let office = p.a.login("demo-office").await;
    let me = p.b.get_as(&office, "/api/me").await.json();
    assert_eq!((me["name"].as_str(), me["role"].as_str()), (Some("demo-office"), Some("office")), "{who}");
    assert_eq!(p.b.get_as(&office, "/work").await.status, StatusCode::OK, "{who}: A's session opens B's pages");
    assert_eq!(p.b.csrf_of(&office).await, office.csrf, "{who}: B gives the session the form token A gave");

    let token = p.a.api_token("demo-audit").await;
    assert_eq!(p.b.get_json(&token, "/api/me").await.json()["role"], "auditor", "{who}");

    let r = p.b.post_form(&office, "/logout", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{who}: {}", r.text());
    assert_eq!(p.a.get_as(&office, "/api/me").await.json()["role"], "public", "{who}: logged out on B, gone on A");
    let r = p.a.get_as(&office, "/work").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{who}");
    assert!(r.header("location").starts_with("/login"), "{who}: {}", r.header("location"));

    let r = p.a.post_json(Some(&token), "/api/logout", json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.text());
    assert_eq!(p.b.get_json(&token, "/api/me").await.status, StatusCode::UNAUTHORIZED, "{who}: token ended on A");
}

/// Five wrong passwords for one name, three sent to A and two to B, lock the name on both.
async fn failed_logins_are_counted_together(p: &Pair) {
    let who = p.backend;
    let limit = jili_app::users::session::MAX_FAILURES_PER_NAME as usize;
    for i in 0..limit {
        let server = if i % 2 == 0 { &p.a } else { &p.b };
        let r = server.post_json(None, "/api/login", json!({"name": "demo-fgw", "password": "wrong-password"})).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{who}: attempt {i}: {}", r.text());
    }
    for (name, server) in [("A", &p.a), ("B", &p.b)] {
        let r = server.post_json(None, "/api/login", json!({"name": "demo-fgw", "password": DEMO_PASSWORD})).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{who}: {name} counts both servers' failures");
        assert_eq!(r.json()["code"], "rate_limited", "{who}");
    }
    p.b.api_token("demo-tjj").await;
}

/// The lead submits a new version through A; the office sees it in B's review queue.
async fn a_plan_submitted_on_a_is_in_bs_review_queue(p: &Pair) {
    let who = p.backend;
    let office = p.b.login("demo-office").await;
    // The review queue's section (a table once something waits, a note while nothing does).
    let queue = |html: String| {
        let start = html.find("id=\"queue-title\"").expect("the review queue");
        html[start..start + html[start..].find("</section>").unwrap()].to_string()
    };
    let before = queue(p.b.get_as(&office, "/work/plans").await.text());
    assert!(!before.contains("/work/plans/3/review/2"), "{who}: nothing to review yet");

    let gxt = p.a.api_token("demo-gxt").await;
    let toml = p.a.get("/api/plans/3").await.json()["toml"].as_str().unwrap().to_string();
    assert!(toml.contains("规模以上工业增加值增速"), "{who}: the demo plan of measure 3");
    let toml = toml.replace("规模以上工业增加值增速", "规模以上工业增加值增长率");
    let r = p.a.post_json(Some(&gxt), "/api/plans/3/draft", json!({ "toml": toml })).await;
    assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.text());
    assert_eq!(r.json()["version"], 2, "{who}");
    let r = p.a.post_json(Some(&gxt), "/api/plans/3/submit", json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.text());

    let after = queue(p.b.get_as(&office, "/work/plans").await.text());
    assert!(after.contains("/work/plans/3/review/2"), "{who}: B's queue holds A's submission: {after}");
    let review = p.b.get_as(&office, "/work/plans/3/review/2").await;
    assert_eq!(review.status, StatusCode::OK, "{who}");
    assert!(review.text().contains("规模以上工业增加值增长率"), "{who}: B shows the submitted text");
}

/// A correction published through A reaches B's cached public pages within the cache's
/// freshness (one second), polled for up to three.
async fn a_correction_published_on_a_shows_on_b(p: &Pair) {
    let who = p.backend;
    let pages = ["/measures/3", "/"];
    for page in pages {
        assert_eq!(p.b.get(page).await.status, StatusCode::OK, "{who}: {page}");
        assert_eq!(p.b.get(page).await.header("x-cache"), "hit", "{who}: B serves {page} from its cache");
    }
    let office = p.a.login("demo-office").await;
    // A new run of measure 3 gives the correction something to publish.
    let r = p.a.post_form(&office, "/work/runs", "measure=3").await;
    assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.text());
    let reason = format!("two-servers-correction-{who}");
    let r = p.a.post_form(&office, "/work/publish", &format!("reason={reason}")).await;
    assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.text());
    // Four eyes: a second office user confirms the request.
    let id = p.a.app.pending_publication(2024).await.unwrap().unwrap().id;
    let checker = p.a.login("demo-checker").await;
    let r = p.a.post_form(&checker, "/work/publish", &format!("request={id}&decision=confirm")).await;
    assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.text());
    assert!(r.text().contains("第 2 版"), "{who}: {}", r.text());
    // B looks up what is published at most once per FRESHNESS, so a request B starts more
    // than FRESHNESS after A's answer must show the correction (however long it takes to
    // render); one started earlier may still get the page of version 1.
    let published = Instant::now();
    let limit = jili_web::cache::FRESHNESS + Duration::from_millis(100);
    let mut stale = Duration::ZERO;
    for page in pages {
        loop {
            let asked = published.elapsed();
            let r = p.b.get(page).await;
            assert_eq!(r.status, StatusCode::OK, "{who}: {page}");
            if r.text().contains(&reason) {
                break;
            }
            stale = asked;
            assert!(asked < limit, "{who}: B served {page} without A's correction to a request made {asked:?} after");
            assert!(published.elapsed() < Duration::from_secs(3), "{who}: {page} not corrected within 3 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    eprintln!(
        "{who}: B's last page without A's correction was asked for {stale:?} after; both pages corrected after {:?}",
        published.elapsed()
    );
    let api = p.b.get("/api/publication").await.json();
    assert_eq!((api["version"].as_i64(), api["reason"].as_str()), (Some(2), Some(reason.as_str())), "{who}: {api}");
}
