//! The one error type of the use-cases. Every variant's message tells the user what to do.

use thiserror::Error;

/// Why a use-case failed. Nothing stored has changed when one is returned.
#[derive(Debug, Error)]
pub enum AppError {
    #[error(transparent)]
    Intake(#[from] jili_intake::IntakeError),
    #[error(transparent)]
    Model(#[from] jili_model::ModelError),
    #[error(transparent)]
    Store(#[from] jili_store::StoreError),
    /// Something asked for is not there.
    #[error("{0}")]
    NotFound(String),
    /// The actor's role does not allow this (see `access`).
    #[error("{0}")]
    Denied(String),
    /// Input that reads but breaks a rule outside one file (e.g. a batch naming an unknown unit).
    #[error("{0}")]
    Invalid(String),
    /// A service jili depends on (the single sign-on provider) cannot be reached or answered
    /// nonsense: nothing was done; try again later.
    #[error("{0}")]
    Unavailable(String),
    /// Too many attempts (failed logins): wait and try again.
    #[error("{0}")]
    RateLimited(String),
    /// Too much heavy work already waiting (see `workers`): nothing was done; try again after
    /// `retry_after` seconds.
    #[error("{message}")]
    Busy { message: String, retry_after: u64 },
}

/// Shorthand for use-case results.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// A file that could not be written is bad input to the writer (nothing was stored).
impl From<jili_report::ReportError> for AppError {
    fn from(e: jili_report::ReportError) -> AppError {
        AppError::Invalid(e.0)
    }
}
