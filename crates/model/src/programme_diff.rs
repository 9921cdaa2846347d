//! How one year's programme differs from the year before: measures continued, merged, split,
//! added and removed; lead departments and reward channels changed. A programme known only in
//! part says so, and its reported counts are used.

use crate::programme::{Measure, Programme};
use serde::Serialize;

/// The difference between two programmes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeDiff {
    pub from: i32,
    pub to: i32,
    /// Measures and lead departments in each (as reported where a file is incomplete).
    pub measures: (u32, u32),
    pub leads: (u32, u32),
    /// Whether each programme file lists every measure.
    pub complete: (bool, bool),
    pub changes: Vec<MeasureChange>,
}

/// One line of the difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureChange {
    /// 延续 / 合并 / 拆分 / 新增 / 取消 / 未能对应
    pub kind: &'static str,
    pub from: Vec<u32>,
    pub to: Vec<u32>,
    pub text: String,
}

fn count(p: &Programme) -> (u32, u32, bool) {
    match p.declared {
        Some(d) => (d.measures, d.leads, false),
        None => (p.measures.len() as u32, p.leads.len() as u32, true),
    }
}

fn leads(m: &Measure) -> String {
    std::iter::once(m.lead.as_str()).chain(m.co_leads.iter().map(String::as_str)).collect::<Vec<_>>().join("、")
}

/// What changed from `a` (the earlier year) to `b`, read from `a`'s `continued_as`.
pub fn diff_programmes(a: &Programme, b: &Programme) -> ProgrammeDiff {
    let (ma, la, ca) = count(a);
    let (mb, lb, cb) = count(b);
    let mut changes = Vec::new();
    for m in &a.measures {
        let targets: Vec<&Measure> = m.continued_as.iter().filter_map(|n| b.measure(*n)).collect();
        let merged_with: Vec<u32> = a
            .measures
            .iter()
            .filter(|o| o.no != m.no && o.continued_as.iter().any(|n| m.continued_as.contains(n)))
            .map(|o| o.no)
            .collect();
        let (kind, text) = match targets.as_slice() {
            [] => ("取消", format!("{}（{}）", m.short, leads(m))),
            [t] if merged_with.is_empty() => ("延续", format!("{} → {}", m.short, t.short)),
            [t] => {
                let others: Vec<String> = merged_with.iter().map(|n| format!("第 {n} 条")).collect();
                ("合并", format!("{} 与{}并入 {}", m.short, others.join("、"), t.short))
            }
            many => {
                let names: Vec<&str> = many.iter().map(|t| t.short.as_str()).collect();
                ("拆分", format!("{} → {}", m.short, names.join("、")))
            }
        };
        changes.push(MeasureChange { kind, from: vec![m.no], to: m.continued_as.clone(), text });
        for t in &targets {
            if leads(m) != leads(t) {
                changes.push(MeasureChange {
                    kind: "牵头单位调整",
                    from: vec![m.no],
                    to: vec![t.no],
                    text: format!("{} → {}", leads(m), leads(t)),
                });
            }
            if m.channel != t.channel {
                changes.push(MeasureChange {
                    kind: "奖励渠道调整",
                    from: vec![m.no],
                    to: vec![t.no],
                    text: format!("{} → {}", m.channel, t.channel),
                });
            }
        }
    }
    for t in &b.measures {
        if !a.measures.iter().any(|m| m.continued_as.contains(&t.no)) {
            // Against an incomplete list, an unmatched measure may have existed the year before.
            let kind = if ca { "新增" } else { "未能对应" };
            changes.push(MeasureChange {
                kind,
                from: vec![],
                to: vec![t.no],
                text: format!("{}（{}）", t.short, leads(t)),
            });
        }
    }
    changes.extend(rule_changes(a, b));
    ProgrammeDiff { from: a.year, to: b.year, measures: (ma, mb), leads: (la, lb), complete: (ca, cb), changes }
}

/// The programme-wide rules (`[rules]`, `[publication]`) that changed, one line each.
fn rule_changes(a: &Programme, b: &Programme) -> Vec<MeasureChange> {
    let (ra, rb) = (&a.rules, &b.rules);
    let mut out = Vec::new();
    let mut line = |kind: &'static str, text: String| {
        out.push(MeasureChange { kind, from: vec![], to: vec![], text });
    };
    let kinds = |r: &crate::Rules| -> Vec<String> {
        r.kinds.iter().map(|k| format!("{}（{}：{}）", k.name, k.level, k.unit_kinds.join("、"))).collect()
    };
    let vetoes = |r: &crate::Rules| -> Vec<String> {
        r.vetoes.iter().map(|v| format!("{}（{}）", v.reason, v.series)).collect()
    };
    for (kind, old, new) in [
        ("奖励渠道（方案规则）", ra.channels.clone(), rb.channels.clone()),
        ("单位类别", kinds(ra), kinds(rb)),
        ("园区类别", ra.park_classes.clone(), rb.park_classes.clone()),
        ("通报表扬依据", ra.commendation_sources.clone(), rb.commendation_sources.clone()),
        ("全省统一否决", vetoes(ra), vetoes(rb)),
    ] {
        let added: Vec<&str> = new.iter().filter(|x| !old.contains(x)).map(String::as_str).collect();
        let removed: Vec<&str> = old.iter().filter(|x| !new.contains(x)).map(String::as_str).collect();
        if !added.is_empty() || !removed.is_empty() {
            let mut text = Vec::new();
            if !added.is_empty() {
                text.push(format!("新增 {}", added.join("、")));
            }
            if !removed.is_empty() {
                text.push(format!("取消 {}", removed.join("、")));
            }
            line(kind, text.join("；"));
        }
    }
    if ra.indicators != rb.indicators {
        let show = |l: crate::IndicatorLimits| match (l.min, l.max) {
            (None, None) => "不限".to_string(),
            (min, max) => format!(
                "{}–{}",
                min.map_or("1".into(), |n| n.to_string()),
                max.map_or("不限".into(), |n| n.to_string())
            ),
        };
        line("指标个数", format!("{} → {}", show(ra.indicators), show(rb.indicators)));
    }
    if ra.cap != rb.cap {
        let show = |c: Option<crate::Cap>| match c {
            None => "不设".to_string(),
            Some(c) => {
                [c.awards.map(|n| format!("每单位每年至多 {n} 项")), c.amount_wan.map(|n| format!("至多 {n} 万元"))]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("，")
            }
        };
        line("奖励上限", format!("{} → {}", show(ra.cap), show(rb.cap)));
    }
    if a.publication != b.publication {
        line("发布口径", format!("否决单位 {:?} → {:?}", a.publication.vetoes, b.publication.vetoes).to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programme(year: i32, measures: &[(u32, &str, &str, &[u32])]) -> Programme {
        let mut text = format!(
            "[programme]\nyear = {year}\nprovince = \"湖南省\"\ndoc_no = \"x\"\ntitle = \"t\"\nissuer = \"i\"\ndate = \"2024-01-01\"\nsource = \"s\"\nleads = [\"甲\", \"乙\"]\n[rules]\nchannels = [\"资金奖励\", \"相关专项资金\"]\n"
        );
        for (no, lead, channel, cont) in measures {
            text.push_str(&format!(
                "[[measures]]\nno = {no}\nshort = \"m{no}\"\ntext = \"\"\nlead = \"{lead}\"\nlevels = [\"市州\"]\nchannel = \"{channel}\"\ncontinued_as = {cont:?}\n"
            ));
        }
        Programme::from_toml("p.toml", &text).unwrap()
    }

    #[test]
    fn merges_removals_additions_and_changed_channels() {
        let a = programme(
            2023,
            &[
                (1, "甲", "资金奖励", &[1]),
                (2, "乙", "资金奖励", &[1]),
                (3, "乙", "资金奖励", &[]),
                (4, "甲", "资金奖励", &[2]),
            ],
        );
        let b =
            programme(2024, &[(1, "甲", "资金奖励", &[]), (2, "甲", "相关专项资金", &[]), (3, "乙", "资金奖励", &[])]);
        let d = diff_programmes(&a, &b);
        let kinds: Vec<(&str, Vec<u32>, Vec<u32>)> =
            d.changes.iter().map(|c| (c.kind, c.from.clone(), c.to.clone())).collect();
        assert_eq!(d.measures, (4, 3));
        assert!(
            kinds.contains(&("合并", vec![1], vec![1])) && kinds.contains(&("合并", vec![2], vec![1])),
            "{kinds:?}"
        );
        assert!(kinds.contains(&("牵头单位调整", vec![2], vec![1])), "{kinds:?}");
        assert!(kinds.contains(&("取消", vec![3], vec![])), "{kinds:?}");
        assert!(kinds.contains(&("奖励渠道调整", vec![4], vec![2])), "{kinds:?}");
        assert!(kinds.contains(&("新增", vec![], vec![3])), "{kinds:?}");
        assert!(!kinds.iter().any(|k| k.0 == "奖励上限"), "same rules, no rule lines: {kinds:?}");
    }

    #[test]
    fn changed_rules_are_listed() {
        let a = programme(2024, &[(1, "甲", "资金奖励", &[1]), (2, "乙", "资金奖励", &[])]);
        let mut b = a.clone();
        b.year = 2025;
        b.rules.channels = vec!["资金奖励".into(), "给予资金奖励".into()];
        b.rules.cap = Some(crate::Cap { awards: Some(2), amount_wan: None });
        b.rules.indicators = crate::IndicatorLimits { min: Some(3), max: None };
        let lines: Vec<(&str, String)> =
            diff_programmes(&a, &b).changes.into_iter().map(|c| (c.kind, c.text)).collect();
        assert!(lines.contains(&("奖励渠道（方案规则）", "新增 给予资金奖励；取消 相关专项资金".into())), "{lines:?}");
        assert!(lines.contains(&("奖励上限", "不设 → 每单位每年至多 2 项".into())), "{lines:?}");
        assert!(lines.contains(&("指标个数", "不限 → 3–不限".into())), "{lines:?}");
    }
}
