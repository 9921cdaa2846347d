//! What an error needs to know about the request it answers: the language, the page to come
//! back to after logging in, whether it is an API call (JSON under `/api/`) and whether the
//! visitor is the public. A layer sets it around every request, so a handler can answer a
//! use-case's error with `?` and still get the visitor's page or JSON — no error needs the
//! visitor passed to it by hand.

use crate::i18n::Lang;
use axum::extract::Request;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use std::cell::{Cell, RefCell};

/// The request an error answers.
#[derive(Debug)]
pub struct Context {
    pub lang: Lang,
    /// The request path with its query: where to come back to after logging in.
    pub here: String,
    /// An API call: errors are JSON `{code, message}`.
    pub api: bool,
    /// Not logged in (set when the visitor is known): a refusal asks them to log in first.
    public: Cell<bool>,
    /// The logged-in user's name, for the request log ("" for the public or before the
    /// visitor is known).
    user: RefCell<String>,
}

tokio::task_local! {
    static CONTEXT: Context;
}

/// The language a request asks for: `?lang=`, else the language cookie, else Chinese.
pub fn lang_of(parts: &Parts) -> Lang {
    let query = parts.uri.query().and_then(|q| {
        q.split('&').filter_map(|kv| kv.split_once('=')).find(|(k, _)| *k == "lang").map(|(_, v)| Lang::parse(v))
    });
    query
        .or_else(|| crate::cookies::cookie(&parts.headers, crate::cookies::LANG_COOKIE).map(Lang::parse))
        .unwrap_or(Lang::Zh)
}

/// The request path with its query.
pub fn here_of(parts: &Parts) -> String {
    parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string())
}

/// The layer: run the request with its context set.
pub async fn scope(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let context = Context {
        lang: lang_of(&parts),
        here: here_of(&parts),
        api: parts.uri.path().starts_with("/api/"),
        public: Cell::new(false),
        user: RefCell::new(String::new()),
    };
    CONTEXT.scope(context, next.run(Request::from_parts(parts, body))).await
}

/// Note whether the visitor of this request is the public (the visitor extractor does).
pub fn set_public(public: bool) {
    let _ = CONTEXT.try_with(|c| c.public.set(public));
}

/// Note the logged-in user's name (the visitor extractor does), for the request log.
pub fn set_user(name: &str) {
    let _ = CONTEXT.try_with(|c| name.clone_into(&mut c.user.borrow_mut()));
}

/// The logged-in user of this request, "" when the public or not known.
pub fn user() -> String {
    CONTEXT.try_with(|c| c.user.borrow().clone()).unwrap_or_default()
}

/// Whether the visitor of this request is known to be the public.
pub fn is_public() -> bool {
    CONTEXT.try_with(|c| c.public.get()).unwrap_or(false)
}

/// Read the request's context, if there is one (outside a request, as in unit tests, none).
pub fn with<T>(f: impl FnOnce(&Context) -> T) -> Option<T> {
    CONTEXT.try_with(f).ok()
}
