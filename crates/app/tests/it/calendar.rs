//! The calendar, the progress board and the 填报模板 (issue 18 parts 3 and 4): plans and data
//! on time, late and missing against the office's dates; each role sees its own rows; a
//! template made for a provider, filled and imported with no mapping questions, shows on the
//! board as delivered.

use crate::common;
use jili_app::access::{Principal, Role};
use jili_app::calendar::SetDate;
use jili_app::calendar::board::Board;
use jili_app::{App, AppError, ImportRequest, MappingSource};
use jili_model::calendar::{Day, Progress};
use jili_model::template as t;

const YEAR: Option<i32> = Some(2024);

fn date(kind: &str, due: &str) -> SetDate {
    SetDate { year: YEAR, kind: kind.into(), due: due.into(), ..SetDate::default() }
}

fn plan_state(board: &Board, measure: u32) -> Progress {
    board.plans.iter().find(|p| p.measure == measure).unwrap().progress
}

fn data_state(board: &Board, series: &str) -> Progress {
    board.data.iter().find(|d| d.series == series && d.period == "2024").unwrap().progress
}

async fn load_and_submit(app: &App, measure: u32) -> i64 {
    let name = format!("data/plans/2024/measure-{measure:02}.toml");
    let (_, text) = jili_app::bundled::PLANS.iter().find(|(n, _)| *n == name).unwrap();
    app.load_plan(&name, text).await.unwrap();
    app.submit_plan(2024, measure).await.unwrap().0
}

#[tokio::test]
async fn plans_and_data_on_time_late_and_missing_and_a_filled_template_delivers() {
    let (_db, app) = common::reference_app().await;
    let today = Some(Day::parse("2030-01-01").unwrap());
    // Measure 8's plan is due far ahead, every other plan long ago; 统计局's 2024 data long
    // ago, except CATERING_REV, due far ahead (the series' date before the department's).
    app.set_calendar_date(&SetDate { measure: Some(8), ..date("plan", "2099-12-31") }).await.unwrap();
    app.set_calendar_date(&date("plan", "2000-01-01")).await.unwrap();
    let provider = SetDate { provider: Some("TJJ".into()), period: Some("2024".into()), ..date("data", "2000-01-01") };
    app.set_calendar_date(&provider).await.unwrap();
    let series =
        SetDate { series: Some("CATERING_REV".into()), period: Some("2024".into()), ..date("data", "2099-12-31") };
    assert!(app.set_calendar_date(&series).await.unwrap());
    assert!(!app.set_calendar_date(&series).await.unwrap(), "the same date again changes nothing");
    app.set_calendar_date(&date("publication", "2025-06-30")).await.unwrap();
    // Bad input is refused with a message saying how to fix it, and nothing is stored.
    let before = app.calendar(YEAR).await.unwrap().dates.len();
    for (bad, says) in [
        (date("plans", "2025-01-01"), "plan"),
        (date("plan", "2025-02-30"), "YYYY-MM-DD"),
        (SetDate { period: Some("2024".into()), ..date("plan", "2025-01-01") }, "去掉"),
        (date("data", "2025-01-01"), "--period"),
        (
            SetDate { series: Some("NO_SUCH".into()), period: Some("2024".into()), ..date("data", "2025-01-01") },
            "NO_SUCH",
        ),
        (SetDate { measure: Some(99), ..date("plan", "2025-01-01") }, "99"),
    ] {
        match app.set_calendar_date(&bad).await {
            Err(AppError::Invalid(m) | AppError::NotFound(m)) => assert!(m.contains(says), "{m}"),
            other => panic!("{bad:?} should be refused, got {other:?}"),
        }
    }
    assert_eq!(app.calendar(YEAR).await.unwrap().dates.len(), before);
    let events = app.audit_events().await.unwrap();
    assert_eq!(events.iter().filter(|e| e.action == "calendar.set").count(), 5, "each date set is audited once");

    // No plan yet: missing where the date passed, not yet due where it has not.
    let board = app.board(YEAR, today).await.unwrap();
    assert_eq!((plan_state(&board, 1), plan_state(&board, 8)), (Progress::Missing, Progress::NotDue));
    assert_eq!(board.publication.as_deref(), Some("2025-06-30"));
    assert!(board.data.is_empty(), "no plan in force yet, so nothing is owed");

    // Measure 8 submitted before its date; measure 9 after (its date is the all-measures one).
    let version = load_and_submit(&app, 8).await;
    load_and_submit(&app, 9).await;
    let board = app.board(YEAR, today).await.unwrap();
    assert_eq!(
        (plan_state(&board, 8), plan_state(&board, 9), plan_state(&board, 1)),
        (Progress::OnTime, Progress::Late, Progress::Missing)
    );
    assert_eq!(board.overdue().plans.iter().filter(|p| p.measure == 8 || p.measure == 9).count(), 0);

    // In force, measure 8 makes 统计局 owe five series for the 14 市州 in 2024.
    let checker = app.acting_as(Principal::office("复核人"));
    checker.approve_plan(2024, 8, version, "同意").await.unwrap();
    let board = app.board(YEAR, today).await.unwrap();
    assert_eq!(board.data.len(), 5, "{:?}", board.data);
    assert!(board.data.iter().all(|d| d.provider == "TJJ" && d.units_owed == 14 && d.units_delivered == 0));
    assert_eq!(
        (data_state(&board, "RETAIL_SALES"), data_state(&board, "CATERING_REV")),
        (Progress::Missing, Progress::NotDue)
    );
    let overdue = board.overdue();
    assert_eq!(overdue.data.len(), 4, "the four series due long ago are to chase");
    let csv = String::from_utf8(overdue.export(false).unwrap()).unwrap();
    assert!(csv.contains("RETAIL_SALES") && csv.contains("逾期未报") && !csv.contains("CATERING_REV"), "{csv}");
    assert!(overdue.export(true).unwrap().starts_with(b"PK"), "the XLSX export is a workbook");

    // Each role its own part: a provider its own rows, another provider none, a lead its own
    // measures' plans and no data, a unit nothing.
    let as_role = |role: Role| app.acting_as(Principal { name: "看板".into(), role });
    let tjj = as_role(Role::Provider("TJJ".into())).board(YEAR, today).await.unwrap();
    assert!(tjj.plans.is_empty() && tjj.data.len() == 5);
    let czt = as_role(Role::Provider("CZT".into())).board(YEAR, today).await.unwrap();
    assert!(czt.plans.is_empty() && czt.data.is_empty());
    let gxt = as_role(Role::Lead("GXT".into())).board(YEAR, today).await.unwrap();
    assert!(gxt.data.is_empty() && !gxt.plans.is_empty() && gxt.plans.iter().all(|p| p.lead == "GXT"));
    assert!(matches!(as_role(Role::Unit("430100".into())).board(YEAR, today).await, Err(AppError::Denied(_))));

    // The template: 14 units × 5 series, codes, units of measure, a number-only value column,
    // instructions and the hidden marker; another department may not have it.
    let provider_app = as_role(Role::Provider("TJJ".into()));
    assert!(matches!(
        as_role(Role::Provider("CZT".into())).data_template("TJJ", "2024", YEAR).await,
        Err(AppError::Denied(_))
    ));
    match provider_app.data_template("TJJ", "2023", YEAR).await {
        Err(AppError::Invalid(m)) => assert!(m.contains("2024"), "names the periods owed: {m}"),
        other => panic!("no rows for 2023, got {other:?}"),
    }
    let made = provider_app.data_template("TJJ", "2024", YEAR).await.unwrap();
    assert_eq!(made.rows, 70);
    let (rows, sheets) = jili_testkit::filled::read_template(&made.bytes, t::DATA_SHEET);
    assert_eq!(rows[0], t::HEADERS.map(String::from).to_vec());
    assert_eq!(rows.len(), 71);
    assert!(
        rows.iter().skip(1).any(|r| r[0] == "430100" && r[2] == "RETAIL_SALES" && r[4] == "亿元" && r[5] == "2024")
    );
    assert!(sheets.contains(&(t::MARKER_SHEET.to_string(), false)), "{sheets:?}");
    assert!(sheets.contains(&(t::INSTRUCTIONS_SHEET.to_string(), true)), "{sheets:?}");
    let sheet1 = {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(made.bytes.clone())).unwrap();
        let mut text = String::new();
        zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut text).unwrap();
        text
    };
    assert!(sheet1.contains("type=\"decimal\"") && sheet1.contains("H2:H71"), "the value column accepts numbers only");

    // Filled and uploaded as it is: read by the template's layout, no mapping asked.
    let filled = jili_testkit::filled::fill_template(&made.bytes, t::DATA_SHEET, t::MARKER_SHEET, 7, |row| {
        Some(if row[4] == "%" { 6.5 } else { 100.0 + row[0][2..4].parse::<f64>().unwrap() })
    });
    let out =
        provider_app.import_file(&ImportRequest::new("填报模板-TJJ-2024.xlsx", filled, "TJJ"), &|_| {}).await.unwrap();
    assert_eq!(out.mapping_source, MappingSource::Template);
    assert!(!out.rejected(), "{}", common::all_lines(&out));
    assert_eq!((out.values, out.new, out.stored.is_some()), (70, 70, true));
    let notices = common::all_lines(&out);
    assert!(
        !notices.contains(t::MARKER_SHEET) && !notices.contains("上期数值"),
        "no notice about the template itself: {notices}"
    );
    let board = app.board(YEAR, today).await.unwrap();
    assert_eq!(
        (data_state(&board, "RETAIL_SALES"), data_state(&board, "CATERING_REV")),
        (Progress::Late, Progress::OnTime)
    );
    assert!(board.data.iter().all(|d| d.units_delivered == 14 && d.delivered_at.is_some()));
    assert!(board.overdue().data.is_empty());
}
