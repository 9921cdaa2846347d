//! jili's web: the public portal (what is published: winners, rewards, indicator data, the
//! results notice, a map of Hunan), the work pages of each role, and a JSON API described by
//! an OpenAPI document. Pages are rendered on the server and readable without JavaScript;
//! assets are embedded in the binary. Every page and endpoint calls the same `jili_app`
//! use-cases the command line calls — permissions included.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let app = jili_app::App::open("jili.db", "web").await.expect("open");
//! let state = jili_web::AppState::new(app, false);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! jili_web::serve(listener, state, async { let _ = tokio::signal::ctrl_c().await; }).await
//! # }
//! ```

pub mod api;
pub mod assets;
pub mod auth;
pub mod cache;
pub mod carry;
pub mod compress;
pub mod context;
pub mod cookies;
pub mod county_map;
pub mod download;
pub mod download_gate;
pub mod downloads;
pub mod endpoint;
pub mod error;
pub mod extract;
pub mod health;
pub mod i18n;
pub mod metrics;
pub mod no_store;
pub mod pages;
pub mod refusals;
pub mod rejection;
pub mod render;
pub mod request_counts;
pub mod request_log;
pub mod security;
pub mod state;

pub use error::{WebError, WebResult};
pub use state::AppState;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use std::future::Future;
use std::net::SocketAddr;

/// The whole site: pages, API, assets and the probes (`/healthz`, `/readyz`), with the
/// security headers on every response, `Cache-Control: no-store` on every logged-in one,
/// refusals of logged-in users recorded, and every request logged and counted (see
/// [`request_log`]). `/metrics` is not here: it is on the metrics listener ([`ops_router`]).
pub fn router(state: AppState) -> Router {
    // Every template compiled and every word known before the first request (a broken
    // template stops the start, not a page).
    render::register(pages::TEMPLATE_SETS);
    i18n::register(pages::WORD_SETS);
    let mut api = Router::new().route("/api/openapi.json", get(api::openapi));
    for (endpoint, handler) in api::routes() {
        // The gate (login, then the endpoint's permission) runs before the handler reads
        // anything the request carries.
        let handler: axum::routing::MethodRouter<AppState> = handler
            .layer::<_, std::convert::Infallible>(axum::middleware::from_fn_with_state(state.clone(), api::gate::check))
            .layer::<_, std::convert::Infallible>(axum::Extension(api::gate::Guarded(endpoint)));
        api = api.route(endpoint.path, handler);
    }
    let api = api.route(
        "/api/{*rest}",
        axum::routing::any(|| async {
            WebError::new(StatusCode::NOT_FOUND, "not_found", "没有这个接口：见 /api/openapi.json").as_json()
        }),
    );
    Router::new()
        .merge(pages::routes())
        .route("/assets/{*path}", get(assets::asset))
        .route("/favicon.ico", get(assets::favicon))
        .route("/map/counties.json", get(county_map::counties))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(api)
        .fallback(|| async { WebError::not_found("没有这个页面：请从首页进入") })
        .layer(compress::layer())
        .layer(axum::middleware::from_fn(rejection::plain_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), refusals::record))
        .layer(axum::middleware::from_fn(no_store::headers))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), request_log::record))
        .layer(axum::middleware::from_fn(context::scope))
        .with_state(state)
}

/// The operator's listener: `/metrics` (Prometheus) and the probes. Bound to an address of its
/// own (`--metrics-listen`), for the monitoring network only: request counts by route and the
/// pool's state are no business of the public, and no login guards them.
pub fn ops_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics::metrics))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// Serve the site on `listener` until `shutdown` resolves; requests in flight are finished.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_ops(listener, None, state, shutdown).await
}

/// [`serve`], and the operator's listener ([`ops_router`]) on `ops` when given; both stop
/// together.
pub async fn serve_with_ops(
    listener: tokio::net::TcpListener,
    ops: Option<tokio::net::TcpListener>,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Jobs of a server that stopped are failed; this one's are kept alive from now on.
    match state.app().keep_jobs().await {
        Ok(0) => {}
        Ok(n) => tracing::warn!("{n} 个未完成的后台任务属于已停止的服务器，已标为失败"),
        Err(e) => tracing::error!("无法检查未完成的后台任务：{e}"),
    }
    // The assets' compressed forms, made once, off the request threads.
    tokio::task::spawn_blocking(assets::prepare);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let ops_task = ops.map(|l| {
        let mut stopped = stopped.clone();
        let app = ops_router(state.clone());
        tokio::spawn(async move {
            axum::serve(l, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.wait_for(|s| *s).await;
                })
                .await
        })
    });
    let stop = std::sync::Arc::new(stop);
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let on_shutdown = stop.clone();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = on_shutdown.send(true);
        })
        .await;
    // Also when the site stopped on an error: the operator's listener stops with it.
    let _ = stop.send(true);
    if let Some(task) = ops_task {
        match task.await {
            Ok(r) => r?,
            Err(e) => tracing::error!("监控端口的服务意外结束：{e}"),
        }
    }
    served
}
