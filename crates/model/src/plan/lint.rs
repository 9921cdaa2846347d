//! Plan lint: the notice's rules for implementation plans (湘政办发〔2024〕16号) as checks on a
//! plan that already reads. Errors block submission; warnings are shown to the lead department
//! and the reviewing office.
//!
//! - data come from providing departments, never from the evaluated units (无扰评价, no 基层报送);
//! - no process work (开会发文、留痕打卡 …) as a criterion, even under an outcome-looking name;
//! - indicators objectively quantified; a standard selection procedure; vetoes that cite a basis;
//! - 总量、增量、比率 together: a plan of totals only favours large units, of rates only tiny bases;
//! - series 原则上不向社会公布 are marked, so their values are never published.

use super::types::{Basis, Plan};
use crate::catalogue::Catalogue;
use crate::series::Nature;
use serde::Serialize;

/// How much a lint finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// Blocks submission.
    Error,
    /// Shown; the plan may go ahead.
    Warning,
}

/// One finding: the rule, the part of the plan, what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lint {
    pub level: LintLevel,
    pub rule: &'static str,
    /// The indicator, veto or section concerned (`indicators.ind_va_growth`, `selection`).
    pub at: String,
    pub message: String,
}

/// Words that betray process work (会议、发文 …) in a name or description.
pub const PROCESS_WORDS: [&str; 12] = [
    "会议",
    "发文",
    "培训",
    "留痕",
    "打卡",
    "台账",
    "材料报送",
    "检查次数",
    "督查次数",
    "调研次数",
    "宣传报道",
    "签到",
];

fn lint(level: LintLevel, rule: &'static str, at: impl Into<String>, message: impl Into<String>) -> Lint {
    Lint { level, rule, at: at.into(), message: message.into() }
}

/// Lint a plan against the catalogue.
pub fn lint_plan(plan: &Plan, catalogue: &Catalogue) -> Vec<Lint> {
    use LintLevel::{Error, Warning};
    let mut out = Vec::new();
    let mut series_seen = Vec::new();
    let mut reads: Vec<(String, &str)> = Vec::new();
    for i in &plan.indicators {
        reads.push((format!("indicators.{}", i.id), i.series.as_str()));
        if let Basis::Ratio(r) = &i.basis {
            reads.push((format!("indicators.{}", i.id), r.denominator.as_str()));
        }
        let text = format!("{}{}", i.name, i.note.as_deref().unwrap_or(""));
        if let Some(w) = PROCESS_WORDS.iter().find(|w| text.contains(*w)) {
            out.push(lint(
                Error,
                "process-indicator",
                format!("indicators.{}", i.id),
                format!("指标“{}”涉及“{w}”，属于过程性工作：通知明确不得将开会发文、留痕打卡等作为评价依据，请改用结果性指标", i.name),
            ));
        }
    }
    for (k, v) in plan.vetoes.iter().enumerate() {
        reads.push((format!("vetoes[{}]", k + 1), v.series.as_str()));
        if v.basis.trim().is_empty() {
            out.push(lint(
                Error,
                "veto-basis",
                format!("vetoes[{}]", k + 1),
                "一票否决没有注明依据：请写明所依据的法规、文件或方案条款",
            ));
        }
    }
    for (at, code) in reads {
        let Some(s) = catalogue.series(code) else { continue };
        let provider = catalogue.department(&s.owner).is_some_and(|d| d.provider);
        if !provider {
            out.push(lint(
                Error,
                "not-from-provider",
                &at,
                format!(
                    "数据项 {}（{}）不由数据提供部门提供：无扰评价要求数据来自统计部门和主管部门，不得要求基层报送",
                    s.name, s.code
                ),
            ));
        }
        if s.nature == Nature::Process {
            out.push(lint(
                Error,
                "process-series",
                &at,
                format!("数据项 {}（{}）在目录中标为过程性数据，不能作为评价依据", s.name, s.code),
            ));
        } else if let Some(w) = PROCESS_WORDS.iter().find(|w| s.name.contains(*w) || s.description.contains(*w)) {
            out.push(lint(
                Error,
                "process-series",
                &at,
                format!(
                    "数据项 {}（{}）的名称或说明涉及“{w}”，属于过程性工作，即使目录标为结果性也不能作为评价依据",
                    s.name, s.code
                ),
            ));
        }
        if s.unit.trim().is_empty() {
            out.push(lint(
                Error,
                "not-quantified",
                &at,
                format!("数据项 {}（{}）没有计量单位：指标须客观量化", s.name, s.code),
            ));
        }
        if !s.public && !series_seen.contains(&s.code) {
            series_seen.push(s.code.clone());
            out.push(lint(
                Warning,
                "confidential",
                &at,
                format!(
                    "数据项 {}（{}）原则上不向社会公布：公布结果时只公布得分和名次，不公布该项数值",
                    s.name, s.code
                ),
            ));
        }
    }
    let sel = &plan.selection;
    if sel.quota.iter().all(|(_, n)| n.is_none()) && sel.total.is_none() {
        out.push(lint(Error, "selection", "selection", "没有规定入选名额：评选程序须规定每组或总的名额"));
    }
    if sel.tie_break.is_empty() {
        out.push(lint(
            Warning,
            "selection",
            "selection",
            "没有规定得分相同时的排序规则（tie_break）：将按单位代码排序，建议写明",
        ));
    }
    if sel.min_score.is_none() {
        out.push(lint(
            Warning,
            "selection",
            "selection",
            "没有规定最低得分（min_score）：得分很低的单位也可能因名额入选",
        ));
    }
    out.extend(balance(plan));
    out
}

/// 总量、增量、比率: the weight of each kind of basis, and a warning when one kind is all.
fn balance(plan: &Plan) -> Option<Lint> {
    let (mut total, mut increment, mut rate) = (0.0, 0.0, 0.0);
    for i in &plan.indicators {
        let w = i.weight.max(0.0);
        match i.basis {
            Basis::Total | Basis::Average => total += w,
            Basis::Increment | Basis::Improvement | Basis::Cagr | Basis::ScoreImprovement => increment += w,
            Basis::Rate | Basis::Level | Basis::Ratio(_) => rate += w,
        }
    }
    let all = total + increment + rate;
    if all <= 0.0 {
        return None;
    }
    let (message, rule) = if total / all > 0.99 {
        ("只看总量：有利于规模大的地区。通知要求兼顾总量、增量和比率，建议加入增量或比率指标", "basis-balance")
    } else if rate / all > 0.99 {
        (
            "只看比率（增速、占比）：有利于基数小的地区。通知要求兼顾总量、增量和比率，建议加入总量或增量指标",
            "basis-balance",
        )
    } else {
        return None;
    };
    Some(lint(LintLevel::Warning, rule, "indicators", message))
}
