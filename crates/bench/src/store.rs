//! The store alone, opened apart from any [`App`]: the insert steps time the store's import of
//! a batch without the intake checks before it.

use jili_app::{App, Result};
use jili_model::{Batch, Catalogue};
use jili_store::{Actor, Store};

/// An initialised database at `url`, its store opened apart from any [`App`] (the insert step
/// times the store's import alone), and its catalogue.
pub async fn initialised_store(url: &str) -> Result<(Store, Catalogue)> {
    let app = App::open(url, "bench").await?;
    app.init().await?;
    let catalogue = app.catalogue().await?;
    app.close().await;
    Ok((Store::open(url).await?, catalogue))
}

/// Store the batch as the insert step does: the store's import alone, without the intake
/// checks, in one transaction with its audit event.
pub async fn store_batch(store: &Store, batch: &Batch) -> Result<()> {
    store.import_batch(&Actor { name: "bench".into(), at: jili_app::clock::now_utc() }, batch).await?;
    Ok(())
}
