//! Errors from reading and checking the programme and plans.

use crate::location::Location;
use thiserror::Error;

/// Something in a user's file is wrong. The message says what, where, and what to do.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ModelError {
    /// The TOML cannot be read at all (syntax, a wrong type, an unknown field).
    #[error("{at}：格式错误：{message}。请对照 docs/ 中的格式说明修改后重试")]
    Syntax { at: Location, message: String },
    /// The file reads but a value breaks a rule.
    #[error("{at}：{message}")]
    Invalid { at: Location, message: String },
    /// Several problems in one file, all reported at once.
    #[error("{}", join(.0))]
    Several(Vec<ModelError>),
}

fn join(problems: &[ModelError]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    format!("共 {} 处问题：\n{}", problems.len(), lines.join("\n"))
}

impl ModelError {
    /// A rule broken at `at`.
    pub fn invalid(at: Location, message: impl Into<String>) -> Self {
        ModelError::Invalid { at, message: message.into() }
    }

    /// One problem as itself, several as [`ModelError::Several`].
    pub fn several(mut problems: Vec<ModelError>) -> Self {
        if problems.len() == 1 { problems.remove(0) } else { ModelError::Several(problems) }
    }

    /// Where the (first) problem is.
    pub fn location(&self) -> Option<&Location> {
        match self {
            ModelError::Syntax { at, .. } | ModelError::Invalid { at, .. } => Some(at),
            ModelError::Several(all) => all.first().and_then(ModelError::location),
        }
    }
}

/// Turn a TOML error into one that names the file, line and column.
pub(crate) fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> ModelError {
    let at = match e.span() {
        Some(span) => Location::file(file).at_offset(text, span.start),
        None => Location::file(file),
    };
    ModelError::Syntax { at, message: e.message().trim().to_string() }
}
