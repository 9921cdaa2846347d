//! Structural checks that turn a [`PlanDraft`] into a [`Plan`]. The notice's policy rules
//! (no process indicators, 总量/增量/比率 balance …) come on top of these in plan lint.

mod scoring;

use super::draft::{IndicatorDraft, PlanDraft};
use super::types::{Basis, Indicator, Member, Normalise, Plan, Reward, Selection, Threshold, Veto};
use crate::catalogue::Catalogue;
use crate::error::ModelError;
use crate::location::Location;
use crate::programme::Programme;
use crate::unit::Level;
use scoring::amount;
use std::collections::BTreeSet;
use toml::Spanned;

/// Weights must sum to 1 within this.
pub const WEIGHT_TOLERANCE: f64 = 1e-3;

/// Collects every problem in a plan so the lead department sees them all at once.
pub(super) struct Checker<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub problems: Vec<ModelError>,
}

impl Checker<'_> {
    pub fn at<T>(&self, item: &Spanned<T>, field: &str) -> Location {
        Location::file(self.file).at_offset(self.text, item.span().start).field(field)
    }

    pub fn fail(&mut self, at: Location, message: String) {
        self.problems.push(ModelError::invalid(at, message));
    }

    /// A series must exist and belong to a providing department (never a locality: 无扰评价).
    fn series(&mut self, catalogue: &Catalogue, code: &Spanned<String>, field: &str) {
        let at = self.at(code, field);
        match catalogue.series(code.get_ref()) {
            None => {
                let similar = catalogue.similar_series(code.get_ref());
                let hint = if similar.is_empty() {
                    "请先在数据项目录 data/series/ 中登记该数据项".to_string()
                } else {
                    format!("是否指 {}？", similar.join("、"))
                };
                self.fail(at, format!("数据项“{}”不在数据项目录中：{hint}", code.get_ref()));
            }
            Some(s) => match catalogue.department(&s.owner) {
                Some(d) if d.provider => {}
                _ => self.fail(
                    at,
                    format!(
                        "数据项“{}”的所属单位“{}”不是数据提供部门：指标数据只能来自统计或主管部门",
                        s.code, s.owner
                    ),
                ),
            },
        }
    }
}

impl PlanDraft {
    /// Check the draft against its programme and the catalogue. All problems are returned.
    pub fn check(
        self,
        file: &str,
        text: &str,
        programme: &Programme,
        catalogue: &Catalogue,
    ) -> Result<Plan, ModelError> {
        let mut c = Checker { file, text, problems: Vec::new() };
        let header = self.plan.get_ref();
        let head_at = |field: &str| Location::file(file).at_offset(text, self.plan.span().start).field(field);

        if header.year != programme.year {
            c.fail(head_at("plan.year"), format!("方案年度 {} 与激励方案年度 {} 不一致", header.year, programme.year));
        }
        if header.base >= header.period {
            c.fail(head_at("plan.base"), format!("比较基期 {} 应早于评价期 {}", header.base, header.period));
        }
        match programme.measure(header.measure) {
            None => c.fail(
                head_at("plan.measure"),
                format!("{}年激励方案中没有第 {} 条措施", programme.year, header.measure),
            ),
            Some(m) => {
                if m.lead != header.lead {
                    c.fail(
                        head_at("plan.lead"),
                        format!("第 {} 条的牵头单位是“{}”，方案写的是“{}”", m.no, m.lead, header.lead),
                    );
                }
                for level in &header.units {
                    let allowed =
                        m.levels.contains(level) || (*level == Level::Zone && m.levels.contains(&Level::County));
                    if !allowed {
                        let names: Vec<&str> = m.levels.iter().map(|l| l.as_str()).collect();
                        c.fail(
                            head_at("plan.units"),
                            format!("第 {} 条只激励 {}，方案范围不能包含 {level}", m.no, names.join("、")),
                        );
                    }
                }
            }
        }
        if header.units.is_empty() {
            c.fail(head_at("plan.units"), "评价范围 units 不能为空".into());
        }
        for code in &header.exclude {
            if catalogue.unit(code).is_none() {
                c.fail(head_at("plan.exclude"), format!("排除的单位代码“{code}”不存在"));
            }
        }

        let mut group_ids = BTreeSet::new();
        for g in &self.groups {
            let at = c.at(g, "groups.id");
            if let Some(size) = &g.get_ref().size {
                c.series(catalogue, &Spanned::new(g.span(), size.series.clone()), "groups.size.series");
                if size.at_least.is_none() && size.below.is_none() {
                    c.fail(at.clone(), format!("分组“{}”的规模条件应写 at_least 或 below", g.get_ref().id));
                }
            }
            if !group_ids.insert(g.get_ref().id.clone()) {
                c.fail(at.clone(), format!("分组“{}”重复", g.get_ref().id));
            }
            if let Some(level) = g.get_ref().levels.iter().find(|l| !header.units.contains(l)) {
                c.fail(at.clone(), format!("分组“{}”包含评价范围之外的层级 {level}", g.get_ref().id));
            }
            let group = g.get_ref();
            for kind in &group.kinds {
                if !catalogue.units().any(|u| group.levels.contains(&u.level) && u.kind == *kind) {
                    let at = c.at(g, "groups.kinds");
                    c.fail(
                        at,
                        format!("分组“{}”的单位类型“{kind}”在其层级中没有任何单位：类型照写单位表的“类型”列，如 市辖区、县、县级市、国家级经开区", group.id),
                    );
                }
            }
            for code in &group.units {
                match catalogue.unit(code) {
                    Some(u) if group.levels.contains(&u.level) => {}
                    Some(u) => {
                        let at = c.at(g, "groups.units");
                        c.fail(
                            at,
                            format!(
                                "分组“{}”列出的 {code} {} 是{}，不在该分组的层级中",
                                group.id,
                                u.name,
                                u.level.as_str()
                            ),
                        );
                    }
                    None => {
                        let at = c.at(g, "groups.units");
                        c.fail(at, format!("分组“{}”列出的单位代码“{code}”不存在", group.id));
                    }
                }
            }
        }
        // Every unit in scope falls into exactly one group.
        for unit in catalogue.units().filter(|u| header.units.contains(&u.level) && u.valid_in(header.period)) {
            // Size classes split a level by data, so several sized groups may admit one unit.
            let member = Member { code: &unit.code, level: unit.level, plate: unit.plate, kind: &unit.kind };
            let admitting: Vec<_> = self.groups.iter().filter(|g| g.get_ref().admits(member)).collect();
            let n = admitting.len();
            let sized = n > 1 && admitting.iter().all(|g| g.get_ref().size.is_some());
            if n != 1 && !sized && !header.exclude.contains(&unit.code) {
                let what = if n == 0 { "不属于任何分组" } else { "同时属于多个分组" };
                c.fail(
                    head_at("groups"),
                    format!("单位 {} {}{what}：每个评价对象应恰好属于一个分组", unit.code, unit.name),
                );
                break;
            }
        }

        let pillar_ids = c.pillars(&self.pillars, &head_at("pillars.weight"));
        let mut ids = BTreeSet::new();
        let mut total = 0.0;
        let mut by_pillar: std::collections::BTreeMap<String, f64> = std::collections::BTreeMap::new();
        for ind in &self.indicators {
            let i: &IndicatorDraft = ind.get_ref();
            let at = c.at(ind, "indicators.id");
            if !ids.insert(i.id.clone()) {
                c.fail(at.clone(), format!("指标编号“{}”重复", i.id));
            }
            c.series(catalogue, &i.series, "indicators.series");
            if let Basis::Ratio(r) = &i.basis {
                let denominator = Spanned::new(ind.span(), r.denominator.clone());
                c.series(catalogue, &denominator, "indicators.basis.ratio.denominator");
            }
            if !(i.weight > 0.0 && i.weight.is_finite()) {
                c.fail(c.at(ind, "indicators.weight"), format!("指标“{}”的权重 {} 应为正数", i.name, i.weight));
            }
            total += i.weight;
            match (&i.pillar, self.pillars.is_empty()) {
                (Some(p), false) if pillar_ids.contains(p) => *by_pillar.entry(p.clone()).or_default() += i.weight,
                (Some(p), false) => c.fail(
                    c.at(ind, "indicators.pillar"),
                    format!("指标“{}”所属的一级指标“{p}”未在 pillars 中定义", i.name),
                ),
                (None, false) => c.fail(
                    c.at(ind, "indicators.pillar"),
                    format!("方案设有一级指标（pillars），指标“{}”须写明 pillar", i.name),
                ),
                (Some(_), true) => c.fail(
                    c.at(ind, "indicators.pillar"),
                    format!("指标“{}”写了 pillar，但方案没有 [[pillars]]", i.name),
                ),
                (None, true) => {}
            }
            let needs_bounds = matches!(i.normalise, Normalise::Goalposts);
            match i.bounds {
                None if needs_bounds => c.fail(
                    c.at(ind, "indicators.bounds"),
                    format!("指标“{}”用固定上下限标准化，须写 bounds = [下限, 上限]", i.name),
                ),
                Some([low, high]) if !(low.is_finite() && high.is_finite() && low < high) => c.fail(
                    c.at(ind, "indicators.bounds"),
                    format!("指标“{}”的 bounds = [{low}, {high}]：下限应小于上限", i.name),
                ),
                _ => {}
            }
            if i.normalise == Normalise::Target && i.target.is_none() {
                c.fail(
                    c.at(ind, "indicators.target"),
                    format!("指标“{}”用“与目标值的距离”标准化，须写 target = 目标值", i.name),
                );
            }
            if let super::types::AppliesTo::Units(codes) = &i.applies_to {
                for code in codes.iter().filter(|code| catalogue.unit(code).is_none()) {
                    c.fail(c.at(ind, "indicators.applies_to"), format!("指标“{}”适用的单位代码“{code}”不存在", i.name));
                }
            }
        }
        // The count limits are the programme's (`rules.indicators`), not jili's.
        if let Some(problem) = programme.rules.indicators.problem(self.indicators.len()) {
            c.fail(head_at("indicators"), problem);
        }
        if self.pillars.is_empty() && (total - 1.0).abs() > WEIGHT_TOLERANCE {
            c.fail(head_at("indicators.weight"), format!("指标权重之和为 {total:.4}，应为 1"));
        }
        for pl in &self.pillars {
            let p = pl.get_ref();
            match by_pillar.get(&p.id) {
                None => c.fail(c.at(pl, "pillars"), format!("一级指标“{}”下没有指标", p.name)),
                Some(sum) if (sum - 1.0).abs() > WEIGHT_TOLERANCE => {
                    c.fail(c.at(pl, "pillars"), format!("一级指标“{}”下各指标权重之和为 {sum:.4}，应为 1", p.name))
                }
                Some(_) => {}
            }
        }

        if let Some(m) = &self.method {
            c.method(m);
        }

        let mut vetoes = Vec::new();
        for v in &self.vetoes {
            let when = v.get_ref().when.get_ref();
            c.series(catalogue, &when.series, "vetoes.when.series");
            let threshold = match (when.above, when.below) {
                (Some(a), None) => Threshold::Above(a),
                (None, Some(b)) => Threshold::Below(b),
                _ => {
                    c.fail(c.at(&v.get_ref().when, "vetoes.when"), "否决条件应写 above 或 below 中的一个".into());
                    continue;
                }
            };
            if v.get_ref().basis.trim().is_empty() {
                c.fail(c.at(v, "vetoes.basis"), "一票否决必须写明依据（basis）".into());
            }
            vetoes.push(Veto {
                series: when.series.get_ref().clone(),
                threshold,
                reason: v.get_ref().reason.clone(),
                basis: v.get_ref().basis.clone(),
            });
        }

        // The programme's vetoes apply to every measure, after the plan's own; the reason says
        // where each comes from, so the explanation shows it.
        vetoes.extend(programme.rules.vetoes.iter().map(|v| Veto {
            reason: format!("{}（全省统一否决，{}年激励方案）", v.reason, programme.year),
            ..v.clone()
        }));

        let sel = self.selection.get_ref();
        for g in sel.quota.keys().filter(|g| !group_ids.contains(*g)) {
            c.fail(c.at(&self.selection, "selection.quota"), format!("名额中的分组“{g}”未在 groups 中定义"));
        }
        if sel.total.is_none() {
            for g in group_ids.iter().filter(|g| !sel.quota.contains_key(*g)) {
                c.fail(
                    c.at(&self.selection, "selection.quota"),
                    format!("分组“{g}”没有设定名额：请在 quota 中写明，或设定总名额 total"),
                );
            }
        }
        for t in sel.tie_break.iter().filter(|t| !ids.contains(*t)) {
            c.fail(c.at(&self.selection, "selection.tie_break"), format!("同分排序用的指标“{t}”不存在"));
        }
        let mut rewards = Vec::new();
        for r in &self.rewards {
            match amount(r.get_ref()) {
                Ok(a) => rewards.push(Reward {
                    group: r.get_ref().group.clone(),
                    amount: a,
                    channel: r.get_ref().channel.clone(),
                    items: r.get_ref().items.clone(),
                }),
                Err(message) => c.fail(c.at(r, "rewards.amount_wan"), message),
            }
            if !group_ids.contains(&r.get_ref().group) {
                c.fail(c.at(r, "rewards.group"), format!("奖励对应的分组“{}”未在 groups 中定义", r.get_ref().group));
            }
            if let Some(m) = programme.measure(header.measure)
                && r.get_ref().channel != m.channel
            {
                c.fail(
                    c.at(r, "rewards.channel"),
                    format!("奖励渠道“{}”与第 {} 条规定的“{}”不一致", r.get_ref().channel, m.no, m.channel),
                );
            }
        }

        if !c.problems.is_empty() {
            return Err(ModelError::several(c.problems));
        }
        let quota =
            self.groups.iter().map(|g| (g.get_ref().id.clone(), sel.quota.get(&g.get_ref().id).copied())).collect();
        let selection =
            Selection { quota, total: sel.total, min_score: sel.min_score, tie_break: sel.tie_break.clone() };
        Ok(Plan {
            header: self.plan.into_inner(),
            groups: self.groups.into_iter().map(Spanned::into_inner).collect(),
            pillars: self.pillars.into_iter().map(Spanned::into_inner).collect(),
            indicators: self.indicators.into_iter().map(|i| indicator(i.into_inner())).collect(),
            vetoes,
            selection,
            rewards,
            method: self.method.map(Spanned::into_inner).unwrap_or_default(),
        })
    }
}

fn indicator(i: IndicatorDraft) -> Indicator {
    Indicator {
        id: i.id,
        name: i.name,
        series: i.series.into_inner(),
        basis: i.basis,
        polarity: i.polarity,
        category: i.category,
        applies_to: i.applies_to,
        pillar: i.pillar,
        weight: i.weight,
        normalise: i.normalise,
        bounds: i.bounds,
        target: i.target,
        outlier: i.outlier,
        note: i.note,
    }
}

impl Plan {
    /// Parse and check a plan file in one step.
    pub fn from_toml(file: &str, text: &str, programme: &Programme, catalogue: &Catalogue) -> Result<Plan, ModelError> {
        PlanDraft::parse(file, text)?.check(file, text, programme, catalogue)
    }

    /// Every series the plan reads: indicators, ratio denominators and vetoes, sorted, once each.
    pub fn series_read(&self) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        for i in &self.indicators {
            out.insert(i.series.as_str());
            if let Basis::Ratio(r) = &i.basis {
                out.insert(r.denominator.as_str());
            }
        }
        out.extend(self.vetoes.iter().map(|v| v.series.as_str()));
        out.extend(self.groups.iter().filter_map(|g| g.size.as_ref()).map(|s| s.series.as_str()));
        out
    }

    /// Whether the plan needs `series` for `unit`: a veto or a group's size reads it for every
    /// unit; an indicator only for the units it applies to (洞庭湖's lake phosphorus is no
    /// 湘南 county's data).
    pub fn reads_for(&self, series: &str, unit: &crate::Unit) -> bool {
        let everyone = self.vetoes.iter().any(|v| v.series == series)
            || self.groups.iter().filter_map(|g| g.size.as_ref()).any(|s| s.series == series);
        everyone
            || self.indicators.iter().any(|i| {
                let reads = i.series == series || matches!(&i.basis, Basis::Ratio(r) if r.denominator == series);
                reads
                    && match &i.applies_to {
                        super::types::AppliesTo::All => true,
                        super::types::AppliesTo::Plates(p) => unit.plate.is_some_and(|x| p.contains(&x)),
                        super::types::AppliesTo::Units(codes) => codes.contains(&unit.code),
                    }
            })
    }
}
