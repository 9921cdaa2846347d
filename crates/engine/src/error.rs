//! What can go wrong in an evaluation, said so that the plan's author knows what to change.

/// An evaluation that cannot give a meaningful result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    /// A geometric or harmonic mean, a log, entropy or MEREC weights, or a weighted product met a
    /// value the method cannot take.
    #[error("{node}：{method}要求数值全部为正，但对象“{unit}”的值为 {value}。{}", hint(method))]
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

/// What to do about a value a method cannot take, by method.
fn hint(method: &str) -> &'static str {
    match method {
        "加权几何平均" | "加权调和平均" => {
            "请改用加权算术平均，或先用 goalposts/极差法把数值映射到正数区间"
        }
        "取对数" => "请去掉该指标的取对数（Log），或确认数据均为正数",
        "熵权法" => "熵权法要求数值非负：请改用 critic、sd 或 equal 赋权",
        "MEREC 法" => "MEREC 要求数值全为正：请改用 entropy、critic、sd 或 equal 赋权",
        "加权乘积法" => "请改用 topsis 或 wsm，或用 --normalise sum",
        _ => "请检查该数据，或改用不要求正数的标准化方法（如极差法）",
    }
}
