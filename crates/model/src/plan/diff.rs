//! What changed between two versions of a plan: indicators, weights, groups, quotas, rewards,
//! vetoes and method, each named the way the plan file names it, so a reviewer sees exactly
//! what a revision touched.

use super::types::Plan;
use serde::Serialize;
use serde_json::Value;

/// One change between two plan versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanChange {
    /// The part of the plan: 指标 gdp_growth, 奖励 city, 名额 …
    pub part: String,
    /// The field within it (`weight`, `amount` …), empty when the whole part was added or removed.
    pub field: String,
    /// The value before (empty when added) and after (empty when removed), as in the file.
    pub before: String,
    pub after: String,
}

/// The changes from `old` to `new`, in plan order.
pub fn diff_plans(old: &Plan, new: &Plan) -> Vec<PlanChange> {
    let mut out = Vec::new();
    object(&mut out, "基本信息", &json(&old.header), &json(&new.header));
    keyed(&mut out, "分组", &old.groups, &new.groups, |g| g.id.clone());
    keyed(&mut out, "维度", &old.pillars, &new.pillars, |p| p.id.clone());
    keyed(&mut out, "指标", &old.indicators, &new.indicators, |i| i.id.clone());
    keyed(&mut out, "一票否决", &old.vetoes, &new.vetoes, |v| format!("{}（{}）", v.series, v.reason));
    object(&mut out, "遴选（名额、最低分、并列规则）", &json(&old.selection), &json(&new.selection));
    keyed(&mut out, "奖励", &old.rewards, &new.rewards, |r| r.group.clone());
    object(&mut out, "方法", &json(&old.method), &json(&new.method));
    out
}

fn json<T: Serialize>(x: &T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Field-by-field changes of two JSON objects.
fn object(out: &mut Vec<PlanChange>, part: &str, old: &Value, new: &Value) {
    let empty = serde_json::Map::new();
    let (a, b) = (old.as_object().unwrap_or(&empty), new.as_object().unwrap_or(&empty));
    let mut fields: Vec<&String> = a.keys().collect();
    fields.extend(b.keys().filter(|k| !a.contains_key(*k)));
    for f in fields {
        let (x, y) = (a.get(f).unwrap_or(&Value::Null), b.get(f).unwrap_or(&Value::Null));
        if x != y {
            out.push(PlanChange { part: part.into(), field: f.clone(), before: text(x), after: text(y) });
        }
    }
}

/// Changes of two lists of items with identities: added, removed, and changed fields.
fn keyed<T: Serialize>(out: &mut Vec<PlanChange>, kind: &str, old: &[T], new: &[T], key: impl Fn(&T) -> String) {
    for o in old {
        let k = key(o);
        match new.iter().find(|n| key(n) == k) {
            Some(n) => object(out, &format!("{kind} {k}"), &json(o), &json(n)),
            None => out.push(PlanChange {
                part: format!("{kind} {k}"),
                field: String::new(),
                before: "（删除）".into(),
                after: String::new(),
            }),
        }
    }
    for n in new.iter().filter(|n| !old.iter().any(|o| key(o) == key(n))) {
        out.push(PlanChange {
            part: format!("{kind} {}", key(n)),
            field: String::new(),
            before: String::new(),
            after: "（新增）".into(),
        });
    }
}
