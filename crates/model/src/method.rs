//! The methodological choices shared by implementation plans and analyst composites: how a
//! column of values is put on a common scale, how weights are found, how scores are combined.
//! The engine implements them; docs/method.md explains each in plain Chinese.

use serde::{Deserialize, Serialize};

/// Which direction of an indicator is better.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Higher,
    Lower,
}

/// How a column of values is put on a common scale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalise {
    /// (x − min)/(max − min) onto [low, high], default [0, 100].
    #[default]
    Minmax,
    /// (x − mean)/sd.
    Zscore,
    /// Rank, 1 = worst, ties averaged.
    Rank,
    /// Percentile rank onto [0, scale].
    Percentile,
    /// Fixed bounds (goalposts), values beyond are capped, onto [0, scale].
    Goalposts,
    /// Distance to a target: (x − min)/(target − min).
    Target,
    /// 功效系数法: 60 + 40·(x − 不允许值)/(满意值 − 不允许值), capped to [60, 100].
    Efficacy,
    /// x / max × scale.
    FractionOfMax,
    /// x / Σx.
    Proportion,
    /// x / ‖x‖.
    Vector,
    /// The value as it is.
    None,
}

impl Normalise {
    /// Every method, in a stable order.
    pub const ALL: [Normalise; 11] = [
        Normalise::Minmax,
        Normalise::Zscore,
        Normalise::Rank,
        Normalise::Percentile,
        Normalise::Goalposts,
        Normalise::Target,
        Normalise::Efficacy,
        Normalise::FractionOfMax,
        Normalise::Proportion,
        Normalise::Vector,
        Normalise::None,
    ];

    /// The code used in files and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Normalise::Minmax => "minmax",
            Normalise::Zscore => "zscore",
            Normalise::Rank => "rank",
            Normalise::Percentile => "percentile",
            Normalise::Goalposts => "goalposts",
            Normalise::Target => "target",
            Normalise::Efficacy => "efficacy",
            Normalise::FractionOfMax => "fraction_of_max",
            Normalise::Proportion => "proportion",
            Normalise::Vector => "vector",
            Normalise::None => "none",
        }
    }

    /// Read a code as written in iMeta or on the command line.
    pub fn from_code(code: &str) -> Option<Normalise> {
        Normalise::ALL.into_iter().find(|n| n.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The Chinese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Normalise::Minmax => "极差标准化（0–100）",
            Normalise::Zscore => "Z 分数标准化",
            Normalise::Rank => "排序位次",
            Normalise::Percentile => "百分位排名",
            Normalise::Goalposts => "固定上下限（门槛值）标准化",
            Normalise::Target => "与目标值的距离",
            Normalise::Efficacy => "功效系数法（60–100）",
            Normalise::FractionOfMax => "与最大值之比",
            Normalise::Proportion => "占合计比重",
            Normalise::Vector => "向量标准化",
            Normalise::None => "不标准化",
        }
    }
}

/// How weights are found at one node of the tree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightMethod {
    /// As written in the plan or iMeta.
    #[default]
    Fixed,
    Equal,
    /// Entropy weights: on the raw matrix in `jili mcda`; at a node of a composite or plan, on
    /// the children's scores (each column over the units that have it).
    Entropy,
    Critic,
    /// Standard deviation of the min-max normalised values.
    Sd,
    Merec,
    /// Loadings of the first principal component of the children's correlation matrix (COINr's
    /// `get_PCA(weights_to = …)`), over the units that have every child.
    Pca,
}

impl WeightMethod {
    pub const ALL: [WeightMethod; 7] = [
        WeightMethod::Fixed,
        WeightMethod::Equal,
        WeightMethod::Entropy,
        WeightMethod::Critic,
        WeightMethod::Sd,
        WeightMethod::Merec,
        WeightMethod::Pca,
    ];

    /// The code used in files and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            WeightMethod::Fixed => "fixed",
            WeightMethod::Equal => "equal",
            WeightMethod::Entropy => "entropy",
            WeightMethod::Critic => "critic",
            WeightMethod::Sd => "sd",
            WeightMethod::Merec => "merec",
            WeightMethod::Pca => "pca",
        }
    }

    pub fn from_code(code: &str) -> Option<WeightMethod> {
        WeightMethod::ALL.into_iter().find(|w| w.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The Chinese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            WeightMethod::Fixed => "方案规定权重",
            WeightMethod::Equal => "等权",
            WeightMethod::Entropy => "熵权法",
            WeightMethod::Critic => "CRITIC 法",
            WeightMethod::Sd => "标准差法",
            WeightMethod::Merec => "MEREC 法",
            WeightMethod::Pca => "主成分法",
        }
    }
}

/// How the children's scores are combined at one node.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Weighted arithmetic mean; missing children are skipped and the weights renormalised.
    #[default]
    Amean,
    /// Weighted geometric mean; every value must be positive.
    Gmean,
    /// Weighted harmonic mean; every value must be positive.
    Hmean,
    /// Median of the children.
    Median,
    /// TOPSIS closeness × scale.
    Topsis,
    /// VIKOR, as (1 − Q) × scale so that higher is better.
    Vikor,
    /// Copeland: pairwise wins minus losses.
    Copeland,
}

impl Aggregation {
    pub const ALL: [Aggregation; 7] = [
        Aggregation::Amean,
        Aggregation::Gmean,
        Aggregation::Hmean,
        Aggregation::Median,
        Aggregation::Topsis,
        Aggregation::Vikor,
        Aggregation::Copeland,
    ];

    /// The code used in files and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Aggregation::Amean => "amean",
            Aggregation::Gmean => "gmean",
            Aggregation::Hmean => "hmean",
            Aggregation::Median => "median",
            Aggregation::Topsis => "topsis",
            Aggregation::Vikor => "vikor",
            Aggregation::Copeland => "copeland",
        }
    }

    pub fn from_code(code: &str) -> Option<Aggregation> {
        Aggregation::ALL.into_iter().find(|a| a.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The Chinese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Aggregation::Amean => "加权算术平均",
            Aggregation::Gmean => "加权几何平均",
            Aggregation::Hmean => "加权调和平均",
            Aggregation::Median => "中位数",
            Aggregation::Topsis => "TOPSIS 贴近度",
            Aggregation::Vikor => "VIKOR 折衷排序",
            Aggregation::Copeland => "Copeland 两两比较",
        }
    }
}

/// Optional treatment of extreme values before normalising.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outlier {
    /// COINr's rule: while |skewness| > 2 and kurtosis > 3.5, set the most extreme value on the
    /// skewed side to the next one inside, at most 5 values.
    Winsorise,
    /// Natural log of the value (all values must be positive).
    Log,
}
