//! The intake rules file: stored in the database once an office loads its own, otherwise the
//! bundled `data/checks/hunan.toml`.

use crate::App;
use crate::bundled::CHECKS;
use crate::error::{AppError, Result};
use jili_intake::data::checks::CheckConfig;
use jili_model::Catalogue;

/// The settings key of the rules file.
pub const CHECKS_KEY: &str = "checks";

impl App {
    /// The rules in force.
    pub async fn check_config(&self, catalogue: &Catalogue) -> Result<CheckConfig> {
        let (file, text) = match self.store.setting(CHECKS_KEY).await? {
            Some(text) => ("数据库中的校验规则".to_string(), text),
            None => (CHECKS.0.to_string(), CHECKS.1.to_string()),
        };
        CheckConfig::from_toml(&file, &text, catalogue).map_err(AppError::Invalid)
    }

    /// The rules file's text in force, and where it is from.
    pub async fn check_rules_text(&self) -> Result<(String, String)> {
        Ok(match self.store.setting(CHECKS_KEY).await? {
            Some(text) => ("数据库".to_string(), text),
            None => (CHECKS.0.to_string(), CHECKS.1.to_string()),
        })
    }

    /// Replace the rules with the office's own file, after checking it.
    pub async fn load_check_rules(&self, file: &str, text: &str) -> Result<CheckConfig> {
        self.allow(crate::Action::Configure)?;
        let config = CheckConfig::from_toml(file, text, &self.catalogue().await?).map_err(AppError::Invalid)?;
        self.store.put_setting(&self.actor(), CHECKS_KEY, text).await?;
        Ok(config)
    }
}
