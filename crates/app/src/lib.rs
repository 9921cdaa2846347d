//! jili's use-cases, written once and shared by the CLI and the web pages: load reference data,
//! the programme and plans; import data; build the demo; read things back. [`App`] holds the
//! store and the actor every change is recorded under.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use jili_app::{App, UnitFilter};
//! use jili_model::Level;
//!
//! let app = App::open("sqlite::memory:", "文档示例").await.unwrap();
//! app.load_reference(&jili_app::bundled::reference_files()).await.unwrap();
//! let cities = app.units(&UnitFilter { level: Some(Level::City), ..UnitFilter::default() }).await.unwrap();
//! assert_eq!(cities.len(), 14);
//! # });
//! ```

pub mod access;
pub mod analyst;
pub mod bundled;
pub mod calendar;
pub mod cases;
pub mod clock;
mod content;
pub mod demo;
pub mod document;
mod error;
pub mod funds;
pub mod governance;
pub mod intake;
pub mod jobs;
pub mod limits;
mod ops;
pub mod plans;
pub mod publication;
pub mod runs;
pub mod setup;
pub mod sso;
pub mod stats;
mod status;
pub mod users;
mod work_kind;
pub mod workers;

pub use access::{Action, Principal, Role};
pub use error::{AppError, Result};
pub use intake::county_map::CountyMapImport;
pub use intake::reference::UnitFilter;
pub use intake::{ImportOutcome, ImportRequest, MappingSource, RecheckRequest, RecheckSummary, flag_label};
pub use jili_engine as engine;
pub use plans::programme::PlanView;
pub use publication::publish::Publication;
pub use publication::publish::notice::{AnnexForm, Notice};
pub use publication::release::{DataRelease, ReleaseRef, ReleaseSummary};
pub use runs::measure_results::MeasureResults;
pub use runs::reproduce::Reproduction;
pub use runs::run::{RunReport, RunRequest};
pub use runs::standing::Standing;
pub use status::Status;
pub use workers::{Capacity, Work, Workers};

use jili_store::{Actor, Store};
pub use jili_store::{Backend, PoolStats, Readiness, SealAlgorithm, StoreError, parse_url, redact, schemas};

/// The application: a store, who is acting and from where, and the pool heavy work runs on.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
    principal: Principal,
    /// Shared by every clone: the limits hold for the whole process.
    workers: Workers,
    /// The client the actor works from (an address for the web, [`LOCAL_CLIENT`] for the
    /// command line), for the access log.
    client: String,
}

/// The client recorded in the access log for the command line.
pub const LOCAL_CLIENT: &str = "本机命令行";

impl App {
    /// Open the database at `url` acting as the office under the name `actor` (recorded on
    /// every change): the command line is the office working locally, with the whole machine
    /// for its heavy work ([`Capacity::local`]).
    pub async fn open(url: &str, actor: &str) -> Result<App> {
        Ok(App {
            store: Store::open(url).await?,
            principal: Principal::office(actor),
            client: LOCAL_CLIENT.into(),
            workers: Workers::new(Capacity::local()),
        })
    }

    /// The same application acting as someone else (a logged-in user, or the public).
    pub fn acting_as(&self, principal: Principal) -> App {
        App { store: self.store.clone(), principal, client: self.client.clone(), workers: self.workers.clone() }
    }

    /// The same application with a pool of its own for heavy work (a server uses
    /// [`Capacity::server`]); every clone made from the result shares that pool.
    pub fn with_capacity(&self, limits: Capacity) -> App {
        App { workers: Workers::new(limits), ..self.clone() }
    }

    /// The pool heavy work runs on.
    pub fn workers(&self) -> &Workers {
        &self.workers
    }

    /// Run a use-case's body as heavy work of `kind` (see [`workers`]): `body` gets a clone of
    /// this application, since the work may outlive the caller's wait.
    pub(crate) async fn heavy<T, F, Fut>(&self, kind: Work, body: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(App) -> Fut,
        Fut: std::future::Future<Output = Result<T>> + Send + 'static,
    {
        self.workers.offload(kind, body(self.clone())).await
    }

    /// The same application serving a request from `client` (its address).
    pub fn from_client(&self, client: &str) -> App {
        App { client: client.to_string(), ..self.clone() }
    }

    /// Who is acting.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// Where the actor works from.
    pub fn client(&self) -> &str {
        &self.client
    }

    /// Whether the actor may do `action`: for a front end deciding which controls to offer
    /// (the use-case still checks when it runs).
    pub fn may(&self, action: &Action<'_>) -> bool {
        access::allows(&self.principal, action)
    }

    /// Refuse unless the actor may do `action`.
    pub fn allow(&self, action: Action<'_>) -> Result<()> {
        access::check(&self.principal, &action)
    }

    /// Who is acting, stamped now, for the audit log: the name and the role.
    /// The store behind this App, for tests that check what was or was not written (feature
    /// `test-support`; no shipped build has it).
    #[cfg(feature = "test-support")]
    pub fn raw_store(&self) -> &Store {
        &self.store
    }

    /// Close the database (waits for its connections to finish), so a process ends cleanly.
    pub async fn close(&self) {
        self.store.clone().close().await;
    }

    fn actor(&self) -> Actor {
        let p = &self.principal;
        let name = match p.role {
            access::Role::Office => p.name.clone(),
            _ => format!("{}（{}）", p.name, p.role.label()),
        };
        Actor { name, at: clock::now_utc() }
    }
}
