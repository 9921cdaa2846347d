//! What the portal's cache keys depend on: which publications exist and whether the database
//! holds demo data. Both are public facts.

use crate::App;
use crate::error::Result;

impl App {
    /// A fingerprint of everything published (each publication's year, version and digest).
    /// It changes whenever anything is published, by any process.
    pub async fn published_fingerprint(&self) -> Result<String> {
        Ok(self.store.publication_heads().await?.join(";"))
    }
}
