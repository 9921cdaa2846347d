//! Shared set-up for the web's tests: the demo database with its accounts and first
//! publication, built once per test binary; requests sent to the router in-process.
#![allow(dead_code, clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use jili_app::App;
use jili_testkit::TestDb;
use std::sync::OnceLock;
use tower::ServiceExt;

pub use jili_app::demo::DEMO_PASSWORD;

/// The app's demo recipe, so that the app's and the web's tests share one demo build.
#[path = "../../../../app/tests/it/common/demo_template.rs"]
mod demo_template;

/// The demo database with the demo accounts and a publication, copied once for this binary from
/// the run's template ([`jili_testkit::template`]: made once for all the test binaries of a
/// `cargo test`, the browser and load tests too, from a copy of the app's demo template).
fn demo() -> &'static TestDb {
    static DEMO: OnceLock<TestDb> = OnceLock::new();
    DEMO.get_or_init(|| TestDb::from_template(template()))
}

/// The finished template file: never opened by a test, so a copy of it is never taken while a
/// connection checkpoints or removes a write-ahead log (copying the shared copy raced with that).
fn template() -> &'static std::path::Path {
    static TEMPLATE: OnceLock<std::path::PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let demo = demo_template::demo_template();
        // The app's template's name holds its own key: data, version and run.
        let inputs: &[&[u8]] = &[demo.as_os_str().as_encoded_bytes()];
        jili_testkit::template("web-demo-portal", inputs, |path| {
            std::fs::copy(&demo, path).unwrap();
            let url = path.display().to_string();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Runtime::new().unwrap();
                rt.block_on(async {
                    let app = App::open(&url, "测试").await.unwrap();
                    app.prepare_demo_portal().await.unwrap();
                    app.close().await;
                })
            })
            .join()
            .unwrap()
        })
    })
}

/// A site on a private copy of the demo database (tests may write to it).
pub struct Site {
    pub db: TestDb,
    pub app: App,
    pub router: axum::Router,
    /// The server's state (its pool of heavy work, its caches).
    pub state: jili_web::AppState,
}

/// A fresh site on its own copy of the demo database.
pub async fn site() -> Site {
    let db = TestDb::from_template(template());
    let app = App::open(&db.url(), "测试").await.unwrap();
    let state = jili_web::AppState::new(app.clone(), false);
    let router = jili_web::router(state.clone());
    Site { db, app, router, state }
}

/// A fresh site whose heavy work has these limits.
pub async fn site_with(limits: jili_app::Capacity) -> Site {
    let db = TestDb::from_template(template());
    let app = App::open(&db.url(), "测试").await.unwrap();
    let state = jili_web::AppState::with_capacity(app.clone(), false, Vec::new(), limits);
    let router = jili_web::router(state.clone());
    Site { db, app, router, state }
}

/// A response read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> String {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }

    /// Every `Set-Cookie` value.
    pub fn cookies(&self) -> Vec<String> {
        self.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(String::from).collect()
    }
}

async fn read(r: Response<Body>) -> Reply {
    let status = r.status();
    let headers = r.headers().clone();
    let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, headers, body }
}

/// A logged-in browser: its session cookie and form token.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl Site {
    /// Send a request.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        read(self.router.clone().oneshot(request).await.unwrap()).await
    }

    /// GET as the public.
    pub async fn get(&self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    /// A job's page once the job has ended (it refreshes itself until then), as `s` sees it.
    pub async fn job_page(&self, s: &Session, path: &str) -> String {
        for _ in 0..1200 {
            let r = self.get_as(s, path).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            let page = r.text();
            if !page.contains("http-equiv=\"refresh\"") {
                return page;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the job at {path} did not end in two minutes");
    }

    /// GET with a session.
    pub async fn get_as(&self, s: &Session, path: &str) -> Reply {
        self.send(Request::get(path).header(header::COOKIE, &s.cookie).body(Body::empty()).unwrap()).await
    }

    /// POST a form (`a=1&b=2`, already encoded) with a session (its token is added as `csrf`).
    pub async fn post_form(&self, s: &Session, path: &str, form: &str) -> Reply {
        let body = if form.is_empty() { format!("csrf={}", s.csrf) } else { format!("{form}&csrf={}", s.csrf) };
        let req = Request::post(path)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// POST JSON to the API with a bearer token.
    pub async fn post_json(&self, token: Option<&str>, path: &str, json: serde_json::Value) -> Reply {
        let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(req.body(Body::from(json.to_string())).unwrap()).await
    }

    /// GET from the API with a bearer token.
    pub async fn get_json(&self, token: &str, path: &str) -> Reply {
        self.send(
            Request::get(path).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap(),
        )
        .await
    }

    /// Log in through the form as a demo account; the session cookie and form token.
    pub async fn login(&self, name: &str) -> Session {
        let form = self.get("/login").await;
        let pre = form.cookies().into_iter().find(|c| c.starts_with("jili_login=")).unwrap();
        let pre = pre.split(';').next().unwrap().to_string();
        let token = pre.trim_start_matches("jili_login=");
        let body = format!("name={name}&password={DEMO_PASSWORD}&login_token={token}&next=/work");
        let req = Request::post("/login")
            .header(header::COOKIE, &pre)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let r = self.send(req).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login as {name}: {}", r.text());
        let cookie = r.cookies().into_iter().find(|c| c.starts_with("jili_session=")).unwrap();
        let cookie = cookie.split(';').next().unwrap().to_string();
        let mut session = Session { cookie, csrf: String::new() };
        session.csrf = self.csrf_of(&session).await;
        session
    }

    /// The form token a page gives this session.
    pub async fn csrf_of(&self, s: &Session) -> String {
        let page = self.get_as(s, "/login").await.text();
        let at = page.find("name=\"csrf\" value=\"").expect("a logout form with the token");
        let rest = &page[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    /// Log in through the API: the bearer token.
    pub async fn api_token(&self, name: &str) -> String {
        let r = self.post_json(None, "/api/login", serde_json::json!({"name": name, "password": DEMO_PASSWORD})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()["token"].as_str().unwrap().to_string()
    }
}

/// The 14 市州 by code, in the order of data/divisions/hunan.csv.
pub const CITIES: [&str; 14] = [
    "430100", "430200", "430300", "430400", "430500", "430600", "430700", "430800", "430900", "431000", "431100",
    "431200", "431300", "433100",
];

/// A provider's CSV of 2025 GDP for the 14 市州: each city's stored 2024 value grown 5%, one
/// city's cell replaced when `replace` says so (a bad value for the validation report).
pub async fn gdp_2025(app: &App, replace: Option<(usize, &str)>) -> String {
    let stored = app.raw_store().observations_of(&["GDP"]).await.unwrap();
    let mut text = String::from("地区,指标,年份,数值\r\n");
    for (i, code) in CITIES.iter().enumerate() {
        let v2024: f64 = stored
            .iter()
            .find(|o| o.observation.unit == *code && o.observation.period.year == 2024)
            .unwrap()
            .observation
            .value
            .to_string()
            .parse()
            .unwrap();
        let value = match replace {
            Some((j, cell)) if j == i => cell.to_string(),
            _ => format!("{:.2}", v2024 * 1.05),
        };
        text.push_str(&format!("{code},地区生产总值,2025,{value}\r\n"));
    }
    text
}

/// [`gdp_2025`] with 张家界市 at +60% where every other city reports +5%: a file that passes
/// its checks with one year-on-year jump flagged.
pub async fn gdp_2025_with_a_jump(app: &App) -> String {
    let zjj = app.history("GDP", "430800", "2024").await.unwrap();
    let zjj: f64 = zjj.last().unwrap().value.parse().unwrap();
    gdp_2025(app, Some((7, &format!("{:.2}", zjj * 1.6)))).await
}

/// Publish as the office must: one office user asks, a second confirms (four eyes).
pub async fn publish(
    app: &jili_app::App,
    year: Option<i32>,
    reason: &str,
) -> Result<jili_app::Publication, jili_app::AppError> {
    let id = app.request_publication(year, reason).await?;
    app.acting_as(jili_app::Principal::office("办公厅复核人（测试）")).confirm_publication(id).await
}

/// 统计局 revises one 市州's 2024 农林牧渔业增加值增速 (read by measure 5, published) through an
/// ordinary import (a partial file with a reason); the flags the import raised on that value.
/// The demo has no flags of its own: this makes some. 郴州市 raised to 9.9 wins measure 5.
/// Each flag as (id, code).
pub async fn revise_agri(app: &App, city: &str, value: &str) -> Vec<(i64, String)> {
    let text = format!("地区,指标,年份,数值\n{city},农林牧渔业增加值增速,2024,{value}\n");
    let mut r = jili_app::ImportRequest::new("年报修订.csv", text.into_bytes(), "TJJ");
    r.partial = true;
    r.reason = Some("年报数据替换快报数".into());
    let out = app.import_file(&r, &|_| {}).await.unwrap();
    let batch = out.stored.unwrap_or_else(|| panic!("stored: {:?}", out.findings));
    let unit = app.catalogue().await.unwrap().units().find(|u| u.name == city).unwrap().code.clone();
    app.flags(Some(batch)).await.unwrap().into_iter().filter(|f| f.unit == unit).map(|f| (f.id, f.code)).collect()
}
