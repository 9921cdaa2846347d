//! Rank within peer groups and pick the winners: quotas per group and in total, a minimum score,
//! the plan's tie-breaks, then the unit code — so the result never depends on input order.

use super::prepare::Prepared;
use super::score::Scored;
use std::cmp::Ordering;

/// Rankings and winners under one scoring.
#[derive(Debug, Clone)]
pub(crate) struct Selected {
    /// Per group: scope units in rank order (units without a score last).
    pub order: Vec<Vec<usize>>,
    /// Per scope unit: rank in its group (0 = none).
    pub rank: Vec<u32>,
    pub eligible: Vec<bool>,
    pub winner: Vec<bool>,
    /// Per group: the score a unit must beat to win (its group's last winner when the group
    /// quota is filled, or the last winner overall when the total quota is, whichever is higher).
    pub cutoff: Vec<Option<f64>>,
    /// The best eligible unit left out by a filled total quota, if any.
    pub best_loser_overall: Option<usize>,
}

/// Better first: higher composite, then the tie-break indicators' scores, then the code.
fn compare(p: &Prepared, s: &Scored, tie: &[usize], a: usize, b: usize) -> Ordering {
    let key = |x: f64| if x.is_nan() { f64::NEG_INFINITY } else { x };
    key(s.composite[b])
        .total_cmp(&key(s.composite[a]))
        .then_with(|| {
            tie.iter()
                .map(|&j| key(s.scores[j][b]).total_cmp(&key(s.scores[j][a])))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        })
        .then_with(|| p.code(a).cmp(p.code(b)))
}

pub(crate) fn select(p: &Prepared, s: &Scored) -> Selected {
    let plan = p.plan;
    let n = p.units.len();
    let tie: Vec<usize> =
        plan.selection.tie_break.iter().filter_map(|id| plan.indicators.iter().position(|i| &i.id == id)).collect();
    let eligible: Vec<bool> = (0..n)
        .map(|u| {
            p.group_of[u].is_some()
                && p.vetoes[u].is_empty()
                && !s.missing_ineligible[u]
                && !s.composite[u].is_nan()
                && plan.selection.min_score.is_none_or(|m| s.composite[u] >= m)
        })
        .collect();
    let mut rank = vec![0u32; n];
    let mut winner = vec![false; n];
    let mut order = Vec::with_capacity(p.members.len());
    let mut picks: Vec<usize> = Vec::new();
    for (g, members) in p.members.iter().enumerate() {
        let mut o = members.clone();
        o.sort_by(|&a, &b| compare(p, s, &tie, a, b));
        for (i, &u) in o.iter().enumerate() {
            if !s.composite[u].is_nan() {
                rank[u] = i as u32 + 1;
            }
        }
        let quota = plan.selection.quota.get(g).and_then(|(_, q)| *q).map_or(usize::MAX, |q| q as usize);
        picks.extend(o.iter().copied().filter(|&u| eligible[u]).take(quota));
        order.push(o);
    }
    if let Some(total) = plan.selection.total {
        picks.sort_by(|&a, &b| compare(p, s, &tie, a, b));
        picks.truncate(total as usize);
    }
    for &u in &picks {
        winner[u] = true;
    }
    let total_filled = plan.selection.total.is_some_and(|t| picks.len() == t as usize);
    let overall = if total_filled { picks.last().map(|&u| s.composite[u]) } else { None };
    let cutoff = p
        .members
        .iter()
        .enumerate()
        .map(|(g, _)| {
            let won: Vec<usize> = order[g].iter().copied().filter(|&u| winner[u]).collect();
            let quota = plan.selection.quota.get(g).and_then(|(_, q)| *q);
            let own = won.last().filter(|_| quota.is_some_and(|q| won.len() == q as usize)).map(|&u| s.composite[u]);
            match (own, overall) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            }
        })
        .collect();
    let best_loser_overall = if total_filled {
        let mut losers: Vec<usize> = (0..n).filter(|&u| eligible[u] && !winner[u]).collect();
        losers.sort_by(|&a, &b| compare(p, s, &tie, a, b));
        losers.first().copied()
    } else {
        None
    };
    Selected { order, rank, eligible, winner, cutoff, best_loser_overall }
}
