//! Plan lint: the notice's rules on plans (process work, 基层报送, 总量/增量/比率, confidential
//! series, a standard selection) and the regional spread of a trial on last year's data.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use jili_app::bundled::PLANS;
use jili_model::plan::LintLevel;

fn measure(n: usize) -> (&'static str, &'static str) {
    PLANS[n - 1]
}

fn rules(report: &jili_app::plans::lint::LintReport, level: LintLevel) -> Vec<&'static str> {
    report.lints.iter().filter(|l| l.level == level).map(|l| l.rule).collect()
}

#[tokio::test]
async fn the_example_plans_follow_the_notice() {
    let app = common::demo_app().await;
    for (name, text) in PLANS {
        let plan = app.check_plan(name, text).await.unwrap();
        let report = app.lint_plan(&plan, 0.25).await.unwrap();
        assert!(report.passes(), "{name}: {:#?}", report.lints);
        // Last year's data exist in the demo: every example gets its spread.
        assert!(report.spread.as_ref().is_some_and(|s| s.year == plan.header.period - 1), "{name}");
    }
}

#[tokio::test]
async fn process_work_is_refused_even_under_another_name() {
    let app = common::demo_app().await;
    let (name, text) = measure(3);
    let text = text.replace("name = \"工业投资增速\"", "name = \"工业投资推进会议召开次数\"");
    let plan = app.check_plan(name, &text).await.unwrap();
    let report = app.lint_plan(&plan, 0.25).await.unwrap();
    assert!(!report.passes());
    let l = report.lints.iter().find(|l| l.rule == "process-indicator").unwrap();
    assert!(l.at == "indicators.ind_invest_growth" && l.message.contains("会议"), "{l:?}");
}

#[tokio::test]
async fn totals_only_and_rates_only_are_warned() {
    let app = common::demo_app().await;
    let (name, text) = measure(3);
    let only = |basis: &str| {
        text.replace("basis = \"level\"", &format!("basis = \"{basis}\""))
            .replace("basis = \"total\"", &format!("basis = \"{basis}\""))
            .replace("basis = \"increment\"", &format!("basis = \"{basis}\""))
            .replace("basis = \"rate\"", &format!("basis = \"{basis}\""))
            .replace("basis = { ratio = { denominator = \"GDP\", factor = 100 } }", &format!("basis = \"{basis}\""))
    };
    for (basis, words) in [("total", "只看总量"), ("rate", "只看比率")] {
        let plan = app.check_plan(name, &only(basis)).await.unwrap();
        let report = app.lint_plan(&plan, 0.25).await.unwrap();
        let l = report.lints.iter().find(|l| l.rule == "basis-balance");
        assert!(
            l.is_some_and(|l| l.message.contains(words) && l.level == LintLevel::Warning),
            "{basis}: {:#?}",
            report.lints
        );
    }
    let plan = app.check_plan(name, text).await.unwrap();
    assert!(!rules(&app.lint_plan(&plan, 0.25).await.unwrap(), LintLevel::Warning).contains(&"basis-balance"));
}

#[tokio::test]
async fn confidential_series_are_marked() {
    let app = common::demo_app().await;
    let (name, text) = measure(13);
    let plan = app.check_plan(name, text).await.unwrap();
    let report = app.lint_plan(&plan, 0.25).await.unwrap();
    let marked: Vec<&str> =
        report.lints.iter().filter(|l| l.rule == "confidential").map(|l| l.message.as_str()).collect();
    assert!(marked.iter().any(|m| m.contains("IND_TAX_REV")), "{marked:?}");
    assert!(report.passes(), "a warning, not an error");
}

#[tokio::test]
async fn a_plate_taking_more_than_its_share_is_warned_by_the_margin() {
    let app = common::demo_app().await;
    let (name, text) = measure(13);
    let plan = app.check_plan(name, text).await.unwrap();
    let strict = app.lint_plan(&plan, 0.0).await.unwrap();
    let spread = strict.spread.as_ref().unwrap();
    let (units, winners) = spread.plates.values().fold((0, 0), |(a, b), (u, w)| (a + u, b + w));
    assert!(winners > 0 && units > winners);
    // With no margin, a plate above its exact share is named; with a margin of 1, none can be.
    let over = spread.plates.iter().filter(|(_, (u, w))| *w as f64 / winners as f64 > *u as f64 / units as f64).count();
    assert_eq!(rules(&strict, LintLevel::Warning).iter().filter(|r| **r == "regional-spread").count(), over);
    assert!(over > 0, "{spread:?}");
    let loose = app.lint_plan(&plan, 1.0).await.unwrap();
    assert!(!rules(&loose, LintLevel::Warning).contains(&"regional-spread"));
}
