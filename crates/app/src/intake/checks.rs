//! The checks an import runs with what the store knows: each series' rules, county sums,
//! completeness against the plans, revisions (with a reason, never a 快报 over a 年报),
//! anomaly flags and revisions that cross a selection cut-off.

use super::ImportRequest;
use super::cutoff::crossings;
use crate::App;
use crate::error::Result;
use jili_intake::data::anomaly::{self, Anomaly};
use jili_intake::data::checks::{CheckConfig, Scope, completeness, county_sums, magnitude, value_rules};
use jili_intake::data::kind::Tests;
use jili_intake::data::{Finding, Origin, Workbook};
use jili_model::{Batch, Catalogue, Decimal, Location, Observation, ObservationKey, Period, Status};
use jili_store::NewFlag;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the checks found.
#[derive(Debug, Default)]
pub(super) struct Checked {
    pub findings: Vec<Finding>,
    /// Flags to keep with the batch.
    pub flags: Vec<NewFlag>,
    pub new: usize,
    pub revised: usize,
    pub unchanged: usize,
    pub confirmed: usize,
    /// Cut-off crossings the importer may not see (see [`super::cutoff`]): kept for the office.
    pub withheld: Vec<String>,
}

/// Where observation `i` was read, named by its series and period.
fn location(workbook: &Workbook, origin: Origin, o: &Observation, catalogue: &Catalogue) -> Location {
    let series = catalogue.series(&o.series).map_or(o.series.as_str(), |s| s.name.as_str());
    workbook.location(origin.sheet, origin.row, origin.col, &format!("{series} {}", o.period.label()))
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn run(
    app: &App,
    batch: &Batch,
    origins: &[Origin],
    blanks: &[ObservationKey],
    workbook: &Workbook,
    catalogue: &Catalogue,
    config: &CheckConfig,
    request: &ImportRequest,
    read_errors: bool,
) -> Result<Checked> {
    let obs = &batch.observations;
    let at = |i: usize| location(workbook, origins[i], &obs[i], catalogue);
    let file = Location::file(&workbook.file);
    let mut out = Checked::default();
    for b in value_rules(obs, catalogue, config) {
        out.findings
            .push(Finding::error(b.code, at(b.index), b.message, b.fix).quoting(obs[b.index].value.to_string()));
    }
    // What the store holds for the batch's series and their anomaly partners.
    let mut wanted: BTreeSet<&str> = obs.iter().map(|o| o.series.as_str()).collect();
    for p in &config.anomaly.pairs {
        if wanted.contains(p.growth.as_str()) || wanted.contains(p.against.as_str()) {
            wanted.extend([p.growth.as_str(), p.against.as_str()]);
        }
    }
    let views = match app.newest_plan_views(None).await {
        Ok(v) => v,
        Err(crate::AppError::NotFound(_)) => Vec::new(),
        Err(e) => return Err(e),
    };
    for v in &views {
        if v.plan.series_read().iter().any(|s| wanted.contains(s)) {
            wanted.extend(v.plan.series_read());
        }
    }
    let wanted: Vec<&str> = wanted.into_iter().collect();
    let stored: Vec<Observation> =
        app.store.observations_of(&wanted).await?.into_iter().map(|s| s.observation).collect();
    let known: BTreeMap<ObservationKey, (Decimal, Status)> =
        stored.iter().map(|o| (o.key(), (o.value, o.status))).collect();

    let decimals: BTreeMap<ObservationKey, Decimal> = known.iter().map(|(k, v)| (k.clone(), v.0)).collect();
    for b in county_sums(obs, &decimals, catalogue, config) {
        out.findings.push(Finding::error(b.code, at(b.index), b.message, b.fix));
    }

    // Completeness against the plans that read the batch's series, in their evaluation year.
    let scopes = scopes(&views, catalogue, obs);
    let mut present: BTreeSet<ObservationKey> = obs.iter().map(|o| o.key()).collect();
    present.extend(blanks.iter().cloned());
    // What the store already holds counts too: a one-value correction is not an incomplete file.
    present.extend(known.keys().cloned());
    // One finding per (series, period, missing units), naming every plan that needs them.
    let mut gaps: BTreeMap<(String, Period, Vec<String>), Vec<String>> = BTreeMap::new();
    // Rows the reader rejected would show up again as missing units: only a file read cleanly
    // is judged complete or not.
    let gaps_checked = if read_errors { Vec::new() } else { completeness(obs, &present, &scopes, catalogue) };
    for (scope, absent) in gaps_checked {
        gaps.entry((scope.series, scope.period, absent)).or_default().push(scope.plan);
    }
    for ((series, period, absent), plans) in gaps {
        let names: Vec<String> =
            absent.iter().take(10).map(|c| catalogue.unit(c).map_or(c.clone(), |u| u.name.clone())).collect();
        let more = if absent.len() > 10 { format!(" 等 {} 个", absent.len()) } else { String::new() };
        let name = catalogue.series(&series).map_or(series.as_str(), |s| s.name.as_str());
        let at = file.clone().field(format!("{name} {}", period.label()));
        let message = format!("{}评价的单位中，缺少 {}{more}", plans.join("、"), names.join("、"));
        out.findings.push(if request.partial {
            Finding::notice("incomplete", at, message, "本批次按部分数据导入（--partial）；请在评价前补齐")
        } else {
            Finding::error(
                "incomplete",
                at,
                message,
                "请补齐这些单位的数据；确实没有数据的，请在表中列出该单位并填“—”；如先报部分单位，请加 --partial",
            )
        });
    }

    for b in magnitude(obs, &decimals, catalogue) {
        out.findings
            .push(Finding::error(b.code, at(b.index), b.message, b.fix).quoting(obs[b.index].value.to_string()));
    }

    // Revisions: the old value stays; a revision says why; a 快报 never replaces a 年报.
    let mut revised = Vec::new();
    for (i, o) in obs.iter().enumerate() {
        match known.get(&o.key()) {
            None => out.new += 1,
            // The same value confirmed as 年报: a new revision of its status, no reason needed.
            Some((_, Status::Preliminary)) if known_value(&known, o) == Some(o.value) && o.status == Status::Final => {
                out.confirmed += 1;
            }
            Some((old, _)) if *old == o.value => out.unchanged += 1,
            Some((old, old_status)) => {
                out.revised += 1;
                revised.push(i);
                if *old_status == Status::Final && o.status == Status::Preliminary {
                    out.findings.push(Finding::error(
                        "preliminary-over-final",
                        at(i),
                        format!("已入库的是年报数 {old}，不能用快报数 {} 覆盖", o.value),
                        "如确需更正年报数，请把数据状态写为“年报”并写明原因（网页上填“修订原因”，命令行用 --reason）",
                    ));
                } else {
                    out.findings.push(Finding::notice(
                        "revision",
                        at(i),
                        format!("修订：原值 {old} → 新值 {}", o.value),
                        "原值保留在修订记录中",
                    ));
                }
            }
        }
    }
    if !revised.is_empty() && request.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        out.findings.push(Finding::error(
            "revision-without-reason",
            file.clone(),
            format!("本批次修订了 {} 个已入库的数值，但没有说明原因", revised.len()),
            "请写明修订原因（网页上填“修订原因”，命令行用 --reason；如“年报终审数据替换快报数”），修订记录会保留原值、修订人、时间和原因",
        ));
    }

    // Anomaly flags for reviewers.
    let floats: BTreeMap<ObservationKey, f64> =
        known.iter().map(|(k, v)| (k.clone(), v.0.to_string().parse().unwrap_or(f64::NAN))).collect();
    let peer: HashMap<String, String> =
        catalogue.units().map(|u| (u.code.clone(), u.level.as_str().to_string())).collect();
    // A value sent again unchanged was judged when it first came: flag only what is new or changed.
    let unchanged = |i: usize| known.get(&obs[i].key()).is_some_and(|(v, _)| *v == obs[i].value);
    let tests = |s: &str| catalogue.series(s).map_or_else(Tests::none, |s| config.tests(s));
    for Anomaly { index, code, message, fix } in anomaly::flags(obs, &floats, &peer, catalogue, &config.anomaly, &tests)
    {
        if index.is_some_and(unchanged) {
            continue;
        }
        let where_ = index.map_or(file.clone(), at);
        out.flags.push(flag(index.map(|i| &obs[i]), code, &message, false));
        out.findings.push(Finding::flag(code, where_, message, fix));
    }
    // Crossings are the office's and the auditor's: shown to whoever may read every result,
    // kept with the batch as flags, and for a provider's dry run written to the access log.
    let shown = crate::access::allows(app.principal(), &crate::Action::ReadResults);
    for c in crossings(app, batch, &revised, &stored).await? {
        if !shown {
            out.withheld.push(c.message.clone());
        }
        let where_ = c.index.map_or(file.clone(), at);
        let mut f = Finding::flag(
            "crosses-cutoff",
            where_,
            c.message.clone(),
            "请复核修订依据；修订前后的数值和原因均已记录，供审核和纪检监察查阅",
        );
        f.prominent = true;
        out.flags.push(NewFlag {
            series: c.index.map_or(String::new(), |i| obs[i].series.to_string()),
            unit: c.unit,
            period: c.index.map_or(String::new(), |i| obs[i].period.to_string()),
            code: "crosses-cutoff".into(),
            message: c.message,
            prominent: true,
        });
        if shown {
            out.findings.push(f);
        }
    }
    Ok(out)
}

fn known_value(known: &BTreeMap<ObservationKey, (Decimal, Status)>, o: &Observation) -> Option<Decimal> {
    known.get(&o.key()).map(|(v, _)| *v)
}

pub(super) fn flag(o: Option<&Observation>, code: &str, message: &str, prominent: bool) -> NewFlag {
    NewFlag {
        series: o.map_or(String::new(), |o| o.series.to_string()),
        unit: o.map_or(String::new(), |o| o.unit.to_string()),
        period: o.map_or(String::new(), |o| o.period.to_string()),
        code: code.into(),
        message: message.into(),
        prominent,
    }
}

/// The units a plan evaluates: its levels and groups, in force in its period (what its series
/// are owed for; the progress board and the 填报模板 ask the same).
pub(crate) fn plan_units<'a>(plan: &jili_model::Plan, catalogue: &'a Catalogue) -> Vec<&'a jili_model::Unit> {
    catalogue
        .units()
        .filter(|u| plan.header.units.contains(&u.level) && u.valid_in(plan.header.period))
        .filter(|u| {
            plan.groups.is_empty()
                || plan.groups.iter().any(|g| {
                    g.admits(jili_model::plan::Member { code: &u.code, level: u.level, plate: u.plate, kind: &u.kind })
                })
        })
        .collect()
}

/// For each plan and each series it reads that the batch brings for the plan's year: the
/// units the plan evaluates (its levels and groups, in force that year).
pub(super) fn scopes(views: &[crate::PlanView], catalogue: &Catalogue, obs: &[Observation]) -> Vec<Scope> {
    let brought: BTreeSet<(&str, Period)> = obs.iter().map(|o| (o.series.as_str(), o.period)).collect();
    let mut out = Vec::new();
    for v in views {
        let plan = &v.plan;
        let period = Period::year(plan.header.period);
        let units = plan_units(plan, catalogue);
        for s in plan.series_read() {
            if brought.contains(&(s, period)) {
                out.push(Scope {
                    series: s.to_string(),
                    period,
                    plan: format!("措施 {}", plan.header.measure),
                    units: units.iter().filter(|u| plan.reads_for(s, u)).map(|u| u.code.clone()).collect(),
                });
            }
        }
    }
    out
}
