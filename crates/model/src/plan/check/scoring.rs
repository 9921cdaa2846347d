//! Checks of how a plan scores: its pillars (一级指标), its `[method]` and its rewards' amounts.

use super::{Checker, WEIGHT_TOLERANCE};
use crate::location::Location;
use crate::plan::draft::RewardDraft;
use crate::plan::types::{Amount, Method, Pillar, WeightMethod};
use std::collections::BTreeSet;
use toml::Spanned;

impl Checker<'_> {
    /// Pillars: ids unique, weights positive and summing to 1, no MEREC. Returns their ids.
    pub fn pillars(&mut self, pillars: &[Spanned<Pillar>], head: &Location) -> BTreeSet<String> {
        let mut pillar_ids = BTreeSet::new();
        let mut pillar_total = 0.0;
        for pl in pillars {
            let at = self.at(pl, "pillars.id");
            let p = pl.get_ref();
            if !pillar_ids.insert(p.id.clone()) {
                self.fail(at.clone(), format!("支柱（一级指标）“{}”重复", p.id));
            }
            if !(p.weight > 0.0 && p.weight.is_finite()) {
                self.fail(at.clone(), format!("一级指标“{}”的权重 {} 应为正数", p.name, p.weight));
            }
            if matches!(p.weights, WeightMethod::Merec | WeightMethod::Pca) {
                self.fail(
                    at,
                    format!(
                        "一级指标“{}”不能用{}赋权：请用 fixed、equal、entropy、critic 或 sd",
                        p.name,
                        p.weights.label()
                    ),
                );
            }
            pillar_total += p.weight;
        }
        if !pillars.is_empty() && (pillar_total - 1.0).abs() > WEIGHT_TOLERANCE {
            self.fail(head.clone(), format!("一级指标权重之和为 {pillar_total:.4}，应为 1"));
        }
        pillar_ids
    }

    /// `[method]`: a weight method usable on scores, sensible scale, floor, spread and samples.
    pub fn method(&mut self, m: &Spanned<Method>) {
        let at = self.at(m, "method");
        let method = m.get_ref();
        if method.weights == WeightMethod::Merec {
            self.fail(
                at.clone(),
                "方案中不能用 MEREC 赋权（它要求原始数据全为正）：请用 fixed、equal、entropy、critic 或 sd".into(),
            );
        }
        if method.weights == WeightMethod::Pca {
            self.fail(
                at.clone(),
                "方案中不能用主成分赋权（载荷可能为负，且要求各指标都有值）：请用 fixed、equal、entropy、critic 或 sd"
                    .into(),
            );
        }
        if !(method.scale.is_finite() && method.scale > 0.0) {
            self.fail(at.clone(), format!("method.scale = {} 应为正数（常用 100）", method.scale));
        }
        if !(method.floor.is_finite() && method.floor < method.scale) {
            self.fail(at.clone(), format!("method.floor = {} 应小于 method.scale = {}", method.floor, method.scale));
        }
        if !(0.0..1.0).contains(&method.weight_spread) {
            self.fail(
                at.clone(),
                format!(
                    "method.weight_spread = {} 应在 0 到 1 之间（0.25 表示权重上下浮动 25%）",
                    method.weight_spread
                ),
            );
        }
        if method.samples > 100_000 {
            self.fail(at, format!("method.samples = {} 过大：稳健性分析最多 100000 个样本", method.samples));
        }
    }
}

/// Exactly one way of paying, or items only.
pub(super) fn amount(r: &RewardDraft) -> Result<Amount, String> {
    match (r.amount_wan, &r.tiers_wan, r.pool_wan) {
        (Some(a), None, None) => Ok(Amount::Each(a)),
        (None, Some(t), None) if !t.is_empty() => Ok(Amount::Tiers(t.clone())),
        (None, None, Some(p)) => Ok(Amount::Pool(p)),
        (None, None, None) if !r.items.is_empty() => Ok(Amount::None),
        (None, None, None) => {
            Err(format!("分组“{}”的奖励既无金额也无项目：请写 amount_wan、tiers_wan、pool_wan 之一，或 items", r.group))
        }
        _ => Err(format!(
            "分组“{}”的奖励只能写 amount_wan（每个）、tiers_wan（按名次）、pool_wan（总额按得分分配）中的一个",
            r.group
        )),
    }
}
