//! Cross-source consistency (跨部门数据比对): a series from one provider against a related series
//! from another. Each provider vouches only for its own figures; when 税务 says a county's
//! industrial taxes exceed what 财政 records as all its taxes, or household incomes grow far
//! faster than the economy, at least one of the two deserves a question. Rules are declared in
//! the rules file (`[[cross]]`), each with its tolerance; a breach is a flag for the office and
//! the auditor only, because it quotes both departments' figures.

use jili_model::{Catalogue, Decimal, ObservationKey, Period};
use serde::Deserialize;
use std::collections::BTreeMap;

/// How the two series must relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// a ≤ b × (1 + tolerance): a part never exceeds its whole.
    AtMost,
    /// min ≤ a / b ≤ max: e.g. fiscal revenue as a share of GDP.
    Ratio,
    /// |growth(a) − growth(b)| ≤ tolerance percentage points, year on year.
    Growth,
}

/// One rule of the rules file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossRule {
    /// What the rule checks, in words the office uses (shown in every flag).
    pub name: String,
    pub a: String,
    pub b: String,
    pub relation: Relation,
    #[serde(default)]
    pub min: Option<Decimal>,
    #[serde(default)]
    pub max: Option<Decimal>,
    /// `at_most`: relative slack (0.02 = 2%); `growth`: percentage points.
    #[serde(default)]
    pub tolerance: Option<Decimal>,
}

/// A breach, at unit and period.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossBreach {
    pub unit: String,
    pub period: Period,
    pub message: String,
}

impl CrossRule {
    /// Whether the rule names known series and has what its relation needs.
    pub fn check(&self, catalogue: &Catalogue) -> Result<(), String> {
        for code in [&self.a, &self.b] {
            if catalogue.series(code).is_none() {
                return Err(format!("{code} 不是目录中的数据项"));
            }
        }
        if self.a == self.b {
            return Err("a 和 b 是同一个数据项".into());
        }
        match self.relation {
            Relation::Ratio if self.min.is_none() && self.max.is_none() => {
                Err("relation = \"ratio\" 需要 min 或 max（a/b 的合理范围）".into())
            }
            Relation::Growth if self.tolerance.is_none() => {
                Err("relation = \"growth\" 需要 tolerance（两者增速之差的上限，百分点）".into())
            }
            _ if self.tolerance.is_some_and(|t| t.is_sign_negative()) => Err("tolerance 不能为负".into()),
            _ => Ok(()),
        }
    }

    /// Every unit and period where both series have values and the relation fails.
    pub fn breaches(&self, values: &BTreeMap<ObservationKey, Decimal>, catalogue: &Catalogue) -> Vec<CrossBreach> {
        let (Some(sa), Some(sb)) = (catalogue.series(&self.a), catalogue.series(&self.b)) else { return Vec::new() };
        let dept = |owner: &str| catalogue.department(owner).map_or(owner.to_string(), |d| d.name.clone());
        let (da, db) = (dept(&sa.owner), dept(&sb.owner));
        let a = self.a.as_str();
        let first = values.range((a.into(), Default::default(), Period::year(i32::MIN))..);
        let mut out = Vec::new();
        for ((_, unit, period), va) in first.take_while(|((k, _, _), _)| k.as_str() == a) {
            let Some(vb) = values.get(&(self.b.as_str().into(), unit.clone(), *period)) else { continue };
            let name = catalogue.unit(unit).map_or(unit.as_str(), |u| u.name.as_str());
            let head = format!("{name}{}：{}（{da}）", period.label(), sa.name);
            let detail = match self.relation {
                Relation::AtMost => {
                    let slack = Decimal::ONE + self.tolerance.unwrap_or(Decimal::ZERO);
                    (*va > *vb * slack)
                        .then(|| format!("{head} {va}{} 超过{}（{db}）{vb}{}", sa.unit, sb.name, sb.unit))
                }
                Relation::Ratio => {
                    if vb.is_zero() {
                        continue;
                    }
                    let r = *va / *vb;
                    let low = self.min.is_some_and(|m| r < m);
                    let high = self.max.is_some_and(|m| r > m);
                    (low || high).then(|| {
                        let range = format!(
                            "{}–{}",
                            self.min.map_or("—".into(), |m| m.normalize().to_string()),
                            self.max.map_or("—".into(), |m| m.normalize().to_string())
                        );
                        format!(
                            "{head} {va}{} 与{}（{db}）{vb}{} 之比为 {}，超出合理范围 {range}",
                            sa.unit,
                            sb.name,
                            sb.unit,
                            r.round_dp(4).normalize()
                        )
                    })
                }
                Relation::Growth => {
                    let before = |s: &str| {
                        values.get(&(s.into(), unit.clone(), Period { year: period.year - 1, ..*period })).copied()
                    };
                    let (Some(pa), Some(pb)) = (before(&self.a), before(&self.b)) else { continue };
                    let (Some(ga), Some(gb)) = (growth(*va, pa), growth(*vb, pb)) else { continue };
                    let gap = (ga - gb).abs();
                    (gap > self.tolerance.unwrap_or(Decimal::ZERO)).then(|| {
                        format!(
                            "{head}同比 {:+}%，而{}（{db}）同比 {:+}%，相差 {} 个百分点",
                            ga.round_dp(1),
                            sb.name,
                            gb.round_dp(1),
                            gap.round_dp(1)
                        )
                    })
                }
            };
            if let Some(detail) = detail {
                out.push(CrossBreach {
                    unit: unit.to_string(),
                    period: *period,
                    message: format!("跨部门比对“{}”：{detail}", self.name),
                });
            }
        }
        out
    }
}

/// Growth in per cent of two positive values; `None` across zero or negatives.
fn growth(now: Decimal, before: Decimal) -> Option<Decimal> {
    (before.is_sign_positive() && !before.is_zero() && now.is_sign_positive())
        .then(|| (now / before - Decimal::ONE) * Decimal::ONE_HUNDRED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_is_none_across_zero() {
        assert_eq!(growth(Decimal::from(110), Decimal::from(100)), Some(Decimal::from(10)));
        assert_eq!(growth(Decimal::from(5), Decimal::ZERO), None);
        assert_eq!(growth(Decimal::from(-5), Decimal::from(10)), None);
    }
}
