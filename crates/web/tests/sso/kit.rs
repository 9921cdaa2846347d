//! The single sign-on test's kit: the OpenID Connect provider (oidc-provider under Node.js,
//! `provider/provider.mjs`) started on a free loopback port, jili served on another with
//! single sign-on pointed at it, and a browser without a screen: an HTTP client that keeps
//! cookies, follows redirects and fills in the provider's login and consent forms.
//!
//! Node.js and the npm packages come from `scripts/sso/setup.sh` (run here when the packages
//! are missing; `.ci/run` runs it). Without them the test says it was skipped — unless
//! `JILI_SSO_TESTS=1` (set by `.ci/run`), which makes their absence a failure.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The client secret the provider and jili share in the test.
pub const SECRET: &str = "jili-test-secret-3f9a";

fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sso/provider")
}

/// Whether Node.js and the provider's packages are here (installing them when missing);
/// panics when they must be (CI) and are not.
pub fn provider_available() -> bool {
    let dir = provider_dir();
    let installed = || dir.join("node_modules/oidc-provider/package.json").exists();
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if node && !installed() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/sso/setup.sh");
        let out = Command::new("bash").arg(script).output();
        if let Ok(out) = &out {
            eprintln!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        }
    }
    let here = node && installed();
    if !here {
        if std::env::var("JILI_SSO_TESTS").as_deref() == Ok("1") {
            panic!(
                "JILI_SSO_TESTS=1 but node or oidc-provider is missing: run scripts/sso/setup.sh (apt-get install nodejs npm)"
            );
        }
        eprintln!(
            "单点登录测试已跳过：没有 node 或 oidc-provider（apt-get install nodejs npm；bash scripts/sso/setup.sh；.ci/run 会自动安装）"
        );
    }
    here
}

/// The provider running under Node.js; stopped when dropped.
pub struct ProviderProcess {
    pub issuer: String,
    child: Child,
}

impl ProviderProcess {
    /// Start the provider for a jili whose callback is `redirect`; returns once it listens.
    pub fn start(redirect: &str) -> ProviderProcess {
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .current_dir(provider_dir())
            .env("CLIENT_SECRET", SECRET)
            .env("REDIRECT_URI", redirect)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node starts");
        // Its output is read to the end, so that it never writes into a closed pipe (which
        // would stop it) or a full one.
        let mut err = child.stderr.take().unwrap();
        let errors = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // The first line says where it listens; the end of the output means it died.
        let issuer = lines.by_ref().find_map(|l| l.ok()?.strip_prefix("ISSUER ").map(String::from));
        let Some(issuer) = issuer else {
            let _ = child.kill();
            panic!("the provider did not start: {}", errors.join().unwrap_or_default());
        };
        std::thread::spawn(move || lines.for_each(drop));
        ProviderProcess { issuer, child }
    }
}

impl Drop for ProviderProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One answer, read whole.
#[derive(Debug)]
pub struct Answer {
    pub url: String,
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

/// A browser without a screen: cookies by name (the provider's and jili's names differ; both
/// are on 127.0.0.1), redirects followed by hand so that the test sees each step.
pub struct Browser {
    agent: ureq::Agent,
    jar: BTreeMap<String, String>,
}

impl Default for Browser {
    fn default() -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(std::time::Duration::from_secs(30)))
            .build()
            .new_agent();
        Browser { agent, jar: BTreeMap::new() }
    }
}

impl Browser {
    fn cookie_header(&self) -> String {
        self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&mut self, url: &str, mut r: ureq::http::Response<ureq::Body>) -> Answer {
        for v in r.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let gone = v.to_ascii_lowercase().contains("max-age=0") || value.is_empty();
            if gone {
                self.jar.remove(name.trim());
            } else {
                self.jar.insert(name.trim().to_string(), value.to_string());
            }
        }
        let location = r.headers().get("location").map(|l| resolve(url, l.to_str().unwrap()));
        let status = r.status().as_u16();
        let body = r.body_mut().read_to_string().unwrap_or_default();
        Answer { url: url.to_string(), status, location, body }
    }

    /// GET `url` (not following a redirect).
    pub fn get(&mut self, url: &str) -> Answer {
        let r = self
            .agent
            .get(url)
            .header("Cookie", self.cookie_header())
            .call()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        self.keep(url, r)
    }

    /// POST a form to `url` (not following a redirect).
    pub fn post(&mut self, url: &str, form: &[(&str, &str)]) -> Answer {
        let r = self
            .agent
            .post(url)
            .header("Cookie", self.cookie_header())
            .send_form(form.iter().copied())
            .unwrap_or_else(|e| panic!("POST {url}: {e}"));
        self.keep(url, r)
    }

    /// A cookie's value.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.jar.get(name).map(String::as_str)
    }

    /// From jili's `/sso/login` through the provider's login (as `login` with `password`)
    /// and consent to the provider's redirect back to jili: the callback URL, not yet visited.
    pub fn sign_in_at_provider(&mut self, jili: &str, login: &str, password: &str) -> String {
        let mut next = self.get(&format!("{jili}/sso/login?next=/work"));
        assert_eq!(next.status, 303, "/sso/login sends the browser to the provider: {}", next.body);
        for _ in 0..12 {
            if let Some(location) = &next.location {
                if location.starts_with(&format!("{jili}/sso/callback")) {
                    return location.clone();
                }
                next = self.get(&location.clone());
                continue;
            }
            assert_eq!(next.status, 200, "{}: {}", next.url, next.body);
            let action =
                resolve(&next.url, &form_action(&next.body).unwrap_or_else(|| panic!("no form: {}", next.body)));
            next = if next.body.contains("name=\"password\"") {
                if next.body.contains("用户名或密码不正确") {
                    panic!("the provider refused {login}'s password");
                }
                self.post(&action, &[("login", login), ("password", password)])
            } else {
                self.post(&action, &[])
            };
        }
        panic!("no way back to jili after 12 steps: {next:?}");
    }
}

/// The action of the first form on a page.
fn form_action(html: &str) -> Option<String> {
    let form = &html[html.find("<form")?..];
    let start = form.find("action=\"")? + "action=\"".len();
    let end = form[start..].find('"')?;
    Some(form[start..start + end].replace("&amp;", "&"))
}

/// `location` resolved against `base` (absolute, or a path on the same origin).
fn resolve(base: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_string();
    }
    let origin_end = base.find("://").map(|i| i + 3).and_then(|i| base[i..].find('/').map(|j| i + j));
    let origin = origin_end.map_or(base, |e| &base[..e]);
    format!("{origin}{location}")
}

/// The value of `name` in the query of `url`.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}
