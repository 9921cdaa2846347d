//! Pages from templates. The templates are compiled into the binary and loaded once; every
//! page gets the frame (language, who is logged in, the form token, the demo label) and the
//! Chinese number formats (万元/亿元, percentages, scores).

use crate::i18n::{Lang, word};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, State, Value, context};
use serde::Serialize;
use std::sync::OnceLock;

/// Templates: a list of (name, source).
pub type TemplateSet = &'static [(&'static str, &'static str)];

/// The template environment, with every template of every page module, made once by
/// [`register`] when the router is built.
static TEMPLATES: OnceLock<Environment<'static>> = OnceLock::new();

/// Compile every template of `sets` (the page modules' lists) once per process; later calls
/// keep the first. A template that does not compile stops the server as it starts, not at the
/// first visit to its page: the templates are part of the binary, so this is a bug to fix.
pub fn register(sets: &[TemplateSet]) {
    TEMPLATES.get_or_init(|| {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for set in sets {
            for (name, source) in *set {
                if let Err(e) = env.add_template(name, source) {
                    panic!("template {name} does not compile: {e:#}");
                }
            }
        }
        env.add_function("t", t);
        // An asset's URL is made of file names jili chose and hex digits: nothing to escape.
        env.add_function("asset", |path: &str| Value::from_safe_string(crate::assets::url(path)));
        env.add_filter("wan", wan);
        env.add_filter("score", score);
        env.add_filter("pct", pct);
        env.add_filter("num", num);
        env.add_filter("when", when);
        env.add_filter("beijing", |v: Value| v.as_str().map_or_else(|| "—".to_string(), jili_app::clock::beijing_time));
        env.add_filter("rank", rank);
        env
    });
}

/// A rendered page.
#[derive(Debug, Clone)]
pub struct Page(pub String);

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        Html(self.0).into_response()
    }
}

/// What every page's frame shows: the language, the user, the form token, the demo label.
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    pub lang: Lang,
    pub lang_code: &'static str,
    /// The current path, for the active menu item.
    pub path: String,
    /// The current path with its query, to come back to (language switch, login).
    pub here: String,
    pub user: Option<FrameUser>,
    pub csrf: String,
    /// The database holds demo data: every page says so.
    pub demo: bool,
}

/// The logged-in user as the frame shows them.
#[derive(Debug, Clone, Serialize)]
pub struct FrameUser {
    pub name: String,
    pub role: &'static str,
    pub role_label: &'static str,
    pub scope: String,
}

impl Page {
    /// Render `template` with the frame and the page's own values.
    pub fn render(template: &str, frame: &Frame, values: Value) -> Result<Page, minijinja::Error> {
        let env = TEMPLATES.get().ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::TemplateNotFound,
                "templates not registered: build the router first",
            )
        })?;
        let tmpl = env.get_template(template)?;
        let ctx = context! { frame => frame, lang => frame.lang, ..values };
        Ok(Page(tmpl.render(ctx)?))
    }

    /// An error page (no frame is known when an error is turned into a response).
    pub fn error(status: u16, message: &str, lang: Lang) -> Page {
        let frame = Frame {
            lang,
            lang_code: lang.code(),
            path: "/".into(),
            here: "/".into(),
            user: None,
            csrf: String::new(),
            demo: false,
        };
        Page::render("error.html", &frame, context! { status, message }).unwrap_or_else(|e| {
            tracing::error!("error page: {e:#}");
            let message = minijinja::HtmlEscape(message);
            Page(format!("<!doctype html><meta charset=utf-8><title>{status}</title><p>{status}</p><p>{message}</p>"))
        })
    }
}

fn t(state: &State, key: &str) -> String {
    let lang = state.lookup("lang").and_then(|v| v.as_str().map(Lang::parse)).unwrap_or(Lang::Zh);
    word(lang, key).to_string()
}

/// 万元 as the Chinese way: `1,200 万元`; from 1 亿 up, `1.2 亿元` (exact, from the integer or
/// decimal text — never through a float).
pub fn format_wan(text: &str) -> String {
    let text = text.trim();
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let negative = int.starts_with('-');
    let digits = int.trim_start_matches('-');
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return text.to_string();
    }
    let sign = if negative { "-" } else { "" };
    let digits = digits.trim_start_matches('0');
    if digits.len() > 4 {
        let (yi, rest) = digits.split_at(digits.len() - 4);
        let decimals = format!("{rest}{frac}");
        let decimals = decimals.trim_end_matches('0');
        let dot = if decimals.is_empty() { "" } else { "." };
        return format!("{sign}{}{dot}{decimals} 亿元", group(yi));
    }
    let digits = if digits.is_empty() { "0" } else { digits };
    let frac = frac.trim_end_matches('0');
    let dot = if frac.is_empty() { "" } else { "." };
    format!("{sign}{}{dot}{frac} 万元", group(digits))
}

/// A rank from simulations: whole ranks as integers (`2`), others with one decimal (`2.5`).
fn rank(v: Value) -> String {
    match f64::try_from(v) {
        Ok(x) if x.is_finite() && (x - x.round()).abs() < 1e-9 => format!("{x:.0}"),
        Ok(x) if x.is_finite() => format!("{x:.1}"),
        _ => "—".into(),
    }
}

/// A stored UTC time on a page: Beijing time, the Chinese way (`2026年11月30日 06:32`), in a
/// `<time>` element whose `datetime` keeps the UTC instant for machines (the one rule for time:
/// see docs/web.md). The frame's footer says that pages show Beijing time. Text that is no
/// stored time is shown as it is, escaped.
fn when(v: Value) -> Value {
    let Some(s) = v.as_str() else { return Value::from("—") };
    match jili_app::clock::parse_utc(s) {
        // A parsed time is digits, dashes, colons, T and Z: nothing to escape.
        Some(_) => Value::from_safe_string(format!(
            "<time datetime=\"{s}\" title=\"北京时间（UTC+8）\">{}</time>",
            jili_app::clock::beijing_time(s)
        )),
        None => Value::from(s),
    }
}

/// Digits with thousands separators.
pub fn group(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn wan(v: Value) -> String {
    if v.is_none() || v.is_undefined() {
        return "—".into();
    }
    format_wan(&v.to_string())
}

fn score(v: Value) -> String {
    match f64::try_from(v) {
        Ok(x) if x.is_finite() => format!("{x:.2}"),
        _ => "—".into(),
    }
}

fn pct(v: Value) -> String {
    match f64::try_from(v) {
        Ok(x) if x.is_finite() => format!("{:.1}%", x * 100.0),
        _ => "—".into(),
    }
}

fn num(v: Value) -> String {
    let text = v.to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return text;
    }
    let dot = if frac.is_empty() { "" } else { "." };
    format!("{sign}{}{dot}{frac}", group(digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_formatted_exactly_in_wan_and_yi() {
        assert_eq!(format_wan("0"), "0 万元");
        assert_eq!(format_wan("1200"), "1,200 万元");
        assert_eq!(format_wan("10000"), "1 亿元");
        assert_eq!(format_wan("12345"), "1.2345 亿元");
        assert_eq!(format_wan("123456789"), "12,345.6789 亿元");
        assert_eq!(format_wan("3000.50"), "3,000.5 万元");
        assert_eq!(format_wan("15000.5"), "1.50005 亿元");
        assert_eq!(format_wan("abc"), "abc");
    }

    #[test]
    fn numbers_get_separators() {
        assert_eq!(num(Value::from(1234567)), "1,234,567");
        assert_eq!(num(Value::from("-1234.5")), "-1,234.5");
        assert_eq!(pct(Value::from(0.1234)), "12.3%");
        assert_eq!(score(Value::from(50.591)), "50.59");
        assert_eq!(rank(Value::from(2.0)), "2");
        assert_eq!(rank(Value::from(2.5)), "2.5");
    }
}
