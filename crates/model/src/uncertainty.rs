//! What `jili index --uncertainty N` and `--sensitivity N` vary: COINr's `SA_specs`, written as
//! command-line lists. Each varied choice is one input of the analysis; a choice given a single
//! alternative is applied to every sample without being varied.

use crate::method::{Aggregation, Normalise};
use crate::pipeline::{Impute, Treat};
use serde::{Deserialize, Serialize};

/// The most alternatives one choice may list (each imputation × treatment pair is prepared once).
pub const MAX_ALTERNATIVES: usize = 20;

/// The choices an analysis varies. Empty lists leave the build's own choice in place.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Uncertain {
    pub weights: Option<WeightNoise>,
    pub normalise: Vec<NormaliseChoice>,
    pub aggregate: Vec<Aggregation>,
    pub impute: Vec<Impute>,
    pub treat: Vec<Treat>,
}

/// COINr's `get_noisy_weights`: each weight of a node at one of `levels` is multiplied by a factor
/// from U(1 − spread, 1 + spread); `sets` such weight sets are drawn and each sample picks one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightNoise {
    pub spread: f64,
    /// iMeta levels whose weights vary (1 = indicators); empty = every level.
    pub levels: Vec<u32>,
    /// How many weight sets; `None` = one per sample (COINr's `Nrep = N`).
    pub sets: Option<u32>,
}

impl WeightNoise {
    /// `SPREAD` or `SPREAD@LEVEL,LEVEL…`, e.g. `0.25@2,3`.
    pub fn parse(s: &str) -> Result<WeightNoise, String> {
        let (spread, levels) = match s.trim().split_once('@') {
            Some((a, b)) => (a, Some(b)),
            None => (s.trim(), None),
        };
        let spread =
            spread.trim().parse::<f64>().ok().filter(|x| (0.0..1.0).contains(x) && *x > 0.0).ok_or_else(|| {
                format!("权重扰动“{s}”应为 0 到 1 之间的幅度，例如 0.25 或 0.25@2,3（只扰动第 2、3 层）")
            })?;
        let levels = match levels {
            None => Vec::new(),
            Some(list) => {
                list.split(',')
                    .map(|l| {
                        l.trim().parse::<u32>().ok().filter(|l| (1..=20).contains(l)).ok_or_else(|| {
                            format!("权重扰动“{s}”中的层级“{}”应为 iMeta 的 Level（1 = 指标）", l.trim())
                        })
                    })
                    .collect::<Result<_, _>>()?
            }
        };
        Ok(WeightNoise { spread, levels, sets: None })
    }
}

/// A normalisation with COINr's parameters: min-max onto [low, high] (`n_minmax(l_u)`), z-score
/// with mean `low` and standard deviation `high` (`n_zscore(m_sd)`); other methods as they are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NormaliseChoice {
    pub method: Normalise,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl NormaliseChoice {
    /// `minmax`, `minmax:1:100`, `zscore:10:2`, `percentile`, `rank` …
    pub fn parse(s: &str) -> Result<NormaliseChoice, String> {
        let mut parts = s.trim().split(':');
        let code = parts.next().unwrap_or_default();
        let method = Normalise::from_code(code)
            .filter(|m| matches!(m, Normalise::Minmax | Normalise::Zscore | Normalise::Percentile | Normalise::Rank))
            .ok_or_else(|| format!("标准化方法“{code}”不能在分析中变动：可用 minmax、zscore、percentile、rank"))?;
        let numbers: Vec<f64> = parts
            .map(|p| p.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
            .collect::<Option<_>>()
            .ok_or_else(|| format!("“{s}”中的参数应为数字，例如 minmax:1:100 或 zscore:10:2"))?;
        match (method, numbers.as_slice()) {
            (_, []) => Ok(NormaliseChoice { method, low: None, high: None }),
            (Normalise::Minmax, [l, h]) if l < h => Ok(NormaliseChoice { method, low: Some(*l), high: Some(*h) }),
            (Normalise::Zscore, [m, sd]) if *sd > 0.0 => Ok(NormaliseChoice { method, low: Some(*m), high: Some(*sd) }),
            _ => Err(format!(
                "“{s}”的参数不对：minmax:下限:上限（下限小于上限），zscore:均值:标准差（标准差为正），其他方法不带参数"
            )),
        }
    }

    /// As written on the command line.
    pub fn code(&self) -> String {
        match (self.low, self.high) {
            (Some(l), Some(h)) => format!("{}:{l}:{h}", self.method.code()),
            _ => self.method.code().to_string(),
        }
    }
}

/// A comma-separated list, each item parsed by `item`, at most [`MAX_ALTERNATIVES`] long.
pub fn parse_list<T>(flag: &str, s: &str, item: impl Fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    let items: Vec<&str> = s.split(',').map(str::trim).filter(|x| !x.is_empty()).collect();
    if items.is_empty() {
        return Err(format!("{flag} 是空的：请用逗号列出备选，例如 {flag} a,b"));
    }
    if items.len() > MAX_ALTERNATIVES {
        return Err(format!("{flag} 列了 {} 个备选，最多 {MAX_ALTERNATIVES} 个", items.len()));
    }
    items.into_iter().map(|x| item(x).map_err(|m| format!("{flag}：{m}"))).collect()
}

/// Quantiles of the rank asked for, each in (0, 1).
pub fn parse_quantiles(s: &str) -> Result<Vec<f64>, String> {
    parse_list("--quantiles", s, |q| {
        q.parse::<f64>()
            .ok()
            .filter(|q| *q > 0.0 && *q < 1.0)
            .ok_or_else(|| format!("分位数“{q}”应在 0 和 1 之间，例如 0.05"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_with_coinr_parameters_and_refuse_nonsense() {
        let z = NormaliseChoice::parse("zscore:10:2").unwrap();
        assert_eq!((z.method, z.low, z.high), (Normalise::Zscore, Some(10.0), Some(2.0)));
        assert_eq!(NormaliseChoice::parse("minmax:1:100").unwrap().code(), "minmax:1:100");
        assert!(NormaliseChoice::parse("minmax:100:1").is_err());
        assert!(NormaliseChoice::parse("goalposts").unwrap_err().contains("goalposts"));
        let w = WeightNoise::parse("0.25@2,3").unwrap();
        assert_eq!((w.spread, w.levels.as_slice()), (0.25, &[2, 3][..]));
        assert!(WeightNoise::parse("1.5").is_err() && WeightNoise::parse("0.2@x").is_err());
        let many = vec!["none"; 21].join(",");
        assert!(parse_list("--vary-treat", &many, Treat::parse).unwrap_err().contains("最多"));
        assert_eq!(parse_quantiles("0.05, 0.95").unwrap(), [0.05, 0.95]);
        assert!(parse_quantiles("1").is_err());
    }
}
