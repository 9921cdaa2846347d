//! Browser tests' kit: the site served on a loopback port from a copy of the demo database,
//! chromedriver on another, and headless Chromium driven through WebDriver (fantoccini).
//! Chromium and chromedriver come from Debian (`apt-get install chromium chromium-driver
//! fonts-noto-cjk`; `.ci/run` installs them). Without them the tests say they were skipped —
//! unless `JILI_BROWSER_TESTS=1` (set by `.ci/run`), which makes their absence a failure.
#![allow(dead_code, clippy::unwrap_used)]

use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// One browser test at a time: two Chromiums on two cores only slow each other down.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Whether the browser is here; panics when it must be (CI) and is not.
pub fn browser_available() -> bool {
    let here = std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists();
    if !here {
        if std::env::var("JILI_BROWSER_TESTS").as_deref() == Ok("1") {
            panic!(
                "JILI_BROWSER_TESTS=1 but {CHROMIUM} or {CHROMEDRIVER} is missing: apt-get install chromium chromium-driver"
            );
        }
        eprintln!(
            "浏览器测试已跳过：未安装 chromium 和 chromium-driver（apt-get install chromium chromium-driver fonts-noto-cjk；.ci/run 会自动安装）"
        );
    }
    here
}

/// The site and a browser pointed at it.
pub struct Browser {
    pub base: String,
    pub client: Client,
    pub site: super::common::Site,
    driver: Child,
    _profile: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// Serve a fresh copy of the demo site and start a headless browser.
    pub async fn start() -> Browser {
        let site = super::common::site().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = jili_web::AppState::new(site.app.clone(), false);
        let server = tokio::spawn(async move {
            jili_web::serve(listener, state, std::future::pending()).await.unwrap();
        });
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let caps = serde_json::json!({
            "goog:loggingPrefs": { "browser": "ALL" },
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let caps: serde_json::Map<String, serde_json::Value> = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let mut client = None;
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
                Ok(c) => {
                    client = Some(c);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        let client = client.expect("chromedriver answers within 10 s");
        Browser { base, client, site, driver, _profile: profile, server }
    }

    /// Open a path of the site.
    pub async fn open(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    /// Wait for an element matching a CSS selector (up to 15 s).
    pub async fn wait(&self, css: &str) -> fantoccini::elements::Element {
        let found =
            tokio::time::timeout(Duration::from_secs(15), self.client.wait().for_element(Locator::Css(css))).await;
        match found {
            Ok(Ok(e)) => e,
            _ => {
                let src = self.client.source().await.unwrap_or_default();
                panic!(
                    "no element {css} on {}:\n{}",
                    self.client.current_url().await.unwrap(),
                    &src[..src.len().min(3000)]
                );
            }
        }
    }

    /// Log in through the login form.
    pub async fn login(&self, name: &str) {
        self.open("/login").await;
        self.wait("#name").await.send_keys(name).await.unwrap();
        self.wait("#password").await.send_keys(jili_app::demo::DEMO_PASSWORD).await.unwrap();
        self.wait("form[action='/login'] button[type=submit]").await.click().await.unwrap();
        self.wait("form[action='/logout']").await;
    }

    /// Log out through the frame's button.
    pub async fn logout(&self) {
        self.wait("form[action='/logout'] button").await.click().await.unwrap();
        self.wait("a[href^='/login']").await;
    }

    /// Keep a screenshot of the page as test output (target/screenshots/NAME.png).
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Keep a screenshot of one element (a chart, a table).
    pub async fn screenshot_of(&self, css: &str, name: &str) {
        let png = self.wait(css).await.screenshot().await.unwrap();
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Replace an input's value by typing, as a user does.
    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.wait(css).await;
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    /// Click, accept the confirmation dialog the click opens (if any), and wait for `then`.
    pub async fn click_confirmed(&self, css: &str, then: &str) {
        self.wait(css).await.click().await.unwrap();
        let _ = self.client.accept_alert().await;
        self.wait(then).await;
    }

    /// The console messages at level SEVERE since the last call (errors, failed requests such as
    /// a 404), each as ChromeDriver gives it: ChromeDriver's own log command, outside W3C
    /// WebDriver, kept since `goog:loggingPrefs` asks for it.
    pub async fn console_errors(&self) -> Vec<String> {
        let entries = self.client.issue_cmd(BrowserLog).await.unwrap();
        let entries = entries.as_array().cloned().unwrap_or_default();
        entries
            .iter()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// The page's visible text.
    pub async fn text(&self, css: &str) -> String {
        self.wait(css).await.text().await.unwrap()
    }

    /// End the browser, the driver and the server.
    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        self.server.abort();
    }
}

/// ChromeDriver's `POST /session/{id}/se/log` with type `browser`.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (axum::http::Method::POST, Some(r#"{"type":"browser"}"#.to_string()))
    }
}

/// Where screenshots are kept.
pub fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots")
}
