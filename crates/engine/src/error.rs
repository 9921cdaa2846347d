//! What can go wrong in an evaluation, said so that the plan's author knows what to change.

/// An evaluation that cannot give a meaningful result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    /// A geometric or harmonic mean, a log, or a MEREC weight met a value ≤ 0.
    #[error(
        "{node}：{method}要求数值全部为正，但对象“{unit}”的值为 {value}。请改用加权算术平均，或先用 goalposts/极差法把数值映射到正数区间"
    )]
    NonPositive { node: String, method: &'static str, unit: String, value: f64 },
    /// Every weight at a node is zero, so nothing can be combined.
    #[error("{node}：权重全部为零，无法合成。请至少给一个下级指标正的权重")]
    ZeroWeights { node: String },
    /// A method needs a parameter the plan or iMeta does not give.
    #[error("{node}：{message}")]
    Parameter { node: String, message: String },
    /// Input tables that do not fit together (lengths, names).
    #[error("{0}")]
    Shape(String),
}

impl EngineError {
    pub(crate) fn parameter(node: &str, message: impl Into<String>) -> EngineError {
        EngineError::Parameter { node: node.to_string(), message: message.into() }
    }
}
