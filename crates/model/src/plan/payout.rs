//! The most a plan can pay: what must fit within the measure's budget line.

use super::types::{Amount, Plan};

/// The largest total, in 万元, the plan's rewards can pay: each group's quota times its amount
/// (or its first tiers, or its pool). `None` when a group paying per winner has no quota, so
/// nothing bounds it.
pub fn max_payout_wan(plan: &Plan) -> Option<u64> {
    let mut total: u64 = 0;
    for reward in &plan.rewards {
        let quota = plan
            .selection
            .quota
            .iter()
            .find(|(g, _)| *g == reward.group)
            .and_then(|(_, q)| *q)
            .or(plan.selection.total)
            .map(u64::from);
        let most = match &reward.amount {
            Amount::None => 0,
            Amount::Pool(p) => *p,
            Amount::Each(a) => a.checked_mul(quota?)?,
            Amount::Tiers(t) => {
                let q = quota? as usize;
                let last = t.last().copied().unwrap_or(0);
                (0..q).map(|i| t.get(i).copied().unwrap_or(last)).try_fold(0u64, u64::checked_add)?
            }
        };
        total = total.checked_add(most)?;
    }
    Some(total)
}
