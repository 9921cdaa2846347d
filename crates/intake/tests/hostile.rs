//! The hostile-input suite at the readers: every attack of issue 20, each built on demand, is
//! refused with a clear message naming the limit, in bounded memory. The allocator of this test
//! binary is capped while a file is read: an allocation past the budget aborts the binary, so a
//! bomb is a failure, never a pass.

#[path = "it/common/mod.rs"]
mod common;

use cap::Cap;
use common::catalogue;
use jili_intake::data::{Mapping, ReadOptions, open, read_workbook};
use jili_model::{Limits, Status};
use jili_testkit::hostile;
use std::alloc::System;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// What a refusal may cost: the budget.
const BUDGET: usize = 256 * 1024 * 1024;

/// Tests in this binary take turns: the cap is process-wide.
static TURN: Mutex<()> = Mutex::new(());

/// Run `f` with at most `budget` bytes allocated beyond what is allocated now: an allocation
/// past it aborts the binary, so a bomb fails the test however it is caught.
fn within<T>(budget: usize, f: impl FnOnce() -> T) -> T {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let base = ALLOCATOR.allocated();
    ALLOCATOR.set_limit(base + budget).expect("the cap is above what is allocated");
    let out = f();
    ALLOCATOR.set_limit(usize::MAX).expect("lifting the cap");
    out
}

#[test]
fn every_hostile_file_is_refused_within_the_budget() {
    let catalogue = catalogue();
    let mut report = Vec::new();
    for h in hostile::files() {
        let started = Instant::now();
        let outcome = within(BUDGET, || match open(&h.file, &h.bytes, None) {
            Err(e) => Err(e.to_string()),
            Ok(workbook) => {
                // Some files open (their few cells are harmless); reading them finds no data.
                let mapping = Mapping::default();
                let options = ReadOptions { provider: "TJJ", mapping: &mapping, status: Status::Final, period: None };
                let parsed = read_workbook(&workbook, &catalogue, &options);
                let errors: Vec<String> = parsed
                    .findings
                    .iter()
                    .filter(|f| f.severity == jili_intake::data::Severity::Error)
                    .map(|f| format!("{}：{}", f.at, f.message))
                    .collect();
                if parsed.observations.is_empty() && !errors.is_empty() { Err(errors.join("；")) } else { Ok(()) }
            }
        });
        let took = started.elapsed();
        let message = outcome.expect_err(&format!("{} should be refused", h.what));
        assert!(message.contains(&h.file), "{}: the refusal names the file: {message}", h.what);
        assert!(
            h.names.is_empty() || h.names.iter().any(|n| message.contains(n)),
            "{}: the refusal names one of {:?}: {message}",
            h.what,
            h.names
        );
        assert!(took < Duration::from_secs(60), "{} took {took:?}", h.what);
        report.push(format!("{:<44} {:>8.0?}  {}", h.what, took, first_line(&message)));
    }
    println!("{}", report.join("\n"));
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or_default().get(..160).unwrap_or(message)
}

#[test]
fn the_control_file_still_reads() {
    let catalogue = catalogue();
    within(BUDGET, || {
        let workbook = open("正常.xlsx", &hostile::honest_xlsx(), None).expect("an honest workbook opens");
        let mapping = Mapping::default();
        let options = ReadOptions { provider: "TJJ", mapping: &mapping, status: Status::Final, period: None };
        let parsed = read_workbook(&workbook, &catalogue, &options);
        assert_eq!(parsed.observations.len(), 1, "{:?}", parsed.findings);
        assert_eq!(parsed.observations[0].value.to_string(), "15268.8");
    });
}

#[test]
fn limits_set_by_the_office_apply_and_name_themselves() {
    let limits = Limits { cells: 3, ..Limits::default() };
    let csv = "地区,年份,数值\n长沙市,2024,1\n";
    let err = jili_intake::data::open_within("小.csv", csv.as_bytes(), None, &limits).unwrap_err().to_string();
    assert!(err.contains("cells") && err.contains("小.csv") && err.contains("第 2 行"), "{err}");
    assert!(jili_intake::data::open_within("小.csv", csv.as_bytes(), None, &Limits::default()).is_ok());
}

#[test]
fn a_plan_with_six_thousand_indicators_is_refused_before_it_is_parsed() {
    let text = hostile::plan_with_indicators(6000);
    // Refusing by size allocates almost nothing: a MiB is plenty.
    let result = within(1024 * 1024, || {
        jili_model::plan::PlanDraft::parse_bounded("六千指标.toml", &text, &Limits::default()).map(|_| ())
    });
    let err = result.unwrap_err().to_string();
    assert!(err.contains("plan_bytes") && err.contains("六千指标.toml"), "{err}");
    // Under the size limit, the count is what refuses.
    let text = hostile::plan_with_indicators(300);
    let err =
        jili_model::plan::PlanDraft::parse_bounded("三百.toml", &text, &Limits::default()).unwrap_err().to_string();
    assert!(err.contains("300 个指标") && err.contains("plan_indicators"), "{err}");
}
