//! Confidential means not inferable (issue 16): each attack tries, as a role would, to recover
//! the values of a series that role may not read — 财政厅's 政府法定债务率 (`DEBT_RATIO`,
//! 原则上不向社会公布) — and fails the test if any unit's value comes out to better than 10% of
//! its group's range. The attacker is given the best case: the true values are used to fit the
//! affine map from what it sees (a score) back to the value, so any leak of the order and the
//! spacing of the values counts.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use jili_app::access::{Principal, Role};
use jili_app::engine::RunResult;
use jili_app::{App, AppError};
use jili_model::GrantStatus;
use std::collections::BTreeMap;

const SERIES: &str = "DEBT_RATIO";

fn as_role(app: &App, name: &str, role: Role) -> App {
    app.acting_as(Principal { name: name.into(), role })
}

/// 工信厅, lead of measure 3.
fn gxt(app: &App) -> App {
    as_role(app, "li.gxt", Role::Lead("GXT".into()))
}

/// 财政厅's user, who owns `DEBT_RATIO`.
fn czt(app: &App) -> App {
    as_role(app, "zhang.czt", Role::Provider("CZT".into()))
}

/// Measure 3's example plan with its first indicator reading `DEBT_RATIO` (and that indicator
/// weighted `w`, the rest scaled down): the "explanation drivers" and "two plans differing in
/// one weight" attacks read the per-indicator scores and the composite of two such plans.
fn attack_plan(w: f64) -> String {
    let (_, text) = jili_app::bundled::PLANS[2];
    let text = text.replacen("series = \"IND_VA_GROWTH\"", &format!("series = \"{SERIES}\""), 1);
    // The weight moved comes from 工业投资增速 (0.15), so that the weights still sum to 1.
    let rest = format!("weight = {:.2}\nnote = \"稳定工业投资", 0.35 - w);
    text.replacen("weight = 0.2\n", &format!("weight = {w}\n"), 1).replacen(
        "weight = 0.15\nnote = \"稳定工业投资",
        &rest,
        1,
    )
}

/// The attack: four indicators, all reading `DEBT_RATIO` as it is: the composite is
/// min–max of the values.
fn one_indicator_plan() -> String {
    let (_, text) = jili_app::bundled::PLANS[2];
    let (head, _) = text.split_once("[[indicators]]").unwrap();
    let (_, tail) = text.split_once("[selection]").unwrap();
    let indicators: String = (1..=4)
        .map(|k| {
            format!(
                "[[indicators]]\nid = \"debt{k}\"\nname = \"债务率{k}\"\nseries = \"{SERIES}\"\nbasis = \"level\"\ncategory = \"共性\"\nweight = 0.25\n\n"
            )
        })
        .collect();
    let tail = tail.replace("tie_break = [\"ind_va_growth\", \"mfg_share\"]", "tie_break = [\"debt1\"]");
    format!("{head}{indicators}[selection]{tail}")
}

/// The true 市州 values of `DEBT_RATIO` in 2024, read as the office.
async fn truth(office: &App) -> BTreeMap<String, f64> {
    let catalogue = office.catalogue().await.unwrap();
    office
        .raw_store()
        .observations_of(&[SERIES])
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.observation.period.to_string() == "2024")
        .filter(|s| catalogue.unit(&s.observation.unit).is_some_and(|u| u.level.as_str() == "市州"))
        .map(|s| (s.observation.unit.to_string(), s.observation.value.to_string().parse().unwrap()))
        .collect()
}

/// The largest error, as a share of the group's range, of the best affine map from `seen`
/// (unit → a number the attacker sees) to the true values; `None` when fewer than three units
/// are seen (nothing to fit).
fn recovery_error(seen: &BTreeMap<String, f64>, truth: &BTreeMap<String, f64>) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = seen.iter().filter_map(|(u, s)| Some((*s, *truth.get(u)?))).collect();
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let (mx, my) = (pairs.iter().map(|p| p.0).sum::<f64>() / n, pairs.iter().map(|p| p.1).sum::<f64>() / n);
    let sxx: f64 = pairs.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let range =
        truth.values().fold(f64::NEG_INFINITY, |a, b| a.max(*b)) - truth.values().fold(f64::INFINITY, |a, b| a.min(*b));
    let worst = pairs.iter().map(|(x, y)| (my + slope * (x - mx) - y).abs()).fold(0.0, f64::max);
    Some(worst / range)
}

/// What a trial shows of `DEBT_RATIO` per 市州: the first indicator's score.
fn indicator_scores(r: &RunResult) -> BTreeMap<String, f64> {
    r.units
        .iter()
        .filter(|u| u.group.as_deref() == Some("市州"))
        .filter_map(|u| Some((u.code.clone(), u.indicators.first()?.score?)))
        .collect()
}

fn composite(r: &RunResult) -> BTreeMap<String, f64> {
    r.units
        .iter()
        .filter(|u| u.group.as_deref() == Some("市州"))
        .filter_map(|u| Some((u.code.clone(), u.score?)))
        .collect()
}

/// Every attack a lead can make with trials, without a grant: each is refused, and the lint
/// says why and how to ask for a grant. With 财政厅's grant the trial runs — and the same
/// attack does recover the values (the test's measure works); revoked, refused again.
#[tokio::test]
async fn a_lead_cannot_infer_another_departments_confidential_series_without_its_grant() {
    let db = common::demo_db().await;
    let office = App::open(&db.url(), "测试").await.unwrap();
    let truth = truth(&office).await;
    assert!(truth.len() >= 10, "the demo has DEBT_RATIO for the 市州: {truth:?}");
    let lead = gxt(&office);
    let attacks = [
        ("four indicators on one series", one_indicator_plan()),
        ("weight 0.2", attack_plan(0.2)),
        ("weight 0.3", attack_plan(0.3)),
    ];
    for (what, text) in &attacks {
        match lead.trial_plan("attack.toml", text, Some(0)).await {
            Err(AppError::Denied(m)) => {
                assert!(m.contains(SERIES) && m.contains("数据授权"), "{what}: the refusal says why: {m}")
            }
            Err(e) => panic!("{what}: refused for another reason: {e}"),
            Ok(t) => {
                let worst = recovery_error(&indicator_scores(&t.result), &truth);
                panic!("{what}: a trial without a grant ran; DEBT_RATIO recoverable to {worst:?} of its range");
            }
        }
    }
    // Saved as a draft, the plan cannot be submitted either; the lint names the series.
    lead.save_draft("attack.toml", &attacks[1].1).await.unwrap();
    let err = lead.submit_plan(2024, 3).await.unwrap_err().to_string();
    assert!(err.contains("confidential-without-grant") && err.contains(SERIES), "{err}");

    // 工信厅 asks; 财政厅 gives. The lead now sees what the grant allows: the trial.
    let id = lead.request_grant(2024, 3, SERIES, "评价工业企业负担需要").await.unwrap();
    let err = lead.decide_grant(id, GrantStatus::Granted, "自己同意").await.unwrap_err();
    assert!(matches!(err, AppError::Denied(_)), "the lead cannot grant itself: {err}");
    czt(&office).decide_grant(id, GrantStatus::Granted, "湘财函〔2024〕12号").await.unwrap();
    let t = lead.trial_plan("attack.toml", &attacks[0].1, Some(0)).await.unwrap();
    let worst = recovery_error(&composite(&t.result), &truth).unwrap();
    assert!(worst < 0.1, "with the grant the one-series trial shows the values (to {worst:.3} of the range)");
    let drivers = lead.trial_plan("drivers.toml", &attacks[1].1, Some(0)).await.unwrap();
    let worst = recovery_error(&indicator_scores(&drivers.result), &truth).unwrap();
    assert!(worst < 0.1, "with the grant the indicator's scores show the values (to {worst:.3} of the range)");
    // Two plans differing in one weight: the difference of the composites isolates DEBT_RATIO.
    let a = lead.trial_plan("a.toml", &attacks[1].1, Some(0)).await.unwrap();
    let b = lead.trial_plan("b.toml", &attacks[2].1, Some(0)).await.unwrap();
    assert!(!composite(&a.result).is_empty() && !composite(&b.result).is_empty());

    // Revoked: refused again, and the audit log has the whole story.
    czt(&office).decide_grant(id, GrantStatus::Revoked, "湘财函〔2024〕15号：评价结束").await.unwrap();
    let err = lead.trial_plan("attack.toml", &attacks[0].1, Some(0)).await.unwrap_err();
    assert!(matches!(err, AppError::Denied(_)), "{err}");
    let events = office.audit_events().await.unwrap();
    let object = format!("grant/{id}");
    let actions: Vec<&str> = events.iter().filter(|e| e.subject == object).map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["grant.request", "grant.granted", "grant.revoked"]);
}

/// The same attacks through a veto: a veto on `DEBT_RATIO` would tell the lead which units
/// exceed a threshold it chooses (bisection recovers every value). Refused without a grant.
#[tokio::test]
async fn a_veto_on_a_confidential_series_is_a_read_too() {
    let office = common::demo_app().await;
    let (_, text) = jili_app::bundled::PLANS[2];
    let veto = format!(
        "{text}\n[[vetoes]]\nwhen = {{ series = \"{SERIES}\", above = 100 }}\nreason = \"债务率过高\"\nbasis = \"测试\"\n"
    );
    let err = gxt(&office).trial_plan("veto.toml", &veto, Some(0)).await;
    match err {
        Err(AppError::Denied(m)) => assert!(m.contains(SERIES), "{m}"),
        Err(e) => panic!("refused for another reason (fix the test's plan): {e}"),
        Ok(_) => panic!("a trial with a veto on an ungranted confidential series ran"),
    }
}

/// The public's attack: with the published plan and the published data it can compute every
/// public indicator's score, so a published composite would leave the confidential part as the
/// difference. A plan whose indicators read a confidential series publishes no score at all;
/// vetoed units (whose veto may rest on a confidential series) are counted, not named (where a
/// programme names them: see the unit tests of `publish`).
#[tokio::test]
async fn the_public_can_read_no_score_that_rests_on_confidential_data_nor_who_was_vetoed() {
    let db = common::demo_db().await;
    let office = App::open(&db.url(), "测试").await.unwrap();
    let catalogue = office.catalogue().await.unwrap();
    let public = office.acting_as(Principal::public());
    common::publish(&office, Some(2024), "").await.unwrap();
    let p = public.published(Some(2024)).await.unwrap().unwrap();
    let mut withheld = 0;
    for m in &p.body.measures {
        let plan = office.plan_in_force(2024, m.measure).await.unwrap().plan;
        let confidential = plan.indicators.iter().any(|i| catalogue.series(&i.series).is_some_and(|s| !s.public));
        assert_eq!(m.scores_withheld, confidential, "measure {}", m.measure);
        let shown = m.winners.iter().chain(m.ranking.iter().flatten()).chain(&m.vetoed);
        if confidential {
            withheld += 1;
            for u in shown {
                assert!(u.score.is_none(), "measure {}: {} published with a score", m.measure, u.name);
            }
        }
        assert!(m.vetoed.is_empty(), "measure {}: vetoed units named by default", m.measure);
    }
    assert!(withheld >= 3, "several demo plans read confidential series ({withheld})");
    assert!(p.body.measures.iter().any(|m| m.vetoed_count > 0));
}

/// A lead department reads the office's results of its own measures with every unit's
/// explanation, as the office does; not another department's, and a unit not at all. When a
/// grant its plan rests on is revoked, the lead's view keeps the list of runs but loses every
/// score, rank, gap and cut-off: nothing from which the confidential values could be computed.
#[tokio::test]
async fn a_lead_reads_its_own_measures_results_explained_while_its_grants_stand() {
    let db = common::demo_db().await;
    let office = App::open(&db.url(), "测试").await.unwrap();
    let fgw = as_role(&office, "wang.fgw", Role::Lead("FGW".into()));
    let mine = fgw.led_measures(Some(2024)).await.unwrap();
    let numbers: Vec<u32> = mine.iter().map(|m| m.measure).collect();
    assert_eq!(numbers, [1, 2, 8, 9, 11, 12, 15], "FGW's measures");
    assert!(mine.iter().all(|m| m.latest.is_some()), "the demo ran every measure");

    let seen = fgw.measure_results(Some(2024), 11, None).await.unwrap();
    let as_office = office.measure_results(Some(2024), 11, None).await.unwrap();
    // What the office sees of the measure, except the stored values behind the scores.
    let office_view = as_office.shown.as_ref().unwrap();
    assert!(office_view.units.iter().any(|u| u.detail.indicators.iter().any(|i| !i.readings.is_empty())));
    let detail = seen.shown.as_ref().unwrap();
    for (lead, off) in detail.units.iter().zip(&office_view.units) {
        assert_eq!((&lead.code, &lead.result), (&off.code, &off.result));
        assert!(lead.detail.indicators.iter().all(|i| i.readings.is_empty() && i.range.is_none()), "{}", lead.name);
        assert_eq!(lead.detail.clone(), off.detail.clone().without_raw_values());
    }
    assert_eq!(detail.units.len(), detail.run.units);
    let losers: Vec<_> = detail.units.iter().filter(|u| !u.result.winner && u.result.score.is_some()).collect();
    assert!(!losers.is_empty());
    for u in &losers {
        assert!(u.result.gap.is_some() && !u.result.lowers.is_empty() || u.result.outcome == "一票否决", "{u:?}");
        assert_eq!(u.detail.indicators.len(), detail.indicators.len(), "{}: every indicator explained", u.name);
    }

    // Not another department's measure; a unit reads only its own results.
    let err = fgw.measure_results(Some(2024), 3, None).await.unwrap_err();
    assert!(matches!(err, AppError::Denied(_)), "{err}");
    let unit = as_role(&office, "cs", Role::Unit("430100".into()));
    assert!(matches!(unit.measure_results(Some(2024), 11, None).await, Err(AppError::Denied(_))));
    assert!(matches!(unit.led_measures(Some(2024)).await, Err(AppError::Denied(_))));

    // 市场监管局 revokes the grant for ACTIVE_ENTERPRISE_RATE in measure 11.
    let grant = office.grants(Some(2024)).await.unwrap();
    let grant = grant.iter().find(|g| g.measure == 11 && g.series == "ACTIVE_ENTERPRISE_RATE").unwrap();
    let scj = as_role(&office, "zhao.scj", Role::Provider("SCJ".into()));
    scj.decide_grant(grant.id, GrantStatus::Revoked, "测试：撤销").await.unwrap();
    let after = fgw.measure_results(Some(2024), 11, None).await.unwrap();
    assert!(after.withheld.iter().any(|w| w.contains("ACTIVE_ENTERPRISE_RATE")), "{:?}", after.withheld);
    let detail = after.shown.unwrap();
    assert!(detail.units.is_empty(), "no unit's score or rank after the revocation");
    assert!(detail.groups.iter().all(|g| g.cutoff.is_none()), "no cut-off score either");
    assert_eq!(after.runs, seen.runs, "the list of runs stays");
    // The office still reads everything.
    let office_after = office.measure_results(Some(2024), 11, None).await.unwrap();
    assert!(office_after.withheld.is_empty() && !office_after.shown.unwrap().units.is_empty());
}
