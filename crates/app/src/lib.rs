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

pub mod analyst;
pub mod bench;
mod bench_engine;
pub mod bench_intake;
pub mod bundled;
pub mod clock;
mod content;
pub mod demo;
mod error;
mod import;
pub mod intake;
pub mod lint;
mod programme;
mod reference;
pub mod run;
pub mod setup;
mod status;

pub use error::{AppError, Result};
pub use intake::{ImportOutcome, ImportRequest, MappingSource};
pub use jili_engine as engine;
pub use programme::PlanView;
pub use reference::UnitFilter;
pub use run::{RunReport, RunRequest};
pub use status::Status;

use jili_store::{Actor, Store};
pub use jili_store::{Backend, parse_url};

/// The application: a store and who is acting.
#[derive(Debug, Clone)]
pub struct App {
    pub store: Store,
    actor: String,
}

impl App {
    /// Open the database at `url` acting as `actor` (recorded on every change).
    pub async fn open(url: &str, actor: &str) -> Result<App> {
        Ok(App { store: Store::open(url).await?, actor: actor.to_string() })
    }

    /// Who is acting, stamped now.
    fn actor(&self) -> Actor {
        Actor { name: self.actor.clone(), at: clock::now_utc() }
    }
}
