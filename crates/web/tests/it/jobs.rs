//! Heavy work on the web: a saturated pool answers 503 with Retry-After and a Chinese message;
//! long work is a job with a page and an API resource, seen by its starter, the office and the
//! auditor; public downloads are built once per publication and answered 304; pages, JSON and
//! assets are compressed as the client accepts; assets have fingerprinted, immutable URLs.
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Reply, site, site_with};
use jili_app::{Capacity, Work};
use std::io::Read;
use std::time::Duration;

fn small() -> Capacity {
    Capacity { threads: 1, queue_wait: Duration::from_millis(100), ..Capacity::server() }
}

fn gunzip(r: &Reply) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&r.body[..]).read_to_end(&mut out).unwrap();
    out
}

fn unbrotli(r: &Reply) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &r.body[..], &mut out).unwrap();
    out
}

/// GET from a client address of its own each time: downloads are paced per address.
async fn get_with(s: &common::Site, path: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let addr = std::net::SocketAddr::from(([10, 9, (n >> 8) as u8, n as u8], 40_000));
    let mut req = Request::get(path).extension(axum::extract::ConnectInfo(addr));
    for (k, v) in headers {
        req = req.header(k, *v);
    }
    s.send(req.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn a_saturated_pool_answers_busy_with_retry_after_on_pages_and_the_api() {
    let s = site_with(small()).await;
    let office = s.login("demo-office").await;
    let token = s.api_token("demo-office").await;
    let held = s.state.app().workers().admit(Work::Run, None).await.unwrap();
    let runs = s.app.raw_store().run_count().await.unwrap();

    let r = s.post_json(Some(&token), "/api/runs", serde_json::json!({"measure": 3})).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text());
    assert!(r.header("retry-after").parse::<u64>().unwrap() >= 1);
    assert_eq!(r.json()["code"], "busy");
    assert!(r.json()["message"].as_str().unwrap().contains("系统繁忙"), "{}", r.text());

    let r = s.post_form(&office, "/work/runs", "measure=3").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.text().contains("系统繁忙") && r.text().contains("请稍后再试"), "{}", r.text());
    assert!(!r.header("retry-after").is_empty());
    assert_eq!(s.app.raw_store().run_count().await.unwrap(), runs, "nothing ran");

    // Public pages do not wait for heavy work.
    assert_eq!(s.get("/measures/3").await.status, StatusCode::OK);
    drop(held);
    let r = s.post_json(Some(&token), "/api/runs", serde_json::json!({"measure": 3})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn run_all_is_a_job_with_a_page_and_an_api_resource_for_its_starter_the_office_and_the_auditor() {
    let s = site().await;
    let token = s.api_token("demo-office").await;
    let r = s.post_json(Some(&token), "/api/runs", serde_json::json!({"measure": "all"})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let location = r.header("location");
    assert!(location.starts_with("/api/jobs/"), "{location}");
    // The job may have started by the time the answer is written.
    assert!(matches!(r.json()["status"].as_str(), Some("queued" | "running")), "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["page"], format!("/work/jobs/{id}"));

    let mut job = serde_json::Value::Null;
    for _ in 0..1200 {
        job = s.get_json(&token, &location).await.json();
        if job["status"] == "done" || job["status"] == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["done_steps"], job["total_steps"]);
    assert_eq!(job["link"], "/work/runs");
    assert!(job["message"].as_str().unwrap().starts_with("已运行"), "{job}");
    let listed = s.get_json(&token, "/api/jobs").await.json();
    assert!(listed["jobs"].as_array().unwrap().iter().any(|j| j["id"] == id));

    // The auditor sees it; a provider does not (as if it did not exist); the public must log in.
    let audit = s.api_token("demo-audit").await;
    assert_eq!(s.get_json(&audit, &location).await.status, StatusCode::OK);
    let tjj = s.api_token("demo-tjj").await;
    let r = s.get_json(&tjj, &location).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    assert!(s.get_json(&tjj, "/api/jobs").await.json()["jobs"].as_array().unwrap().is_empty());
    assert_eq!(s.get(&location).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(s.get(&format!("/work/jobs/{id}")).await.status, StatusCode::SEE_OTHER, "to the login");

    // Its page, readable without script, for the office and the auditor.
    let auditor = s.login("demo-audit").await;
    let page = s.job_page(&auditor, &format!("/work/jobs/{id}")).await;
    assert!(
        page.contains("id=\"job-status\"") && page.contains("已完成") && page.contains("id=\"job-link\""),
        "{page}"
    );
    let list = s.get_as(&auditor, "/work/jobs").await.text();
    assert!(list.contains(&format!("href=\"/work/jobs/{id}\"")), "{list}");
    let provider = s.login("demo-tjj").await;
    assert_eq!(s.get_as(&provider, &format!("/work/jobs/{id}")).await.status, StatusCode::NOT_FOUND);
    // The API documents the jobs.
    let doc = s.get("/api/openapi.json").await.json();
    assert!(doc["paths"]["/api/jobs/{id}"]["get"].is_object() && doc["paths"]["/api/audit/verify"]["post"].is_object());
}

#[tokio::test]
async fn audit_verify_and_a_large_import_are_jobs_followed_on_their_pages() {
    let s = site_with(Capacity { large_import: 0, ..Capacity::server() }).await;
    let auditor = s.login("demo-audit").await;
    let r = s.post_form(&auditor, "/work/audit/verify", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = s.job_page(&auditor, &r.header("location")).await;
    assert!(page.contains("审计链完整") && page.contains("class=\"ok\""), "{page}");
    // Without the form token: refused.
    let r = s
        .send(
            Request::post("/work/audit/verify")
                .header(header::COOKIE, &auditor.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("csrf=wrong"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A provider's import to store, larger than the limit (0 bytes here): 202 and a job.
    let token = s.api_token("demo-tjj").await;
    let text = common::gdp_2025(&s.app, None).await;
    let before = s.app.batches().await.unwrap().len();
    let r = s.send(api_import(&token, None, &text)).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let provider = s.login("demo-tjj").await;
    let page = s.job_page(&provider, &format!("/work/jobs/{id}")).await;
    let batch = s.app.batches().await.unwrap().pop().unwrap();
    assert_eq!(s.app.batches().await.unwrap().len(), before + 1);
    assert!(page.contains(&format!("<dd id=\"batch-id\">{}</dd>", batch.id)) && page.contains("已入库"), "{page}");
}

#[tokio::test]
async fn downloads_are_built_once_per_publication_and_answered_304() {
    let s = site().await;
    let builds = || s.state.0.downloads.builds();
    let (a, b) = tokio::join!(s.get("/data/download.xlsx"), s.get("/data/download.xlsx"));
    assert_eq!((a.status, b.status), (StatusCode::OK, StatusCode::OK));
    assert_eq!(a.body, b.body, "one build, shared");
    assert_eq!(builds(), 1, "concurrent first requests build once");
    let again = get_with(&s, "/data/download.xlsx", &[(header::ACCEPT_ENCODING, "gzip, br")]).await;
    assert_eq!(again.body, a.body);
    assert_eq!(again.header("content-encoding"), "", "XLSX is never compressed again");
    assert_eq!(builds(), 1);
    let etag = a.header("etag");
    assert!(etag.starts_with('"') && a.header("content-disposition").contains("attachment"), "{etag}");
    let r = get_with(&s, "/data/download.xlsx", &[(header::IF_NONE_MATCH, etag.as_str())]).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert!(r.body.is_empty());

    // CSV: compressed as accepted, the same text.
    let plain = get_with(&s, "/data/download.csv", &[]).await;
    let gz = get_with(&s, "/data/download.csv", &[(header::ACCEPT_ENCODING, "gzip")]).await;
    assert_eq!(gz.header("content-encoding"), "gzip");
    assert_eq!(gunzip(&gz), plain.body);
    assert_ne!(gz.header("etag"), plain.header("etag"), "each coding its own tag");
    for path in ["/data/download.json", "/data/download.sdmx.csv", "/notice.docx"] {
        let before = builds();
        let first = get_with(&s, path, &[]).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        assert_eq!(get_with(&s, path, &[]).await.body, first.body, "{path}");
        assert_eq!(builds(), before + 1, "{path}: built once");
        let r = get_with(&s, path, &[(header::IF_NONE_MATCH, first.header("etag").as_str())]).await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED, "{path}");
    }
}

#[tokio::test]
async fn pages_json_and_assets_are_compressed_as_accepted_and_assets_are_fingerprinted() {
    let s = site().await;
    let plain = s.get("/").await;
    assert_eq!(plain.header("content-encoding"), "");
    let br = get_with(&s, "/", &[(header::ACCEPT_ENCODING, "gzip, deflate, br")]).await;
    assert_eq!(br.header("content-encoding"), "br");
    assert!(br.header("vary").contains("Accept-Encoding"), "{}", br.header("vary"));
    assert_eq!(unbrotli(&br), plain.body);
    assert!(br.body.len() * 3 < plain.body.len());
    let gz = get_with(&s, "/", &[(header::ACCEPT_ENCODING, "gzip")]).await;
    assert_eq!((gz.header("content-encoding").as_str(), gunzip(&gz)), ("gzip", plain.body.clone()));
    let api = get_with(&s, "/api/programme", &[(header::ACCEPT_ENCODING, "br")]).await;
    assert_eq!(api.header("content-encoding"), "br");
    // A logged-in page (made per request) is compressed too.
    let office = s.login("demo-office").await;
    let r = s
        .send(
            Request::get("/work/runs")
                .header(header::COOKIE, &office.cookie)
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.header("content-encoding"), "gzip");
    assert!(String::from_utf8(gunzip(&r)).unwrap().contains("id=\"run-all\""));

    // Templates name assets by fingerprinted URLs, served immutable.
    let page = plain.text();
    let at = page.find("/assets/app.css?v=").expect("a fingerprinted stylesheet");
    let url = &page[at..at + page[at..].find('"').unwrap()];
    assert!(!page.contains("\"/assets/app.css\""));
    let css = get_with(&s, url, &[(header::ACCEPT_ENCODING, "br")]).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("cache-control"), "public, max-age=31536000, immutable");
    assert_eq!(css.header("content-encoding"), "br");
    assert_eq!(unbrotli(&css), include_bytes!("../../assets/app.css"));
    let bare = s.get("/assets/app.css").await;
    assert_eq!(bare.header("cache-control"), "public, max-age=300", "no fingerprint: short");
    assert_eq!(bare.body, include_bytes!("../../assets/app.css"));
    let stale = s.get("/assets/app.css?v=0000").await;
    assert_eq!(stale.header("cache-control"), "public, max-age=300", "an old fingerprint: short");
    assert_eq!(jili_web::assets::url("app.css"), url);
}

/// A provider's import naming another department as the provider is refused (422, naming the
/// field) and nothing is stored; it is never quietly filed under the caller's own department.
#[tokio::test]
async fn an_import_for_a_department_the_caller_may_not_report_for_is_refused() {
    let s = site().await;
    let token = s.api_token("demo-tjj").await;
    let text = common::gdp_2025(&s.app, None).await;
    let before = s.app.batches().await.unwrap().len();
    for provider in ["FGW", "ZZZ"] {
        let r = s.send(api_import(&token, Some(provider), &text)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{provider}: {}", r.text());
        let named = format!("报送部门“{provider}”");
        assert!(r.text().contains(&named), "{provider}: the answer names the field and value: {}", r.text());
    }
    assert_eq!(s.app.batches().await.unwrap().len(), before, "nothing stored");
}

/// `POST /api/imports` of `text` as g.csv to store (not a dry run), naming `provider` if given.
fn api_import(token: &str, provider: Option<&str>, text: &str) -> Request<Body> {
    let boundary = "----jiliImport";
    let part = |name: &str, value: &str| {
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
    };
    let mut body = provider.map(|p| part("provider", p)).unwrap_or_default();
    body.push_str(&part("dry_run", "false"));
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"g.csv\"\r\nContent-Type: text/csv\r\n\r\n{text}\r\n--{boundary}--\r\n"
    ));
    Request::post("/api/imports")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap()
}
