//! Importing batches (`import_batch`, the demo's path) and providers' files (`import_file`, what
//! `jili import` calls, on a database made by `init`): checks reject the whole batch; a changed
//! value becomes a revision with a reason; a 快报 never replaces a 年报; runs are reproduced as of
//! an earlier batch; a revision that changes a selection is flagged above everything else.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use jili_app::access::{Principal, Role};
use jili_app::engine::{Outcome, RunResult};
use jili_app::governance::access_export::AccessFilter;
use jili_app::intake::Severity;
use jili_app::{App, ImportRequest, MappingSource, RunRequest};
use jili_model::{Batch, Decimal, Observation, Status};
use jili_testkit::TestDb;
use std::str::FromStr;

fn batch(provider: &str, observations: Vec<Observation>) -> Batch {
    Batch { provider: provider.into(), source: "测试.xlsx".into(), demo: false, observations }
}

#[tokio::test]
async fn a_bad_row_rejects_the_whole_batch() {
    let (_db, app) = common::reference_app().await;
    let good = observation("GDP", "430102", 2024, "1500.5");
    let cases = [
        (batch("TJJ", vec![good.clone(), observation("GDP", "439999", 2024, "1")]), "单位代码“439999”不存在"),
        (batch("TJJ", vec![good.clone(), observation("NO_SUCH", "430102", 2024, "1")]), "数据项“NO_SUCH”不在目录中"),
        (batch("TJJ", vec![good.clone(), good.clone()]), "重复出现"),
        // 无扰评价: a department sends only the series it owns.
        (batch("TJJ", vec![good.clone(), observation("SAFETY_MAJOR_ACCIDENTS", "430102", 2024, "0")]), "属于 YJT"),
        (batch("NOPE", vec![good.clone()]), "不是数据提供部门"),
    ];
    for (b, expected) in cases {
        let err = app.import_batch(&b).await.unwrap_err().to_string();
        assert!(err.contains(expected) && err.contains("测试.xlsx"), "{err}");
        assert!(app.raw_store().observations().await.unwrap().is_empty(), "nothing stored after: {expected}");
        assert!(app.raw_store().batches().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_new_value_is_a_revision_and_the_old_one_is_kept() {
    let (_db, app) = common::reference_app().await;
    let first = app
        .import_batch(&batch(
            "TJJ",
            vec![observation("GDP", "430102", 2024, "1500.5"), observation("GDP", "430103", 2024, "900")],
        ))
        .await
        .unwrap();
    assert_eq!((first.new, first.revised, first.unchanged), (2, 0, 0));
    let second = app
        .import_batch(&batch(
            "TJJ",
            vec![observation("GDP", "430102", 2024, "1600"), observation("GDP", "430103", 2024, "900.00")],
        ))
        .await
        .unwrap();
    assert_eq!((second.new, second.revised, second.unchanged), (0, 1, 1));
    let current = app.raw_store().observations().await.unwrap();
    let furong = current.iter().find(|o| o.observation.unit == "430102").unwrap();
    assert_eq!(furong.observation.value, Decimal::from(1600));
    assert_eq!(furong.revision, 2);
    assert_eq!(furong.batch_id, second.batch_id);
    let events = app.raw_store().audit_events().await.unwrap();
    assert!(events.last().unwrap().detail.contains("修订 1"));
    let report = app.raw_store().verify_audit().await.unwrap();
    assert!(report.is_intact(), "{:?}", report.problems);
}

#[tokio::test]
async fn the_demo_never_wipes_real_data() {
    let (_db, app) = common::reference_app().await;
    app.import_batch(&batch("TJJ", vec![observation("GDP", "430102", 2024, "1500.5")])).await.unwrap();
    let err = app.build_demo(&|_| {}).await.unwrap_err().to_string();
    assert!(err.contains("已有 1 个正式数据批次") && err.contains("--db"), "{err}");
    assert_eq!(app.raw_store().batches().await.unwrap().len(), 1, "nothing was cleared");
}

// ---------------------------------------------------------------------------------------------
// Providers' files, as `jili import` reads them: App::import_file on a database made by `init`.

/// GDP of the 14 市州 (亿元), in CITIES order: any plausible figures.
const GDP: [&str; 14] = [
    "15268.8", "4000.1", "3000.2", "4500.3", "2800.4", "5100.5", "4800.6", "700.7", "2200.8", "3200.9", "2600.1",
    "2100.2", "1900.3", "800.4",
];

/// A fresh in-memory database after `jili init`: reference data, the programme, the 20 example
/// plans, no data.
async fn init_app() -> App {
    let app = App::open("sqlite::memory:", "测试").await.unwrap();
    let summary = app.init().await.unwrap();
    assert_eq!((summary.programmes, summary.plans), (1, 20));
    app
}

/// A long table (地区,指标,年份,数值) of one series and year, one row per (unit name, value).
fn long(series: &str, year: i32, rows: &[(&str, &str)]) -> String {
    let mut text = String::from("地区,指标,年份,数值\n");
    for (unit, value) in rows {
        text.push_str(&format!("{unit},{series},{year},{value}\n"));
    }
    text
}

/// The 14 市州's GDP of `year`, with some cells replaced: (index in CITIES, cell text).
fn gdp_file(year: i32, replace: &[(usize, &str)]) -> String {
    let rows: Vec<(&str, &str)> = CITIES
        .iter()
        .zip(GDP)
        .enumerate()
        .map(|(i, ((_, name), v))| (*name, replace.iter().find(|(j, _)| *j == i).map_or(v, |(_, x)| *x)))
        .collect();
    long("地区生产总值", year, &rows)
}

fn with_reason(mut r: ImportRequest, reason: &str) -> ImportRequest {
    r.reason = Some(reason.into());
    r
}

use common::{CITIES, all_lines, codes, import, observation, request};

/// Current values of one series as (unit, period, value text).
async fn values_of(app: &App, series: &str) -> Vec<(String, String, String)> {
    app.raw_store()
        .observations_of(&[series])
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.observation.unit.to_string(), s.observation.period.to_string(), s.observation.value.to_string()))
        .collect()
}

#[tokio::test]
async fn a_bad_cell_rejects_the_whole_file_and_says_where_it_is() {
    let app = init_app().await;
    // 13 good rows and one text in a number cell (岳阳市, the 7th line with the header).
    let out = import(&app, &request("湖南2024.csv", &gdp_file(2024, &[(5, "约5100")]), "TJJ")).await;
    assert!(out.rejected(), "{}", all_lines(&out));
    assert_eq!(out.stored, None);
    assert!(app.raw_store().batches().await.unwrap().is_empty(), "no batch after a rejected file");
    assert!(app.raw_store().observations().await.unwrap().is_empty(), "none of the 13 good values is stored");
    let bad = out.findings.iter().find(|f| f.code == "text-in-number").expect("the bad cell is an error");
    assert_eq!(bad.severity, Severity::Error);
    assert_eq!(bad.at.file, "湖南2024.csv");
    assert_eq!((bad.at.line, bad.at.column), (Some(7), Some(4)), "row 7, column 4 (数值)");
    assert_eq!(bad.cell.as_deref(), Some("约5100"), "the cell is quoted as written");
    let line = bad.line();
    assert!(line.contains("湖南2024.csv") && line.contains("第 7 行") && line.contains("“约5100”"), "{line}");

    // With values already stored, a rejected file leaves them, the batches and the audit chain as they were.
    let clean = import(&app, &request("湖南2023.csv", &gdp_file(2023, &[]), "TJJ")).await;
    assert!(clean.stored.is_some(), "{}", all_lines(&clean));
    let (values, batches, events) = (
        app.raw_store().observations().await.unwrap(),
        app.raw_store().batches().await.unwrap(),
        app.raw_store().audit_events().await.unwrap().len(),
    );
    let mut text = gdp_file(2023, &[(0, "15300")]);
    text.push_str("岳阳市,地区生产总值,2022,五千\n");
    let out = import(&app, &with_reason(request("更正.csv", &text, "TJJ"), "年报更正")).await;
    assert!(codes(&out, Severity::Error).contains(&"text-in-number"), "{}", all_lines(&out));
    assert_eq!(
        app.raw_store().observations().await.unwrap(),
        values,
        "the good revision in the same file is not stored"
    );
    assert_eq!(app.raw_store().batches().await.unwrap(), batches);
    assert_eq!(app.raw_store().audit_events().await.unwrap().len(), events, "nothing audited: nothing changed");
}

#[tokio::test]
async fn a_dry_run_stores_nothing_and_a_clean_import_stores_the_batch_and_audits_it() {
    let app = init_app().await;
    let text = gdp_file(2024, &[]);
    let mut dry = request("gdp.csv", &text, "TJJ");
    dry.dry_run = true;
    let out = import(&app, &dry).await;
    assert!(!out.rejected(), "{}", all_lines(&out));
    assert_eq!((out.stored, out.rows, out.values, out.new), (None, 14, 14, 14));
    assert!(app.raw_store().batches().await.unwrap().is_empty());
    assert!(app.raw_store().observations().await.unwrap().is_empty());
    assert!(app.raw_store().mappings().await.unwrap().is_empty(), "a dry run saves no mapping either");

    let out = import(&app, &request("gdp.csv", &text, "TJJ")).await;
    let id = out.stored.expect("a clean file is stored");
    assert_eq!((out.new, out.revised, out.unchanged), (14, 0, 0));
    let batches = app.raw_store().batches().await.unwrap();
    assert_eq!(batches.len(), 1);
    let b = &batches[0];
    assert_eq!((b.id, b.provider.as_str(), b.source.as_str(), b.rows, b.demo), (id, "TJJ", "gdp.csv", 14, false));
    let stored = app.raw_store().observations().await.unwrap();
    assert_eq!(stored.len(), 14);
    for ((code, _), value) in CITIES.iter().zip(GDP) {
        let o = stored.iter().find(|s| s.observation.unit == *code).unwrap();
        assert_eq!(o.observation.value.to_string(), value, "{code} kept exactly as sent");
        assert_eq!((o.observation.series.as_str(), o.observation.period.to_string()), ("GDP", "2024".to_string()));
        assert_eq!((o.revision, o.batch_id, o.observation.status), (1, id, Status::Final));
    }
    let events = app.raw_store().audit_events().await.unwrap();
    let last = events.last().unwrap();
    assert!(last.detail.contains("gdp.csv") && last.detail.contains("新增 14"), "{}", last.detail);
    let report = app.raw_store().verify_audit().await.unwrap();
    assert!(report.is_intact(), "{:?}", report.problems);
}

#[tokio::test]
async fn a_revision_needs_a_reason_and_keeps_the_old_value() {
    let app = init_app().await;
    let first = import(&app, &request("快报.csv", &gdp_file(2024, &[]), "TJJ")).await;
    assert!(first.stored.is_some(), "{}", all_lines(&first));
    let changed = gdp_file(2024, &[(0, "15300")]);

    let out = import(&app, &request("年报.csv", &changed, "TJJ")).await;
    assert_eq!(codes(&out, Severity::Error), ["revision-without-reason"], "{}", all_lines(&out));
    assert_eq!(out.stored, None);
    assert_eq!(app.raw_store().batches().await.unwrap().len(), 1);
    // A reason of blanks is no reason.
    let out = import(&app, &with_reason(request("年报.csv", &changed, "TJJ"), "  ")).await;
    assert_eq!(codes(&out, Severity::Error), ["revision-without-reason"]);

    let out = import(&app, &with_reason(request("年报.csv", &changed, "TJJ"), "年报终审数据")).await;
    let id = out.stored.expect("with a reason the revision is stored");
    assert_eq!((out.new, out.revised, out.unchanged), (0, 1, 13));
    let notice = out.findings.iter().find(|f| f.code == "revision").unwrap();
    assert!(notice.message.contains("15268.8") && notice.message.contains("15300"), "{}", notice.message);
    assert_eq!(notice.at.line, Some(2));

    let history = app.history("GDP", "430100", "2024").await.unwrap();
    let seen: Vec<(i64, &str, &str, &str)> =
        history.iter().map(|r| (r.revision, r.value.as_str(), r.reason.as_str(), r.source.as_str())).collect();
    assert_eq!(seen, [(1, "15268.8", "", "快报.csv"), (2, "15300", "年报终审数据", "年报.csv")]);
    assert_eq!(history[1].batch_id, id);
    assert_eq!(app.history("GDP", "430200", "2024年").await.unwrap().len(), 1, "an unchanged value has one version");
    let batch = app.raw_store().batches().await.unwrap().into_iter().find(|b| b.id == id).unwrap();
    assert_eq!((batch.revised, batch.reason.as_str()), (1, "年报终审数据"));

    // The same file again: nothing new, nothing revised, no reason needed.
    let again = import(&app, &request("年报.csv", &changed, "TJJ")).await;
    assert!(!again.rejected(), "{}", all_lines(&again));
    assert_eq!((again.new, again.revised, again.unchanged), (0, 0, 14));
    assert_eq!(app.history("GDP", "430100", "2024").await.unwrap().len(), 2);
    let report = app.raw_store().verify_audit().await.unwrap();
    assert!(report.is_intact(), "{:?}", report.problems);
}

#[tokio::test]
async fn a_preliminary_value_never_replaces_a_final_one() {
    let app = init_app().await;
    let out = import(&app, &request("年报.csv", &gdp_file(2024, &[]), "TJJ")).await;
    assert!(out.stored.is_some(), "{}", all_lines(&out));
    let mut late = with_reason(request("快报.csv", &gdp_file(2024, &[(3, "4600")]), "TJJ"), "新快报");
    late.status = Status::Preliminary;
    let out = import(&app, &late).await;
    assert_eq!(codes(&out, Severity::Error), ["preliminary-over-final"], "{}", all_lines(&out));
    let f = &out.findings[0];
    assert_eq!(f.at.line, Some(5), "衡阳市's row");
    assert!(f.message.contains("4500.3") && f.message.contains("4600"), "{}", f.message);
    assert_eq!(app.history("GDP", "430400", "2024").await.unwrap().len(), 1);
    assert_eq!(app.raw_store().batches().await.unwrap().len(), 1);

    // The other way round is the usual course: a 年报 revises a 快报.
    let mut early = request("快报.csv", &gdp_file(2023, &[]), "TJJ");
    early.status = Status::Preliminary;
    assert!(import(&app, &early).await.stored.is_some());
    let final_ = with_reason(request("年报.csv", &gdp_file(2023, &[(3, "4600")]), "TJJ"), "年报");
    let out = import(&app, &final_).await;
    assert_eq!((out.stored.is_some(), out.revised), (true, 1), "{}", all_lines(&out));
    let h = app.history("GDP", "430400", "2023").await.unwrap();
    assert_eq!(h.iter().map(|r| r.status.as_str()).collect::<Vec<_>>(), ["preliminary", "final"]);
}

// Was a bug: a 年报 that confirms a 快报 value unchanged is counted "unchanged" and not stored, so the
// value stays marked 快报 (preliminary); a later 快报 then replaces what is in fact a confirmed 年报
// figure, which "a 快报 never replaces a 年报" forbids.
// Input: 快报 file GDP 长沙市 2024 = 15268.8; then the same value as 年报; then a 快报 15300 with a reason.
// Expected: after the 年报, the current value's status is final; the last file is rejected with
// "preliminary-over-final". Actual: status stays preliminary and the 快报 15300 is stored as revision 2.
#[tokio::test]
async fn fixed_a_final_value_equal_to_the_preliminary_one_makes_it_final() {
    let app = init_app().await;
    let mut early = request("快报.csv", &gdp_file(2024, &[]), "TJJ");
    early.status = Status::Preliminary;
    assert!(import(&app, &early).await.stored.is_some());
    let confirm = import(&app, &request("年报.csv", &gdp_file(2024, &[]), "TJJ")).await;
    assert!(confirm.stored.is_some(), "{}", all_lines(&confirm));
    let mut late = with_reason(request("新快报.csv", &gdp_file(2024, &[(0, "15300")]), "TJJ"), "新快报");
    late.status = Status::Preliminary;
    let out = import(&app, &late).await;
    let current = app.raw_store().observations_of(&["GDP"]).await.unwrap();
    let changsha = current.iter().find(|o| o.observation.unit == "430100").unwrap();
    assert_eq!(
        codes(&out, Severity::Error),
        ["preliminary-over-final"],
        "a 快报 replaced the 年报-confirmed value; stored status now {:?}, value {}",
        changsha.observation.status,
        changsha.observation.value
    );
}

/// A private copy of the demo database (the run's template, see `common::demo_template`).
fn demo_copy() -> TestDb {
    TestDb::from_template(&common::demo_template())
}

/// The current values of a series for the 14 市州 in `period`, as (code, name, value).
async fn city_values(app: &App, series: &str, period: &str) -> Vec<(String, String, Decimal)> {
    let catalogue = app.catalogue().await.unwrap();
    let stored = app.raw_store().observations_of(&[series]).await.unwrap();
    CITIES
        .iter()
        .map(|(code, name)| {
            let o = stored
                .iter()
                .find(|s| s.observation.unit == *code && s.observation.period.to_string() == period)
                .unwrap_or_else(|| panic!("the demo has {series} {code} {period}"));
            assert_eq!(catalogue.unit(code).unwrap().name, *name);
            (code.to_string(), name.to_string(), o.observation.value)
        })
        .collect()
}

/// A 2024 file of the 14 市州's values of one series, with `unit`'s value replaced by `new`.
fn revised_file(series_name: &str, values: &[(String, String, Decimal)], unit: &str, new: Decimal) -> String {
    let cells: Vec<(String, String)> = values
        .iter()
        .map(|(code, name, v)| (name.clone(), if code == unit { new.to_string() } else { v.to_string() }))
        .collect();
    let rows: Vec<(&str, &str)> = cells.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    long(series_name, 2024, &rows)
}

fn json(r: &RunResult) -> String {
    serde_json::to_string(r).unwrap()
}

#[tokio::test]
async fn a_run_from_before_a_revision_is_reproduced_as_of_its_batch() {
    let db = demo_copy();
    let app = App::open(&db.url(), "测试").await.unwrap();
    let zero = RunRequest { samples: Some(0), ..RunRequest::default() };
    let original = app.run(3, &zero).await.unwrap();
    let before = app.raw_store().last_batch().await.unwrap();
    assert!(before > 0);
    assert_eq!(app.resolve_as_of(&format!("run:{}", original.id)).await.unwrap(), before, "a run records its batch");

    // 株洲市's GDP revised by 0.5% (its counties still add up within 1%): measure 3 reads GDP as
    // the denominator of 制造业增加值占比.
    let gdp = city_values(&app, "GDP", "2024").await;
    let old = gdp[1].2;
    let new = (old * Decimal::from_str("1.005").unwrap()).round_dp(2);
    let text = revised_file("地区生产总值", &gdp, "430200", new);
    let out = import(&app, &with_reason(request("GDP年报.csv", &text, "TJJ"), "年报终审")).await;
    let batch = out.stored.unwrap_or_else(|| panic!("{}", all_lines(&out)));
    assert_eq!(
        (out.revised, out.confirmed, out.unchanged),
        (1, 13, 0),
        "the demo's 2024 values are 快报; the 年报 file confirms 13"
    );
    assert!(batch > before);

    let now = app.run(3, &zero).await.unwrap();
    assert_ne!(json(&now.result), json(&original.result), "the revision changes the result on current data");
    assert_ne!(now.data_sha256, original.data_sha256);
    let replay = app.run(3, &RunRequest { as_of: Some(before), ..zero }).await.unwrap();
    assert_eq!(json(&replay.result), json(&original.result), "as of the earlier batch, the same result");
    assert_eq!((replay.data_sha256, replay.result_sha256), (original.data_sha256.clone(), original.result_sha256));
    // The replay records the batch it read, so it can itself be replayed.
    assert_eq!(app.resolve_as_of(&format!("run:{}", replay.id)).await.unwrap(), before);
    assert_eq!(app.resolve_as_of(&format!("run:{}", now.id)).await.unwrap(), batch);
    assert_eq!(app.resolve_as_of(&format!("batch:{before}")).await.unwrap(), before);
    // A date: the last batch imported by the end of that day.
    let today = &jili_app::clock::now_utc()[..10];
    assert_eq!(app.resolve_as_of(today).await.unwrap(), batch);
    assert!(app.resolve_as_of("2000-01-01").await.is_err(), "nothing was imported by then");
    for bad in ["batch:x", "run:", "yesterday", "2025/03/31"] {
        assert!(app.resolve_as_of(bad).await.is_err(), "{bad}");
    }
    let err = app.resolve_as_of("run:9999").await.unwrap_err().to_string();
    assert!(err.contains("9999"), "{err}");
}

// Was a bug: `--as-of batch:N` accepts a batch that does not exist (batch:999 in a database with 24
// batches, or batch:-5): the run is evaluated (on all data, or on none) and recorded with
// data_batch = N, so replaying it later (`--as-of run:ID`) reads whatever batches exist by then.
// Expected: an error naming the batch. Actual: Ok, a run recorded as of batch 999.
#[tokio::test]
async fn fixed_as_of_a_batch_that_does_not_exist_is_refused() {
    let db = demo_copy();
    let app = App::open(&db.url(), "测试").await.unwrap();
    let last = app.raw_store().last_batch().await.unwrap();
    for text in [format!("batch:{}", last + 975), "batch:-5".to_string()] {
        let resolved = app.resolve_as_of(&text).await;
        let run = match resolved {
            Err(_) => continue,
            Ok(b) => app.run(3, &RunRequest { samples: Some(0), as_of: Some(b), ..RunRequest::default() }).await,
        };
        assert!(run.is_err(), "--as-of {text} (the last batch is {last}) was accepted and recorded as a run");
    }
}

#[tokio::test]
async fn a_revision_that_moves_a_unit_across_the_cutoff_is_flagged_above_all() {
    let db = demo_copy();
    let app = App::open(&db.url(), "测试").await.unwrap();
    let zero = RunRequest { samples: Some(0), ..RunRequest::default() };
    let before = app.run(3, &zero).await.unwrap().result;
    let group = before.groups.iter().find(|g| g.id == "市州").unwrap();
    // The best 市州 that is not selected (and not vetoed): just below the cut-off.
    let mut below: Vec<_> = before
        .units
        .iter()
        .filter(|u| u.group.as_deref() == Some("市州") && u.outcome == Outcome::NotSelected)
        .collect();
    below.sort_by_key(|u| u.rank);
    let near = below[0];
    assert!(near.gap.unwrap() > 0.0 && !group.winners.contains(&near.code));
    let growth = city_values(&app, "IND_VA_GROWTH", "2024").await;
    let max = growth.iter().map(|(_, _, v)| *v).max().unwrap();

    // A small revision of a unit that changes no selection raises no such flag.
    let (code, _, v) = growth.iter().find(|(c, _, v)| *v != max && *c != near.code && *v > Decimal::ONE).unwrap();
    let small = revised_file("规模以上工业增加值增速", &growth, code, *v + Decimal::from_str("0.01").unwrap());
    let mut dry = with_reason(request("小修订.csv", &small, "TJJ"), "核实");
    dry.dry_run = true;
    let out = import(&app, &dry).await;
    assert!(!out.rejected(), "{}", all_lines(&out));
    assert_eq!(out.revised, 1);
    assert!(!out.findings.iter().any(|f| f.code == "crosses-cutoff" || f.prominent), "{}", all_lines(&out));

    // Raising the unit's growth above every other 市州's makes it a winner.
    let raised = max + Decimal::from(5);
    let text = revised_file("规模以上工业增加值增速", &growth, &near.code, raised);
    let mut dry = with_reason(request("修订.csv", &text, "TJJ"), "核实更正");
    dry.dry_run = true;
    let out = import(&app, &dry).await;
    assert!(!out.rejected(), "{}", all_lines(&out));
    let flag = out
        .findings
        .iter()
        .find(|f| f.code == "crosses-cutoff" && f.message.contains(&near.name))
        .unwrap_or_else(|| panic!("no cut-off flag for {}:\n{}", near.name, all_lines(&out)));
    assert!(flag.prominent && flag.severity == Severity::Flag);
    assert!(flag.message.contains("措施 3") && flag.message.contains("入选"), "{}", flag.message);
    let row = CITIES.iter().position(|(c, _)| *c == near.code).unwrap() + 2;
    assert_eq!(flag.at.line, Some(row as u32), "the flag points at the revised cell");
    // Prominent flags come before every other flag and notice.
    let first_plain = out.findings.iter().position(|f| !f.prominent).unwrap_or(out.findings.len());
    assert!(out.findings[..first_plain].iter().all(|f| f.prominent));
    assert!(out.findings[first_plain..].iter().all(|f| !f.prominent));
    assert!(out.findings[0].prominent, "{}", all_lines(&out));
    assert!(app.flags(None).await.unwrap().iter().all(|f| f.code != "crosses-cutoff"), "a dry run keeps no flag");

    // The same dry run by 统计局 itself: it learns nothing of the cut-off (no such finding, no
    // unit named, no rank); the office finds the crossing in the access log's record of it.
    let tjj = app.acting_as(Principal { name: "wang.tjj".into(), role: Role::Provider("TJJ".into()) });
    let out = import(&tjj, &dry).await;
    assert!(!out.rejected(), "{}", all_lines(&out));
    let told = all_lines(&out);
    assert!(!out.findings.iter().any(|f| f.code == "crosses-cutoff" || f.prominent), "{told}");
    assert!(!told.contains("入选") && !told.contains("名"), "the provider was told about the cut-off:\n{told}");
    let log = app.search_access(&AccessFilter { event: "dry_run".into(), ..AccessFilter::default() }).await.unwrap();
    let entry =
        log.entries.iter().find(|e| e.entry.user_name == "wang.tjj").unwrap_or_else(|| panic!("{:#?}", log.entries));
    let detail = &entry.entry.detail;
    assert!(detail.contains("越线疑点 ") && detail.contains(&near.name), "{detail}");

    // Stored with its reason, the flag stays with the batch for reviewers.
    let out = import(&app, &with_reason(request("修订.csv", &text, "TJJ"), "核实更正")).await;
    let batch = out.stored.unwrap_or_else(|| panic!("{}", all_lines(&out)));
    let flags = app.flags(Some(batch)).await.unwrap();
    let kept = flags.iter().find(|f| f.code == "crosses-cutoff" && f.unit == near.code).unwrap();
    assert!(kept.prominent);
    assert_eq!((kept.series.as_str(), kept.period.as_str(), kept.batch_id), ("IND_VA_GROWTH", "2024", batch));
    assert!(kept.message.contains(&near.name) && kept.message.contains("措施 3"), "{}", kept.message);
    // 统计局's own list of its flags leaves the crossing out; the office's has it.
    let own = tjj.flags_of("TJJ").await.unwrap();
    assert!(own.iter().all(|(f, _)| f.code != "crosses-cutoff"), "the provider sees the crossing");
    assert!(app.flags_of("TJJ").await.unwrap().iter().any(|(f, _)| f.code == "crosses-cutoff"));
    // And the flag told the truth: the unit now wins.
    let after = app.run(3, &zero).await.unwrap().result;
    let now = after.units.iter().find(|u| u.code == near.code).unwrap();
    assert_eq!(now.outcome, Outcome::Winner);
}

#[tokio::test]
async fn a_mapping_given_once_is_saved_and_reused_for_the_same_shape() {
    let app = init_app().await;
    let file = |year: i32| {
        let mut text = String::from("区域,项目,口径,值\n");
        for (i, (_, name)) in CITIES.iter().enumerate() {
            text.push_str(&format!("{name},社会消费品零售总额,{year},{}\n", 1000 + i * 37));
        }
        text
    };
    // Detection cannot tell what these headers are.
    let out = import(&app, &request("零售2024.csv", &file(2024), "TJJ")).await;
    assert!(out.rejected());
    assert_eq!(codes(&out, Severity::Error), ["no-unit-column"], "{}", all_lines(&out));

    let mapping = jili_app::intake::Mapping::from_toml(
        "[columns]\nunit = \"区域\"\nseries = \"项目\"\nperiod = \"口径\"\nvalue = \"值\"\n",
    )
    .unwrap();
    let mut given = request("零售2024.csv", &file(2024), "TJJ");
    given.mapping = Some(mapping.clone());
    let out = import(&app, &given).await;
    assert!(out.stored.is_some(), "{}", all_lines(&out));
    assert_eq!((out.mapping_source, out.new), (MappingSource::Given, 14));
    assert_eq!(app.mappings().await.unwrap().len(), 1);

    // Next year's file of the same shape, no mapping given: the saved one is used.
    let out = import(&app, &request("零售2025.csv", &file(2023), "TJJ")).await;
    assert!(out.stored.is_some(), "{}", all_lines(&out));
    assert!(matches!(out.mapping_source, MappingSource::Saved(_)), "{:?}", out.mapping_source);
    assert_eq!(out.mapping, mapping);
    assert_eq!(out.new, 14);
    let stored = values_of(&app, "RETAIL_SALES").await;
    assert!(stored.contains(&("433100".into(), "2023".into(), (1000 + 13 * 37).to_string())), "{stored:?}");
    // Saved per provider: another department's file of that shape is not read with TJJ's mapping.
    let mut other = request("零售.csv", &file(2022), "CZT");
    other.dry_run = true;
    let out = import(&app, &other).await;
    assert_eq!(out.mapping_source, MappingSource::Detected);
    assert!(out.rejected());
}

#[tokio::test]
async fn a_file_that_leaves_out_a_unit_a_plan_evaluates_is_incomplete() {
    let app = init_app().await;
    let rows: Vec<(&str, &str)> =
        CITIES.iter().zip(GDP).map(|((_, n), v)| (*n, v)).filter(|(n, _)| *n != "衡阳市").collect();
    let out = import(&app, &request("缺衡阳.csv", &long("地区生产总值", 2024, &rows), "TJJ")).await;
    assert_eq!(codes(&out, Severity::Error), ["incomplete"], "{}", all_lines(&out));
    let f = out.findings.iter().find(|f| f.code == "incomplete").unwrap();
    assert!(f.message.contains("衡阳市") && f.message.contains("措施 3"), "{}", f.message);
    assert!(!f.message.contains("长沙市"), "only the missing 市州 are named: {}", f.message);
    assert!(app.raw_store().observations().await.unwrap().is_empty());

    // Listed with “—”: reported as having no value, not missing.
    let out = import(&app, &request("衡阳无数.csv", &gdp_file(2024, &[(3, "—")]), "TJJ")).await;
    assert!(!out.rejected(), "{}", all_lines(&out));
    assert_eq!((out.values, out.missing), (13, 1));
    assert!(out.stored.is_some());
    assert_eq!(values_of(&app, "GDP").await.len(), 13);

    // A year no plan evaluates is not checked for completeness.
    let out = import(&app, &request("2019.csv", &long("地区生产总值", 2019, &rows), "TJJ")).await;
    assert!(!out.rejected(), "{}", all_lines(&out));
}

// BUG (or an undocumented decision): completeness counts only the units in the file, not the
// values already stored, so a provider cannot correct one value without resending every unit a
// plan evaluates (14 市州, or all 122 县市区).
// Input: init; import GDP 2024 of all 14 市州; then a file with only 长沙市's GDP 2024 changed
// (15268.8 → 15300) and --reason. Expected: stored as one revision (nothing is missing after it).
// Actual: rejected with "incomplete": 缺少 株洲市、湘潭市 … 等 13 个, though all 13 are stored.
#[tokio::test]
async fn fixed_a_one_value_correction_is_not_incomplete() {
    let app = init_app().await;
    assert!(import(&app, &request("gdp.csv", &gdp_file(2024, &[]), "TJJ")).await.stored.is_some());
    let one = long("地区生产总值", 2024, &[("长沙市", "15300")]);
    let out = import(&app, &with_reason(request("更正.csv", &one, "TJJ"), "更正")).await;
    assert!(!codes(&out, Severity::Error).contains(&"incomplete"), "{}", all_lines(&out));
}

/// 株洲市's nine counties (no 管理区), in divisions order.
const ZHUZHOU_COUNTIES: [&str; 9] =
    ["荷塘区", "芦淞区", "石峰区", "天元区", "渌口区", "攸县", "茶陵县", "炎陵县", "醴陵市"];

#[tokio::test]
async fn counties_must_add_up_to_their_city_for_an_additive_series() {
    let app = init_app().await;
    let counties: Vec<i64> = (0..9).map(|i| 100_000 + i * 12_345).collect();
    let sum: i64 = counties.iter().sum();
    let file = |city: i64| {
        let mut rows = vec![("株洲市".to_string(), city.to_string())];
        rows.extend(ZHUZHOU_COUNTIES.iter().zip(&counties).map(|(n, v)| (n.to_string(), v.to_string())));
        let rows: Vec<(&str, &str)> = rows.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        long("地方一般公共预算收入", 2023, &rows)
    };
    let mut r = request("财政.csv", &file(sum * 110 / 100), "CZT");
    r.dry_run = true;
    let out = import(&app, &r).await;
    assert_eq!(codes(&out, Severity::Error), ["county-sum"], "{}", all_lines(&out));
    let f = out.findings.iter().find(|f| f.code == "county-sum").unwrap();
    assert!(f.message.contains("株洲市") && f.message.contains(&sum.to_string()), "{}", f.message);
    assert_eq!(f.at.line, Some(2), "the 市州's row");

    let mut r = request("财政.csv", &file(sum * 1005 / 1000), "CZT");
    r.dry_run = true;
    let out = import(&app, &r).await;
    assert!(!out.rejected(), "0.5% off is within the 1% tolerance: {}", all_lines(&out));

    // The counties alone, against a 市州 value already stored.
    assert!(
        import(&app, &request("市州.csv", &long("地方一般公共预算收入", 2022, &[("株洲市", "1000000")]), "CZT"))
            .await
            .stored
            .is_some()
    );
    let rows: Vec<(&str, &str)> = ZHUZHOU_COUNTIES.iter().map(|n| (*n, "100000")).collect();
    let out = import(&app, &request("县市区.csv", &long("地方一般公共预算收入", 2022, &rows), "CZT")).await;
    assert_eq!(codes(&out, Severity::Error), ["county-sum"], "900000 against a stored 1000000: {}", all_lines(&out));
}

#[tokio::test]
async fn values_in_another_measure_are_converted_exactly() {
    let app = init_app().await;
    let mut text = String::from("地区,年份,地区生产总值（万元）\n");
    let cells = ["152688123", "40001234.5", "30002"];
    for ((_, name), cell) in CITIES.iter().zip(cells) {
        text.push_str(&format!("{name},2023,{cell}\n"));
    }
    let out = import(&app, &request("万元.csv", &text, "TJJ")).await;
    assert!(out.stored.is_some(), "{}", all_lines(&out));
    let stored = values_of(&app, "GDP").await;
    let expected: Vec<(String, String, String)> =
        [("430100", "15268.8123"), ("430200", "4000.12345"), ("430300", "3.0002")]
            .iter()
            .map(|(u, v)| (u.to_string(), "2023".to_string(), v.to_string()))
            .collect();
    assert_eq!(stored, expected, "亿元 = 万元 / 10000, exactly");
}

#[tokio::test]
async fn a_department_imports_only_the_series_it_owns() {
    let app = init_app().await;
    let rows: Vec<(&str, &str)> = CITIES.iter().map(|(_, n)| (*n, "1000")).collect();
    let tax = long("税收收入", 2024, &rows);
    let out = import(&app, &request("税收.csv", &tax, "TJJ")).await;
    assert!(out.rejected());
    assert!(codes(&out, Severity::Error).iter().all(|c| *c == "not-owner"), "{}", all_lines(&out));
    let f = out.findings.iter().find(|f| f.code == "not-owner").unwrap();
    assert!(f.message.contains("CZT") && f.message.contains("TJJ"), "{}", f.message);
    assert!(app.raw_store().batches().await.unwrap().is_empty());
    // The owner may.
    assert!(import(&app, &request("税收.csv", &tax, "CZT")).await.stored.is_some());

    let err = app.import_file(&request("税收.csv", &tax, "XYZ"), &|_| {}).await.unwrap_err().to_string();
    assert!(err.contains("XYZ") && err.contains("TJJ 省统计局") && err.contains("CZT 省财政厅"), "{err}");
}

/// A department is named by its code in any case or by its name (`省统计局`, `湖南省统计局`):
/// the import is stored under its code, and a provider acting as itself may name itself either
/// way; users are given a department by name; a name that is no department is refused.
#[tokio::test]
async fn departments_are_named_by_code_or_name() {
    let app = init_app().await;
    for (i, provider) in ["省统计局", "tjj", "湖南省统计局"].iter().enumerate() {
        let out = import(&app, &request(&format!("gdp{i}.csv"), &gdp_file(2020 + i as i32, &[]), provider)).await;
        assert!(out.stored.is_some(), "{provider}: {}", all_lines(&out));
    }
    let batches = app.batches().await.unwrap();
    assert!(batches.iter().rev().take(3).all(|b| b.provider == "TJJ"), "{batches:?}");
    let tjj = app.acting_as(Principal { name: "wang".into(), role: Role::Provider("TJJ".into()) });
    let out = import(&tjj, &request("gdp.csv", &gdp_file(2019, &[]), "省统计局")).await;
    assert!(out.stored.is_some(), "a provider names itself by name: {}", all_lines(&out));
    let refused = tjj.import_file(&request("gdp.csv", &gdp_file(2018, &[]), "省发展改革委"), &|_| {}).await;
    assert!(matches!(refused, Err(jili_app::AppError::Denied(_))), "{refused:?}");
    let unknown = app.import_file(&request("gdp.csv", &gdp_file(2018, &[]), "省统计厅"), &|_| {}).await;
    assert!(unknown.as_ref().is_err_and(|e| e.to_string().contains("省统计厅")), "{unknown:?}");

    let user = jili_app::users::NewUser {
        name: "li",
        display: "李",
        role: Role::Lead("省发展改革委".into()),
        password: "correct horse battery",
    };
    app.add_user(&user).await.unwrap();
    let stored = app.users().await.unwrap().into_iter().find(|u| u.name == "li").unwrap();
    assert_eq!(stored.role, Role::Lead("FGW".into()));
}
