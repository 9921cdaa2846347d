//! Intake errors: each says what was wrong, where, and how to fix it.

use jili_model::Location;
use thiserror::Error;

/// A problem in an input file. Any problem rejects the whole file: nothing is half-loaded.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum IntakeError {
    /// One problem at one place.
    #[error("{at}：{message}")]
    At { at: Location, message: String },
    /// Several problems, reported together so the sender can fix them in one pass.
    #[error("{}", join(.0))]
    Several(Vec<IntakeError>),
}

fn join(problems: &[IntakeError]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    format!("共 {} 处问题：\n{}", problems.len(), lines.join("\n"))
}

impl IntakeError {
    /// A problem at `at`.
    pub fn at(at: Location, message: impl Into<String>) -> Self {
        IntakeError::At { at, message: message.into() }
    }

    /// `Ok(())` when there is nothing to report, else one error holding them all.
    pub fn collect(mut problems: Vec<IntakeError>) -> Result<(), IntakeError> {
        match problems.len() {
            0 => Ok(()),
            1 => Err(problems.remove(0)),
            _ => Err(IntakeError::Several(problems)),
        }
    }

    /// One problem stays itself; several become `Several`.
    pub fn flatten(self) -> IntakeError {
        match self {
            IntakeError::Several(mut v) if v.len() == 1 => v.remove(0),
            other => other,
        }
    }

    /// Every single problem, flattened.
    pub fn problems(&self) -> Vec<&IntakeError> {
        match self {
            IntakeError::At { .. } => vec![self],
            IntakeError::Several(all) => all.iter().flat_map(IntakeError::problems).collect(),
        }
    }
}
