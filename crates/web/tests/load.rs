//! Load: 200 concurrent clients, each on its own keep-alive connection, against a real server
//! on a loopback port for a few seconds — three in four requests read public pages, one in
//! five reads work pages and the API as a logged-in user, one in twenty writes (a plan check,
//! or a login and logout). Every answer must be 200 (the public would get a redirect to the
//! login page or a 401 on the logged-in ones) and no connection may fail — except that a plan
//! check, heavy work with a bounded queue, may be answered 503 "busy" (with Retry-After) when
//! more of them arrive than the server's pool gets through: that is the designed answer, counted
//! and printed, and most checks must still succeed. On SQLite always, on
//! PostgreSQL when `JILI_TEST_PG_URL` is set. Prints throughput and latency percentiles
//! (`cargo test -p jili-web --test load -- --nocapture`); in a debug build they say little
//! about a release server — `scripts/load-test.sh` measures that.
#![allow(clippy::unwrap_used)]

#[path = "it/common/mod.rs"]
mod common;

use axum::body::Bytes;
use axum::http::{Request, StatusCode, header};
use common::{CITIES, DEMO_PASSWORD, site};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use jili_app::App;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 200;

/// Plan checks answered "busy, try again" (a bounded queue of heavy work), in all.
static BUSY: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
/// How long clients keep sending; the requests then in flight are answered and checked too.
const RUN: Duration = Duration::from_secs(8);

/// The demo accounts, logged in and out by the writes.
const DEMO_ACCOUNTS: [&str; 6] = ["demo-office", "demo-fgw", "demo-gxt", "demo-tjj", "demo-audit", "demo-changsha"];

type Http = Client<HttpConnector, Full<Bytes>>;

/// A server on its own runtime and thread (two workers, as on the CI machine), stopped on drop.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    async fn start(url: String) -> Server {
        let (addr_tx, addr_rx) = tokio::sync::oneshot::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(async move {
                let app = App::open(&url, "测试").await.unwrap();
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let state = jili_web::AppState::new(app, false);
                jili_web::serve(listener, state, async move { drop(stopped.await) }).await.unwrap();
            });
        });
        Server { addr: addr_rx.await.unwrap(), stop: Some(stop), thread: Some(thread) }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

/// What a request stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Public,
    LoggedIn,
    Write,
}
const KINDS: [Kind; 3] = [Kind::Public, Kind::LoggedIn, Kind::Write];

/// Tokens of the demo accounts, made by logging in before the run, and the plan text checked.
struct Shared {
    base: String,
    office: String,
    audit: String,
    gxt: String,
    changsha: String,
    plan: String,
}

/// What one client saw.
#[derive(Default)]
struct Seen {
    micros: [Vec<u64>; 3],
    errors: Vec<String>,
}

fn request(method: &str, url: String, auth: Option<(&str, &str)>, body: &str) -> Request<Full<Bytes>> {
    let mut r = Request::builder().method(method).uri(url);
    match auth {
        Some(("cookie", token)) => r = r.header(header::COOKIE, format!("jili_session={token}")),
        Some((_, token)) => r = r.header(header::AUTHORIZATION, format!("Bearer {token}")),
        None => {}
    }
    if !body.is_empty() {
        r = r.header(header::CONTENT_TYPE, if body.starts_with('{') { "application/json" } else { "text/plain" });
    }
    r.body(Full::new(Bytes::from(body.to_string()))).unwrap()
}

/// Send one request; its status and body, or what went wrong.
async fn send(http: &Http, req: Request<Full<Bytes>>) -> Result<(StatusCode, Bytes), String> {
    let r = http.request(req).await.map_err(|e| format!("connection: {e:?}"))?;
    let status = r.status();
    let body = r.into_body().collect().await.map_err(|e| format!("body: {e}"))?.to_bytes();
    Ok((status, body))
}

async fn login(http: &Http, base: &str, name: &str) -> Result<String, String> {
    let body = format!("{{\"name\":\"{name}\",\"password\":\"{DEMO_PASSWORD}\"}}");
    let (status, body) = send(http, request("POST", format!("{base}/api/login"), None, &body)).await?;
    let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| format!("login answer: {e}"))?;
    match (status, json["token"].as_str()) {
        (StatusCode::OK, Some(t)) => Ok(t.to_string()),
        _ => Err(format!("login as {name}: {status} {json}")),
    }
}

/// The public pages kept in the page cache: the home page, the 20 measures, the 14 cities,
/// the data page.
fn cached_pages() -> Vec<String> {
    let mut pages = vec!["/".to_string(), "/data".to_string()];
    pages.extend((1..=20).map(|n| format!("/measures/{n}")));
    pages.extend(CITIES.iter().map(|c| format!("/units/{c}")));
    pages
}

/// The cached page a public request number `n` (not a multiple of five) reads: the home page,
/// a measure, a city or the data page in turn.
fn cached_page(n: usize) -> String {
    let k = n / 5;
    match n % 5 {
        0 => "/".into(),
        1 => format!("/measures/{}", k % 20 + 1),
        2 => format!("/units/{}", CITIES[k % CITIES.len()]),
        _ => "/data".into(),
    }
}

/// The `step`-th request of client `id`: its kind and the requests it sends (a login and
/// logout is two).
async fn one(http: &Http, s: &Shared, id: usize, step: usize) -> (Kind, Result<(), String>) {
    let b = &s.base;
    let n = id + step;
    let slot = (id * 13 + step) % 20;
    let get = |url: String, auth| request("GET", url, auth, "");
    let req = match slot {
        0..15 => match n % 5 {
            4 => get(format!("{b}/api/measures/{}", n / 5 % 20 + 1), None),
            _ => get(format!("{b}{}", cached_page(n)), None),
        },
        15..19 => match n % 4 {
            0 => get(format!("{b}/work"), Some(("cookie", &s.office))),
            1 => get(format!("{b}/work/plans"), Some(("cookie", &s.gxt))),
            2 => get(format!("{b}/work/audit"), Some(("cookie", &s.audit))),
            _ => get(format!("{b}/api/standing/430100"), Some(("bearer", &s.changsha))),
        },
        _ if !n.is_multiple_of(5) => {
            let req = request("POST", format!("{b}/api/plans/3/lint"), Some(("bearer", &s.gxt)), &s.plan);
            let out = match send(http, req).await {
                Ok((StatusCode::SERVICE_UNAVAILABLE, body)) if String::from_utf8_lossy(&body).contains("\"busy\"") => {
                    BUSY.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    Ok(())
                }
                other => expect_ok(other).map_err(|e| format!("POST /api/plans/3/lint: {e}")),
            };
            return (Kind::Write, out);
        }
        _ => {
            // The name changes each time: logins of one name at the same moment are limited.
            let name = DEMO_ACCOUNTS[n / 5 % DEMO_ACCOUNTS.len()];
            let out = match login(http, b, name).await {
                Ok(token) => expect_ok(
                    send(http, request("POST", format!("{b}/api/logout"), Some(("bearer", &token)), "{}")).await,
                ),
                Err(e) => Err(e),
            };
            return (Kind::Write, out);
        }
    };
    let kind = KINDS[usize::from(slot >= 15) + usize::from(slot >= 19)];
    let what = format!("{} {}", req.method(), req.uri().path());
    (kind, expect_ok(send(http, req).await).map_err(|e| format!("{what}: {e}")))
}

fn expect_ok(r: Result<(StatusCode, Bytes), String>) -> Result<(), String> {
    match r? {
        (StatusCode::OK, _) => Ok(()),
        (status, body) => Err(format!("{status}: {}", String::from_utf8_lossy(&body[..body.len().min(200)]))),
    }
}

async fn client(s: Arc<Shared>, id: usize, until: Instant) -> Seen {
    let http: Http = Client::builder(TokioExecutor::new()).build_http();
    let mut seen = Seen::default();
    let mut step = 0;
    while Instant::now() < until {
        let start = Instant::now();
        let (kind, out) = one(&http, &s, id, step).await;
        seen.micros[kind as usize].push(start.elapsed().as_micros() as u64);
        if let Err(e) = out {
            seen.errors.push(e);
        }
        step += 1;
    }
    seen
}

fn pct(sorted: &[u64], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1)))
        .map_or(0.0, |&m| m as f64 / 1000.0)
}

/// Run the mix against the server on `url` and check it.
async fn load(backend: &str, url: String) {
    let server = Server::start(url).await;
    let base = format!("http://{}", server.addr);
    let http: Http = Client::builder(TokioExecutor::new()).build_http();
    let plan = send(&http, request("GET", format!("{base}/api/plans/3"), None, "")).await.unwrap().1;
    let plan: serde_json::Value = serde_json::from_slice(&plan).unwrap();
    let shared = Arc::new(Shared {
        office: login(&http, &base, "demo-office").await.unwrap(),
        audit: login(&http, &base, "demo-audit").await.unwrap(),
        gxt: login(&http, &base, "demo-gxt").await.unwrap(),
        changsha: login(&http, &base, "demo-changsha").await.unwrap(),
        plan: plan["toml"].as_str().unwrap().to_string(),
        base,
    });
    // Each cached page rendered once before the run, as on a server that has been up a while
    // (two hundred clients asking for one uncached page at once would each render it).
    let warm = Instant::now();
    let renders: Vec<_> = cached_pages()
        .into_iter()
        .map(|page| {
            let (http, url) = (http.clone(), format!("{}{page}", shared.base));
            tokio::spawn(async move { expect_ok(send(&http, request("GET", url, None, "")).await) })
        })
        .collect();
    for r in renders {
        r.await.unwrap().unwrap();
    }
    eprintln!("{backend}: {} cached pages rendered in {:.1} s", cached_pages().len(), warm.elapsed().as_secs_f64());
    let start = Instant::now();
    let until = start + RUN;
    let tasks: Vec<_> = (0..CLIENTS).map(|id| tokio::spawn(client(shared.clone(), id, until))).collect();
    let mut all = Seen::default();
    for t in tasks {
        let seen = t.await.unwrap();
        for k in 0..3 {
            all.micros[k].extend(&seen.micros[k]);
        }
        all.errors.extend(seen.errors);
    }
    let elapsed = start.elapsed();
    drop(http);
    drop(server);

    let mut every: Vec<u64> = all.micros.iter().flatten().copied().collect();
    every.sort_unstable();
    eprintln!(
        "{backend}: {CLIENTS} clients, {:.1} s: {} requests, {:.0}/s, p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, errors {}",
        elapsed.as_secs_f64(),
        every.len(),
        every.len() as f64 / elapsed.as_secs_f64(),
        pct(&every, 0.5),
        pct(&every, 0.9),
        pct(&every, 0.99),
        all.errors.len()
    );
    for (k, micros) in KINDS.iter().zip(all.micros.iter_mut()) {
        micros.sort_unstable();
        eprintln!(
            "  {k:?}: {} requests, p50 {:.1} ms, p99 {:.1} ms",
            micros.len(),
            pct(micros, 0.5),
            pct(micros, 0.99)
        );
    }
    assert!(
        all.errors.is_empty(),
        "{backend}: {} errors, first: {:?}",
        all.errors.len(),
        &all.errors[..all.errors.len().min(5)]
    );
    // Every client's first request is of slot `id * 13 % 20`, so the first round alone holds
    // 150 public reads, 40 logged-in reads and 10 writes, all in flight together.
    let busy = BUSY.swap(0, std::sync::atomic::Ordering::SeqCst);
    eprintln!("  plan checks answered busy: {busy}");
    let [public, logged_in, writes] = all.micros.each_ref().map(Vec::len);
    assert!(busy * 2 < writes, "{backend}: {busy} of {writes} writes were answered busy");
    assert!(public >= CLIENTS * 3 / 4, "{backend}: only {public} public requests");
    assert!(logged_in >= CLIENTS / 5, "{backend}: only {logged_in} logged-in reads");
    assert!(writes >= CLIENTS / 20, "{backend}: only {writes} writes");
}

/// One test, the backends one after the other: run side by side they would share the two cores.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_clients_get_no_errors() {
    let s = site().await;
    load("sqlite", s.db.url()).await;
    if let Some(pg) = jili_testkit::TestPg::new().await {
        let (seed, target) = (site().await, App::open(&pg.url(), "测试").await.unwrap());
        seed.app.raw_store().copy_to(target.raw_store()).await.unwrap();
        target.close().await;
        load("postgres", pg.url()).await;
    }
}
