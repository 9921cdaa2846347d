//! The programme's cap on what one unit may receive in a year (`[rules.cap]`), applied when
//! the measures' results are combined into a publication.
//!
//! The rule (docs/decisions.md): a unit over the cap keeps its awards from the largest amount
//! down, equal amounts by the lower measure number, as long as they fit both the number and the
//! 万元 of the cap; every other award of that unit is withdrawn from its measure's winners and
//! listed with the reason. The place is not refilled: nobody moves up, and the money stays in
//! the measure's budget (as with a recovered award when the programme does not say `refill`).

use super::{PublishedMeasure, PublishedOverride};
use jili_model::Cap;
use std::collections::BTreeMap;

/// Withdraw the awards over the cap; each withdrawn one is recorded in its measure's `capped`.
pub(super) fn apply_cap(measures: &mut [PublishedMeasure], cap: Cap) {
    // unit → (measure index, award 万元, measure number)
    let mut by_unit: BTreeMap<String, Vec<(usize, u64, u32)>> = BTreeMap::new();
    for (i, m) in measures.iter().enumerate() {
        for w in &m.winners {
            by_unit.entry(w.code.clone()).or_default().push((i, w.award_wan.unwrap_or(0), m.measure));
        }
    }
    for (code, mut awards) in by_unit {
        awards.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        let (mut kept, mut dropped, mut total) = (Vec::new(), Vec::new(), 0u64);
        for a in awards {
            let count_fits = cap.awards.is_none_or(|n| kept.len() < n as usize);
            let amount_fits = cap.amount_wan.is_none_or(|max| total.saturating_add(a.1) <= max);
            if count_fits && amount_fits {
                total += a.1;
                kept.push(a);
            } else {
                dropped.push(a);
            }
        }
        let kept_text: Vec<String> = kept.iter().map(|(_, wan, no)| format!("第 {no} 条（{wan} 万元）")).collect();
        for (i, wan, _) in dropped {
            let m = &mut measures[i];
            let Some(at) = m.winners.iter().position(|w| w.code == code) else { continue };
            let w = m.winners.remove(at);
            let reason = format!(
                "年度奖励上限（{}）：{}本年保留{}的奖励，本条措施的奖励（{wan} 万元）不予发放；按奖励金额从高到低、金额相同按措施序号在前者保留；名额不递补",
                describe(cap),
                w.name,
                if kept_text.is_empty() { "零项".to_string() } else { kept_text.join("、") },
            );
            m.capped.push(PublishedOverride {
                unit: w.code,
                name: w.name,
                outcome: "not".into(),
                reason,
                at: String::new(),
            });
        }
    }
}

/// The cap in words: “每个单位每年最多 2 项、500 万元”.
pub fn describe(cap: Cap) -> String {
    let mut parts = Vec::new();
    if let Some(n) = cap.awards {
        parts.push(format!("{n} 项"));
    }
    if let Some(w) = cap.amount_wan {
        parts.push(format!("{w} 万元"));
    }
    format!("每个单位每年最多 {}", parts.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publication::publish::PublishedUnit;

    fn winner(code: &str, name: &str, wan: u64) -> PublishedUnit {
        PublishedUnit {
            code: code.into(),
            name: name.into(),
            group: Some("市州".into()),
            score: None,
            rank: Some(1),
            award_wan: Some(wan),
            items: Vec::new(),
            note: String::new(),
        }
    }

    fn measure(no: u32, winners: Vec<PublishedUnit>) -> PublishedMeasure {
        PublishedMeasure {
            measure: no,
            title: format!("措施{no}"),
            run: i64::from(no),
            plan_version: 1,
            plan_sha256: String::new(),
            data_sha256: String::new(),
            result_sha256: String::new(),
            winners,
            vetoed_count: 0,
            vetoed: Vec::new(),
            scores_withheld: false,
            ranking: None,
            overrides: Vec::new(),
            capped: Vec::new(),
        }
    }

    #[test]
    fn a_unit_over_the_cap_keeps_its_largest_awards_and_nobody_moves_up() {
        // 长沙 wins measures 1 (200), 2 (300) and 3 (200); 株洲 wins measure 3 only.
        let mut ms = vec![
            measure(1, vec![winner("430100", "长沙市", 200)]),
            measure(2, vec![winner("430100", "长沙市", 300)]),
            measure(3, vec![winner("430100", "长沙市", 200), winner("430200", "株洲市", 200)]),
        ];
        apply_cap(&mut ms, Cap { awards: Some(2), amount_wan: None });
        // Kept: measure 2 (the largest), then measure 1 (equal to 3, lower number).
        let codes = |m: &PublishedMeasure| m.winners.iter().map(|w| w.code.clone()).collect::<Vec<_>>();
        assert_eq!(
            (codes(&ms[0]), codes(&ms[1]), codes(&ms[2])),
            (vec!["430100".to_string()], vec!["430100".to_string()], vec!["430200".to_string()])
        );
        assert_eq!(ms[2].capped.len(), 1);
        let why = &ms[2].capped[0].reason;
        assert!(
            why.contains("每个单位每年最多 2 项") && why.contains("保留第 2 条（300 万元）、第 1 条（200 万元）"),
            "{why}"
        );
        assert!(why.contains("（200 万元）不予发放") && why.contains("名额不递补"), "{why}");
        assert!(ms[0].capped.is_empty() && ms[1].capped.is_empty());
    }

    #[test]
    fn an_amount_cap_skips_an_award_that_does_not_fit_but_keeps_a_smaller_one_that_does() {
        let mut ms = vec![
            measure(1, vec![winner("430100", "长沙市", 300)]),
            measure(2, vec![winner("430100", "长沙市", 250)]),
            measure(3, vec![winner("430100", "长沙市", 100)]),
        ];
        apply_cap(&mut ms, Cap { awards: None, amount_wan: Some(400) });
        // 300 fits, 250 would make 550, 100 makes 400.
        assert_eq!(ms.iter().map(|m| m.winners.len()).collect::<Vec<_>>(), [1, 0, 1]);
        assert!(ms[1].capped[0].reason.contains("400 万元"), "{}", ms[1].capped[0].reason);
    }
}
