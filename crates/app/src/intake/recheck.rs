//! Re-checking what is stored (复查库中数据): every check an import runs — bounds, county sums,
//! holes in what the plans need, anomalies against peers and history, Benford — run again
//! over the stored values, plus the cross-source rules, which compare two departments' series
//! and so can only run once both are in. Checks change, and data that came in before a rule
//! existed (or through the demo's loader) deserves the same look; a value that was fine beside
//! last year's data may stand out beside this year's.
//!
//! Each provider's stored values are checked as if they were one batch, against everything
//! else stored. A flag goes to the batch that brought the value it is about; one already
//! raised (same series, unit, period and check) is not raised again, so a second re-check of
//! unchanged data adds nothing. Incremental by default: only series with values in batches
//! after the last re-check are read again (whole, since a new value moves its peers' median).

use super::checks::{flag, scopes};
use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use jili_intake::data::anomaly::{self, Anomaly};
use jili_intake::data::checks::{CheckConfig, completeness, county_sums, value_rules};
use jili_intake::data::kind::Tests;
use jili_model::{Catalogue, Decimal, Observation, ObservationKey, Period};
use jili_store::{FoundFlag, NewRecheck, StoredObservation};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What to re-check. Empty means: what changed since the last re-check.
#[derive(Debug, Clone, Default)]
pub struct RecheckRequest {
    /// Series by code or name.
    pub series: Vec<String>,
    pub period: Option<Period>,
    /// A providing department by code or name: its series only.
    pub provider: Option<String>,
    /// Read the data as of a date or batch (`2025-03-31`, `batch:12`), as `jili run --as-of`.
    pub as_of: Option<String>,
    /// Every series, not only those changed since the last re-check.
    pub all: bool,
}

/// What a re-check found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecheckSummary {
    /// The recorded re-check (`None` when there was nothing to read).
    pub id: Option<i64>,
    pub scope: String,
    pub series: usize,
    pub checked: usize,
    /// Flags found, the new and those raised before.
    pub found: usize,
    /// New flags, by check.
    pub added: BTreeMap<String, usize>,
}

impl RecheckSummary {
    /// New flags in all.
    pub fn added_total(&self) -> usize {
        self.added.values().sum()
    }
}

/// A flag found, before deduplication.
struct Found {
    batch_id: i64,
    flag: jili_store::NewFlag,
    office_only: bool,
}

impl App {
    /// Run every check over the stored data (see the module documentation) and record the new
    /// flags, with an audit event. The office's.
    pub async fn recheck(&self, request: &RecheckRequest) -> Result<RecheckSummary> {
        self.allow(Action::Recheck)?;
        let catalogue = self.catalogue().await?;
        let config = self.check_config(&catalogue).await?;
        let last = self.store.last_batch().await?;
        let as_of = match &request.as_of {
            Some(t) => self.resolve_as_of(t).await?,
            None => last,
        };
        let provider = request.provider.as_deref().map(|p| department(&catalogue, p)).transpose()?;
        let (targets, mut scope) = self.targets(request, &catalogue).await?;
        let targets: BTreeSet<String> = targets
            .into_iter()
            .filter(|s| provider.as_ref().is_none_or(|p| catalogue.series(s).is_some_and(|s| &s.owner == p)))
            .collect();
        if let Some(p) = &provider {
            scope.push_str(&format!("，{}", catalogue.department(p).map_or(p.as_str(), |d| d.name.as_str())));
        }
        if let Some(p) = request.period {
            scope.push_str(&format!("，{}", p.label()));
        }
        if let Some(t) = &request.as_of {
            scope.push_str(&format!("，截至 {t}"));
        }
        // Pair and cross-source partners are read too, as context.
        let mut read: BTreeSet<&str> = targets.iter().map(String::as_str).collect();
        for (a, b) in config
            .anomaly
            .pairs
            .iter()
            .map(|p| (&p.growth, &p.against))
            .chain(config.cross.iter().map(|c| (&c.a, &c.b)))
        {
            if targets.contains(a) || targets.contains(b) {
                read.extend([a.as_str(), b.as_str()]);
            }
        }
        let read: Vec<&str> = read.into_iter().collect();
        let stored = self.store.observations_as_of(&read, as_of).await?;
        let in_scope =
            |o: &Observation| targets.contains(o.series.as_str()) && request.period.is_none_or(|p| o.period == p);
        let found = self.check_stored(&stored, &in_scope, &catalogue, &config).await?;
        let checked = stored.iter().filter(|s| in_scope(&s.observation)).count();

        // Raised before: by value (series, unit, period, check), or for a whole batch by (batch, check).
        let before = self.store.flags(None).await?;
        let mut seen: BTreeSet<(String, String, String, String)> =
            before.iter().map(|f| key(&f.series, &f.unit, &f.period, &f.code)).collect();
        let mut seen_batch: BTreeSet<(i64, String)> =
            before.iter().filter(|f| f.series.is_empty()).map(|f| (f.batch_id, f.code.clone())).collect();
        let total = found.len();
        let mut new = Vec::new();
        for f in found {
            let fresh = if f.flag.series.is_empty() {
                seen_batch.insert((f.batch_id, f.flag.code.clone()))
            } else {
                seen.insert(key(&f.flag.series, &f.flag.unit, &f.flag.period, &f.flag.code))
            };
            if fresh {
                new.push(FoundFlag { batch_id: f.batch_id, flag: f.flag, office_only: f.office_only });
            }
        }
        let mut added = BTreeMap::new();
        for f in &new {
            *added.entry(f.flag.code.clone()).or_insert(0) += 1;
        }
        let record = NewRecheck {
            scope: &scope,
            as_of: request.as_of.as_deref().unwrap_or(""),
            last_batch: as_of,
            checked: checked as i64,
            flags: &new,
        };
        let id = if targets.is_empty() { None } else { Some(self.store.record_recheck(&self.actor(), &record).await?) };
        Ok(RecheckSummary { id, scope, series: targets.len(), checked, found: total, added })
    }

    /// The series to re-check, and the scope in words.
    async fn targets(&self, request: &RecheckRequest, catalogue: &Catalogue) -> Result<(BTreeSet<String>, String)> {
        if !request.series.is_empty() {
            let codes = request
                .series
                .iter()
                .map(|s| {
                    catalogue
                        .series(s)
                        .or_else(|| catalogue.all_series().find(|x| x.name == *s))
                        .map(|x| x.code.clone())
                        .ok_or_else(|| AppError::NotFound(format!("数据项“{s}”不在目录中（见 jili data series）")))
                })
                .collect::<Result<BTreeSet<String>>>()?;
            let scope = format!("数据项 {}", codes.iter().cloned().collect::<Vec<_>>().join("、"));
            return Ok((codes, scope));
        }
        let all: BTreeSet<String> = catalogue.all_series().map(|s| s.code.clone()).collect();
        if request.all || request.as_of.is_some() {
            return Ok((all, "全部数据".into()));
        }
        let since = self.store.rechecks().await?.last().map_or(0, |r| r.last_batch);
        let changed: BTreeSet<String> =
            self.store.series_since(since).await?.into_iter().filter(|s| all.contains(s)).collect();
        let scope =
            if since == 0 { "全部数据".to_string() } else { format!("批次 {since} 之后有变动的数据项") };
        Ok((changed, scope))
    }

    /// Every check over the stored values `in_scope`, each provider's as one batch.
    async fn check_stored(
        &self,
        stored: &[StoredObservation],
        in_scope: &(dyn Fn(&Observation) -> bool + Sync),
        catalogue: &Catalogue,
        config: &CheckConfig,
    ) -> Result<Vec<Found>> {
        let owner = |o: &Observation| catalogue.series(&o.series).map_or("", |s| s.owner.as_str());
        let mut by_owner: BTreeMap<&str, Vec<&StoredObservation>> = BTreeMap::new();
        for s in stored.iter().filter(|s| in_scope(&s.observation)) {
            by_owner.entry(owner(&s.observation)).or_default().push(s);
        }
        let peer: HashMap<String, String> =
            catalogue.units().map(|u| (u.code.clone(), u.level.as_str().to_string())).collect();
        // Benford per series below, not over a department's mix of series.
        let tests = |s: &str| {
            let mut t = catalogue.series(s).map_or_else(Tests::none, |s| config.tests(s));
            t.benford = false;
            t
        };
        // Stored values by series, for each department's context.
        let mut of_series: HashMap<&str, Vec<&Observation>> = HashMap::new();
        for s in stored {
            of_series.entry(s.observation.series.as_str()).or_default().push(&s.observation);
        }
        let views = match self.approved_plan_views(None).await {
            Ok(v) => v,
            Err(AppError::NotFound(_)) => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut out = Vec::new();
        for (dept, mine) in &by_owner {
            let batch: Vec<Observation> = mine.iter().map(|s| s.observation.clone()).collect();
            let batch_of = |i: usize| mine[i].batch_id;
            let keys: BTreeSet<ObservationKey> = batch.iter().map(Observation::key).collect();
            // Context: the other stored values (other periods) of its series and their partners.
            let mut context: BTreeSet<&str> = batch.iter().map(|o| o.series.as_str()).collect();
            for p in &config.anomaly.pairs {
                if context.contains(p.growth.as_str()) || context.contains(p.against.as_str()) {
                    context.extend([p.growth.as_str(), p.against.as_str()]);
                }
            }
            let others = context
                .iter()
                .flat_map(|s| of_series.get(s).into_iter().flatten())
                .filter(|o| !keys.contains(&o.key()));
            let decimals: BTreeMap<ObservationKey, Decimal> = others.map(|o| (o.key(), o.value)).collect();
            let floats: BTreeMap<ObservationKey, f64> =
                decimals.iter().map(|(k, v)| (k.clone(), v.to_string().parse().unwrap_or(f64::NAN))).collect();
            let value_flag = |i: usize, code: &str, message: String| Found {
                batch_id: batch_of(i),
                flag: flag(Some(&batch[i]), code, &message, false),
                office_only: false,
            };
            for b in value_rules(&batch, catalogue, config) {
                out.push(value_flag(b.index, b.code, b.message));
            }
            for b in county_sums(&batch, &decimals, catalogue, config) {
                out.push(value_flag(b.index, b.code, b.message));
            }
            let name = catalogue.department(dept).map_or(dept.to_string(), |d| d.name.clone());
            for Anomaly { index, code, message, .. } in
                anomaly::flags(&batch, &floats, &peer, catalogue, &config.anomaly, &tests)
            {
                if let Some(i) = index {
                    out.push(value_flag(i, code, message));
                }
            }
            // Benford over each series' stored values, kept with the newest batch bringing it.
            let mut series: BTreeMap<&str, (Vec<f64>, i64)> = BTreeMap::new();
            for (i, o) in batch.iter().enumerate() {
                let e = series.entry(o.series.as_str()).or_default();
                e.0.push(o.value.to_string().parse().unwrap_or(f64::NAN));
                e.1 = e.1.max(batch_of(i));
            }
            for (code, (values, batch_id)) in series {
                let Some(s) = catalogue.series(code).filter(|s| config.tests(s).benford) else { continue };
                if let Some(a) = anomaly::benford_flag(&values, &config.anomaly, &format!("{name}库中{}", s.name)) {
                    let mut f = flag(None, a.code, &a.message, false);
                    f.series = code.to_string();
                    out.push(Found { batch_id, flag: f, office_only: false });
                }
            }
            out.extend(holes(&views, &batch, &batch_of, catalogue));
        }
        out.extend(cross_source(stored, in_scope, catalogue, config));
        Ok(out)
    }
}

/// Units a plan in force needs a value of, where others of their level have one for the
/// same series and period: a hole in what was sent, not data not yet due.
fn holes(
    views: &[crate::PlanView],
    batch: &[Observation],
    batch_of: &(dyn Fn(usize) -> i64 + Sync),
    catalogue: &Catalogue,
) -> Vec<Found> {
    let present: BTreeSet<ObservationKey> = batch.iter().map(Observation::key).collect();
    let mut newest: BTreeMap<(&str, Period), i64> = BTreeMap::new();
    for (i, o) in batch.iter().enumerate() {
        let b = newest.entry((o.series.as_str(), o.period)).or_insert(0);
        *b = (*b).max(batch_of(i));
    }
    let mut plans: BTreeMap<(String, Period, String), Vec<String>> = BTreeMap::new();
    for (scope, absent) in completeness(batch, &present, &scopes(views, catalogue, batch), catalogue) {
        for unit in absent {
            plans.entry((scope.series.clone(), scope.period, unit)).or_default().push(scope.plan.clone());
        }
    }
    let mut out = Vec::new();
    for ((series, period, unit), plans) in plans {
        let Some(&batch_id) = newest.get(&(series.as_str(), period)) else { continue };
        let name = catalogue.series(&series).map_or(series.as_str(), |s| s.name.as_str());
        let who = catalogue.unit(&unit).map_or(unit.as_str(), |u| u.name.as_str());
        let message = format!(
            "{who}没有{name} {} 的数据，而同级其他单位已报送；{}评价需要这一数据",
            period.label(),
            plans.join("、")
        );
        out.push(Found {
            batch_id,
            flag: jili_store::NewFlag {
                series: series.clone(),
                unit: unit.clone(),
                period: period.to_string(),
                code: "missing-value".into(),
                message,
                prominent: false,
            },
            office_only: false,
        });
    }
    out
}

/// Breaches of the cross-source rules among values in scope (either side), for the office.
fn cross_source(
    stored: &[StoredObservation],
    in_scope: &(dyn Fn(&Observation) -> bool + Sync),
    catalogue: &Catalogue,
    config: &CheckConfig,
) -> Vec<Found> {
    let compared: BTreeSet<&str> = config.cross.iter().flat_map(|r| [r.a.as_str(), r.b.as_str()]).collect();
    let stored: Vec<&StoredObservation> =
        stored.iter().filter(|s| compared.contains(s.observation.series.as_str())).collect();
    let values: BTreeMap<ObservationKey, Decimal> =
        stored.iter().map(|s| (s.observation.key(), s.observation.value)).collect();
    let at: HashMap<ObservationKey, &StoredObservation> = stored.iter().map(|s| (s.observation.key(), *s)).collect();
    let mut out = Vec::new();
    for rule in &config.cross {
        for b in rule.breaches(&values, catalogue) {
            let key = |s: &str| -> ObservationKey { (s.into(), b.unit.as_str().into(), b.period) };
            let (a, other) = (at.get(&key(&rule.a)), at.get(&key(&rule.b)));
            if ![a, other].iter().flatten().any(|s| in_scope(&s.observation)) {
                continue;
            }
            let Some(a) = a else { continue };
            out.push(Found {
                batch_id: a.batch_id,
                flag: jili_store::NewFlag {
                    series: rule.a.clone(),
                    unit: b.unit,
                    period: b.period.to_string(),
                    code: "cross-source".into(),
                    message: b.message,
                    prominent: false,
                },
                office_only: true,
            });
        }
    }
    out
}

/// What makes two flags the same question: the value and the check. A growth figure that
/// disagrees with its tax take is one question however many of the two departments' batches
/// raise it, so the pair check is keyed by unit and period alone.
fn key(series: &str, unit: &str, period: &str, code: &str) -> (String, String, String, String) {
    let series = if code == "pair-disagrees" { "" } else { series };
    (series.to_string(), unit.to_string(), period.to_string(), code.to_string())
}

/// A department's code from its code or name.
fn department(catalogue: &Catalogue, text: &str) -> Result<String> {
    let t = text.trim();
    catalogue
        .find_department(t)
        .map(|d| d.code.clone())
        .ok_or_else(|| AppError::NotFound(format!("没有代码或名称为“{t}”的部门（见 jili data departments）")))
}
