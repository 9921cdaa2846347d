//! Who may do what (issue 5): office, lead (scoped to one department), provider (scoped to the
//! series its department owns), auditor (reads everything, verifies, changes nothing), unit (reads
//! its own results and explanations, enters nothing) and public (reads only what is published).
//! Deny by default. The expected matrix below is written from those rules, not copied from
//! `access.rs`; the second test walks every use-case for every role on a real database.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;
use common::observation;

use jili_app::access::{Action, Principal, Role, allows};
use jili_app::governance::access_export::AccessFilter;
use jili_app::users::NewUser;
use jili_app::{App, AppError, ImportRequest, RunRequest};
use jili_model::Batch;
use jili_testkit::TestDb;
use std::time::Instant;

/// The principals, one column each of [`MATRIX`].
const COLUMNS: [&str; 9] = [
    "office",
    "lead FGW",
    "lead GXT",
    "provider TJJ",
    "provider CZT",
    "auditor",
    "unit 430100",
    "unit 430200",
    "public",
];

/// The permission matrix the issue asks for: one row per action (with an in-scope and an
/// out-of-scope object where the action has one), one column per principal of [`COLUMNS`].
/// FGW 省发展改革委 leads measures 1, 2, 8, 9, 11, 12, 15; GXT 省工业和信息化厅 leads 3 and 4.
/// TJJ 省统计局 owns GDP; CZT 省财政厅 owns GEN_BUDGET_REV. 430100 长沙市, 430200 株洲市.
///
/// The office is the administrator (the command line acts as the office: it loads the example
/// plans and imports providers' files), so it may do everything. A lead is scoped to its own
/// department: it reads and drafts its own measures' plans and nothing unscoped — in particular
/// not every run's results, every unit's results or all stored data (confidential series
/// included). (`access::allows` gives leads those three unscoped reads: this matrix says no.)
#[rustfmt::skip]
const MATRIX: [(&str, &str); 37] = [
    //  action                     office  lead   lead   prov   prov   audi-  unit   unit   public
    //                                     FGW    GXT    TJJ    CZT    tor    430100 430200
    ("ReadPublished",             "Y       Y      Y      Y      Y      Y      Y      Y      Y"),
    ("ReadUnitResults 430100",    "Y       -      -      -      -      Y      Y      -      -"),
    ("ReadUnitResults 430200",    "Y       -      -      -      -      Y      -      Y      -"),
    ("ReadResults",               "Y       -      -      -      -      Y      -      -      -"),
    ("ReadMeasureResults FGW",    "Y       Y      -      -      -      Y      -      -      -"),
    ("ReadMeasureResults GXT",    "Y       -      Y      -      -      Y      -      -      -"),
    ("ReadData",                  "Y       -      -      -      -      Y      -      -      -"),
    ("ReadPlans FGW",             "Y       Y      -      -      -      Y      -      -      -"),
    ("ReadPlans GXT",             "Y       -      Y      -      -      Y      -      -      -"),
    ("DraftPlan FGW",             "Y       Y      -      -      -      -      -      -      -"),
    ("DraftPlan GXT",             "Y       -      Y      -      -      -      -      -      -"),
    ("ReviewPlan",                "Y       -      -      -      -      -      -      -      -"),
    ("DecideGrant TJJ",           "Y       -      -      Y      -      -      -      -      -"),
    ("DecideGrant CZT",           "Y       -      -      -      Y      -      -      -      -"),
    ("DecideGrant FGW",           "Y       Y      -      -      -      -      -      -      -"),
    ("Import TJJ",                "Y       -      -      Y      -      -      -      -      -"),
    ("Import CZT",                "Y       -      -      -      Y      -      -      -      -"),
    ("Configure",                 "Y       -      -      -      -      -      -      -      -"),
    ("Run",                       "Y       -      -      -      -      -      -      -      -"),
    ("Publish",                   "Y       -      -      -      -      -      -      -      -"),
    ("Audit",                     "Y       -      -      -      -      Y      -      -      -"),
    ("ManageUsers",               "Y       -      -      -      -      -      -      -      -"),
    ("ReadJob 测试providerTJJ",   "Y       -      -      Y      -      Y      -      -      -"),
    ("ManageOwnAccount",          "Y       Y      Y      Y      Y      Y      Y      Y      -"),
    ("Release",                   "Y       -      -      -      -      -      -      -      -"),
    ("ReadCases TJJ",             "Y       -      -      Y      -      Y      -      -      -"),
    ("ReadCases CZT",             "Y       -      -      -      Y      Y      -      -      -"),
    ("ManageCases",               "Y       -      -      -      -      -      -      -      -"),
    ("AnswerCase TJJ",            "Y       -      -      Y      -      -      -      -      -"),
    ("AnswerCase CZT",            "Y       -      -      -      Y      -      -      -      -"),
    ("Watch",                     "Y       -      -      -      -      Y      -      -      -"),
    ("Recheck",                   "Y       -      -      -      -      -      -      -      -"),
    ("ReadBoard",                 "Y       Y      Y      Y      Y      Y      -      -      -"),
    ("RecordFunds CZT",           "Y       -      -      -      Y      -      -      -      -"),
    ("RecordFunds FGW",           "Y       Y      -      -      -      -      -      -      -"),
    ("ReadFunds CZT",             "Y       -      -      -      Y      Y      -      -      -"),
    ("ReadFunds TJJ",             "Y       -      -      Y      -      Y      -      -      -"),
];

/// Every variant of [`Action`], by name; [`variant`] fails to compile when one is added.
const VARIANTS: [&str; 26] = [
    "ReadPublished",
    "ReadUnitResults",
    "ReadResults",
    "ReadMeasureResults",
    "ReadData",
    "ReadPlans",
    "DraftPlan",
    "ReviewPlan",
    "DecideGrant",
    "Import",
    "Configure",
    "Run",
    "Publish",
    "Audit",
    "ManageUsers",
    "ReadJob",
    "ManageOwnAccount",
    "Release",
    "ReadCases",
    "ManageCases",
    "AnswerCase",
    "Watch",
    "Recheck",
    "ReadBoard",
    "RecordFunds",
    "ReadFunds",
];

fn variant(a: &Action<'_>) -> &'static str {
    match a {
        Action::ReadPublished => "ReadPublished",
        Action::ReadUnitResults { .. } => "ReadUnitResults",
        Action::ReadResults => "ReadResults",
        Action::ReadMeasureResults { .. } => "ReadMeasureResults",
        Action::ReadData => "ReadData",
        Action::ReadPlans { .. } => "ReadPlans",
        Action::DraftPlan { .. } => "DraftPlan",
        Action::ReviewPlan => "ReviewPlan",
        Action::DecideGrant { .. } => "DecideGrant",
        Action::Import { .. } => "Import",
        Action::Configure => "Configure",
        Action::Run => "Run",
        Action::Publish => "Publish",
        Action::Audit => "Audit",
        Action::ManageUsers => "ManageUsers",
        Action::ReadJob { .. } => "ReadJob",
        Action::ManageOwnAccount => "ManageOwnAccount",
        Action::Release => "Release",
        Action::ReadCases { .. } => "ReadCases",
        Action::ManageCases => "ManageCases",
        Action::AnswerCase { .. } => "AnswerCase",
        Action::Watch => "Watch",
        Action::Recheck => "Recheck",
        Action::ReadBoard => "ReadBoard",
        Action::RecordFunds { .. } => "RecordFunds",
        Action::ReadFunds { .. } => "ReadFunds",
    }
}

/// The action of a row of [`MATRIX`]: a variant's name and its object, if any.
fn action(row: &'static str) -> Action<'static> {
    let (name, object) = row.split_once(' ').unwrap_or((row, ""));
    match name {
        "ReadPublished" => Action::ReadPublished,
        "ReadUnitResults" => Action::ReadUnitResults { unit: object },
        "ReadResults" => Action::ReadResults,
        "ReadMeasureResults" => Action::ReadMeasureResults { lead: object },
        "ReadData" => Action::ReadData,
        "ReadPlans" => Action::ReadPlans { lead: object },
        "DraftPlan" => Action::DraftPlan { lead: object },
        "ReviewPlan" => Action::ReviewPlan,
        "DecideGrant" => Action::DecideGrant { owner: object },
        "Import" => Action::Import { owner: object },
        "Configure" => Action::Configure,
        "Run" => Action::Run,
        "Publish" => Action::Publish,
        "Audit" => Action::Audit,
        "ManageUsers" => Action::ManageUsers,
        "ReadJob" => Action::ReadJob { started_by: object },
        "ManageOwnAccount" => Action::ManageOwnAccount,
        "Release" => Action::Release,
        "ReadCases" => Action::ReadCases { provider: object },
        "ManageCases" => Action::ManageCases,
        "AnswerCase" => Action::AnswerCase { provider: object },
        "Watch" => Action::Watch,
        "Recheck" => Action::Recheck,
        "ReadBoard" => Action::ReadBoard,
        "RecordFunds" => Action::RecordFunds { finance: object },
        "ReadFunds" => Action::ReadFunds { finance: object },
        other => panic!("no action {other} in the matrix"),
    }
}

/// The principal of a column of [`MATRIX`].
fn principal(column: &str) -> Principal {
    let (kind, scope) = column.split_once(' ').unwrap_or((column, ""));
    let user = |role: Role| Principal { name: format!("测试{kind}{scope}"), role };
    match kind {
        "office" => Principal::office("办公厅测试"),
        "public" => Principal::public(),
        _ => user(Role::from_parts(kind, scope).unwrap()),
    }
}

/// Whether the matrix allows `column` to do `row`.
fn expected(row: &str, column: &str) -> bool {
    let (_, cells) = MATRIX.iter().find(|(r, _)| *r == row).unwrap_or_else(|| panic!("no row {row}"));
    let cells: Vec<&str> = cells.split_whitespace().collect();
    assert_eq!(cells.len(), COLUMNS.len(), "row {row} has {} cells", cells.len());
    let c = COLUMNS.iter().position(|c| *c == column).unwrap_or_else(|| panic!("no column {column}"));
    match cells[c] {
        "Y" => true,
        "-" => false,
        other => panic!("row {row}, column {column}: cell {other:?} is neither Y nor -"),
    }
}

fn yes_no(allowed: bool) -> &'static str {
    if allowed { "Y" } else { "-" }
}

#[test]
fn the_permission_table_is_the_matrix() {
    let rows: Vec<&str> = MATRIX.iter().map(|(r, _)| variant(&action(r))).collect();
    for v in VARIANTS {
        assert!(rows.contains(&v), "the matrix has no row for Action::{v}");
    }
    let mut wrong = Vec::new();
    let mut grid = String::from("access::allows as it stands (* = differs from the matrix):\n");
    for (row, _) in MATRIX {
        grid.push_str(&format!("{row:<26}"));
        for column in COLUMNS {
            let want = expected(row, column);
            let got = allows(&principal(column), &action(row));
            grid.push_str(&format!(" {}{}", yes_no(got), if got == want { ' ' } else { '*' }));
            if got != want {
                wrong.push(format!(
                    "  {column} × {row}: expected {}, access::allows says {}",
                    if want { "allow" } else { "deny" },
                    if got { "allow" } else { "deny" }
                ));
            }
        }
        grid.push('\n');
    }
    println!("{grid}");
    assert!(wrong.is_empty(), "{} cells differ from the matrix:\n{}\n\n{grid}", wrong.len(), wrong.join("\n"));
}

/// The example plan file of a measure.
fn plan_text(measure: u32) -> (&'static str, &'static str) {
    jili_app::bundled::PLANS[measure as usize - 1]
}

/// A provider's small file for a year the demo has no data for.
fn import_request(provider: &str) -> ImportRequest {
    let text = match provider {
        "TJJ" => "地区,指标,年份,数值\n长沙市,地区生产总值,2030,16000\n",
        "CZT" => "地区,指标,年份,数值\n长沙市,地方一般公共预算收入,2030,1300000\n",
        other => panic!("no file for {other}"),
    };
    let mut r = ImportRequest::new(format!("{provider}-测试.csv"), text.as_bytes().to_vec(), provider);
    r.partial = true;
    r.reason = Some("权限测试".into());
    r
}

fn batch(provider: &str) -> Batch {
    let o = match provider {
        "TJJ" => observation("GDP", "430100", 2031, "16500"),
        "CZT" => observation("GEN_BUDGET_REV", "430100", 2031, "1400000"),
        other => panic!("no batch for {other}"),
    };
    Batch { provider: provider.into(), source: format!("{provider}-批量.csv"), demo: false, observations: vec![o] }
}

/// Every use-case, in an order in which the office's calls still make sense one after the other
/// (a draft is saved before it is submitted, submitted before it is reviewed, run before it is
/// published), with the row of [`MATRIX`] that decides it. `plan N` is [`App::plan`]: anyone may
/// call it, but only a principal with `ReadPlans` gets the newest version (a draft); everyone
/// else gets the newest published one. `build_demo` comes
/// after the imports, so that the office's call stops at the real batches instead of wiping the
/// database.
const USE_CASES: [(&str, &str); 74] = [
    ("users", "ManageUsers"),
    ("add_user", "ManageUsers"),
    ("reset_password", "ManageUsers"),
    ("user_principal", "ManageUsers"),
    ("set_user_disabled", "ManageUsers"),
    ("change_password", "ManageOwnAccount"),
    ("logout_all", "ManageOwnAccount"),
    ("load_reference", "Configure"),
    ("load_programme", "Configure"),
    ("load_check_rules", "Configure"),
    ("recheck", "Recheck"),
    ("set_budget", "Configure"),
    ("init", "Configure"),
    ("plan 1", "ReadPublished"),
    ("plan 3", "ReadPublished"),
    ("plan_history 1", "ReadPlans FGW"),
    ("plan_history 3", "ReadPlans GXT"),
    ("plan_version 1", "ReadPlans FGW"),
    ("plan_version 3", "ReadPlans GXT"),
    ("save_draft 1", "DraftPlan FGW"),
    ("save_draft 3", "DraftPlan GXT"),
    ("load_plan 1", "DraftPlan FGW"),
    ("load_plan 3", "DraftPlan GXT"),
    ("trial_plan 1", "DraftPlan FGW"),
    ("trial_plan 3", "DraftPlan GXT"),
    ("request_grant 1", "DraftPlan FGW"),
    ("request_grant 3", "DraftPlan GXT"),
    ("record_grant 3", "DecideGrant CZT"),
    ("revoke_grant", "DecideGrant TJJ"),
    ("submit_plan 1", "DraftPlan FGW"),
    ("submit_plan 3", "DraftPlan GXT"),
    ("plan_diff 1", "ReadPlans FGW"),
    ("plan_diff 3", "ReadPlans GXT"),
    ("return_plan 1", "ReviewPlan"),
    ("approve_plan 3", "ReviewPlan"),
    ("publish_plan 3", "ReviewPlan"),
    ("import_file TJJ", "Import TJJ"),
    ("import_file CZT", "Import CZT"),
    ("import_batch TJJ", "Import TJJ"),
    ("import_batch CZT", "Import CZT"),
    ("build_demo", "Configure"),
    ("batches", "ReadData"),
    ("history", "ReadData"),
    ("flags", "ReadData"),
    ("mappings", "ReadData"),
    ("watch_list", "Watch"),
    ("material_open_cases", "Watch"),
    ("case 1", "ReadCases TJJ"),
    ("answer_case", "AnswerCase TJJ"),
    ("query_case", "ManageCases"),
    ("open_case", "ManageCases"),
    ("resolve_case", "ManageCases"),
    ("export_sdmx", "ReadData"),
    ("run", "Run"),
    ("run_all", "Run"),
    ("measure_results 1", "ReadMeasureResults FGW"),
    ("measure_results 3", "ReadMeasureResults GXT"),
    ("reproduce", "Audit"),
    ("commend", "Publish"),
    ("override_result", "Publish"),
    ("load_release_calendar", "Release"),
    ("make_release", "Release"),
    ("correct_release", "Release"),
    ("data_releases", "ReadPublished"),
    ("release_schedule", "ReadPublished"),
    ("publish", "Publish"),
    ("published", "ReadPublished"),
    ("audit_events", "Audit"),
    ("verify_audit", "Audit"),
    ("audit_csv", "Audit"),
    ("audit_xlsx", "Audit"),
    ("search_access", "Audit"),
    ("access_csv", "Audit"),
    ("access_xlsx", "Audit"),
];

const PASSWORD: &str = "correct horse battery";

/// Call one use-case; what it returned, shortly.
async fn call(app: &App, use_case: &str) -> Result<String, AppError> {
    let (name, arg) = use_case.split_once(' ').unwrap_or((use_case, ""));
    let measure: u32 = arg.split(' ').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    let cheap = RunRequest { samples: Some(0), ..RunRequest::default() };
    Ok(match name {
        "users" => format!("{} users", app.users().await?.len()),
        "add_user" => {
            let user =
                NewUser { name: "li.fgw", display: "李测试", role: Role::Lead("FGW".into()), password: PASSWORD };
            app.add_user(&user).await.map(|()| "added".to_string())?
        }
        "reset_password" => {
            app.reset_password("li.fgw", "another long password").await.map(|()| "reset".to_string())?
        }
        "user_principal" => format!("{:?}", app.user_principal("li.fgw").await?.role),
        "set_user_disabled" => app.set_user_disabled("li.fgw", true).await.map(|()| "disabled".to_string())?,
        // The principals of this walk have no stored account: allowed, the change is refused
        // for want of the current password (not for want of permission).
        "change_password" => {
            format!("{} sessions ended", app.change_password(PASSWORD, "another long password", None).await?)
        }
        "logout_all" => format!("{} sessions ended", app.logout_all().await?),
        "load_reference" => {
            let r = app.load_reference(&jili_app::bundled::reference_files()).await?;
            format!("{} units", r.units.len())
        }
        "load_programme" => {
            let (name, text) = jili_app::bundled::PROGRAMMES[0];
            format!("programme {}", app.load_programme(name, text).await?.year)
        }
        "recheck" => {
            let r = app.recheck(&jili_app::RecheckRequest { series: vec!["GDP".into()], ..Default::default() }).await?;
            format!("recheck {:?}", r.id)
        }
        "load_check_rules" => {
            let (file, text) = jili_app::bundled::CHECKS;
            app.load_check_rules(file, text).await.map(|_| "rules loaded".to_string())?
        }
        "set_budget" => app.set_budget(2024, 2, "3000", "权限测试预算批复").await.map(|()| "set".to_string())?,
        "init" => format!("{:?}", app.init().await?),
        "plan" => {
            let view = app.plan(Some(2024), measure).await?;
            let lead = if measure == 1 { "FGW" } else { "GXT" };
            if !allows(app.principal(), &Action::ReadPlans { lead }) {
                assert_eq!(
                    view.stored.status,
                    jili_model::PlanStatus::Published,
                    "{:?} read an unpublished plan of measure {measure}",
                    app.principal()
                );
            }
            format!("version {} ({})", view.stored.version, view.stored.status)
        }
        "build_demo" => format!("{} runs", app.build_demo(&|_| {}).await?.runs.len()),
        "batches" => format!("{} batches", app.batches().await?.len()),
        "history" => format!("{} revisions", app.history("GDP", "430100", "2024").await?.len()),
        "flags" => format!("{} flags", app.flags(None).await?.len()),
        "mappings" => format!("{} mappings", app.mappings().await?.len()),
        "watch_list" => format!("{} values", app.watch_list().await?.entries.len()),
        "material_open_cases" => format!("{} material", app.material_open_cases(Some(2024)).await?.len()),
        "case" => format!("{} steps", app.case(1).await?.steps.len()),
        "answer_case" => format!("{:?}", app.answer_case(1, "权限测试：答复", None).await?.status),
        "query_case" => format!("{:?}", app.query_case(1, "权限测试：再询问").await?.status),
        "open_case" => {
            // The walk's second flag (setting up: read directly).
            let flags = app.raw_store().flags(None).await.unwrap();
            let taken = app.raw_store().case_flag_links().await.unwrap();
            let flag = flags.iter().find(|f| f.unit == "431000" && !taken.iter().any(|(_, t)| *t == f.id)).unwrap();
            format!("case {}", app.open_case("权限测试：立案", &[flag.id], "").await?)
        }
        "resolve_case" => {
            let c = app.resolve_case(1, jili_model::CaseStep::Explain, "权限测试：办结", None).await?;
            format!("{:?}", c.status)
        }
        "export_sdmx" => format!("{} bytes", app.export_sdmx(&["GDP".into()], true).await?.len()),
        "plan_history" => format!("{} versions", app.plan_history(2024, measure).await?.versions.len()),
        "plan_version" => format!("version {}", app.plan_version(2024, measure, None).await?.stored.version),
        "save_draft" => {
            let (name, text) = plan_text(measure);
            format!("draft version {}", app.save_draft(name, text).await?.version)
        }
        "load_plan" => {
            let (name, text) = plan_text(measure);
            format!("plan {}", app.load_plan(name, text).await?.header.measure)
        }
        "trial_plan" => {
            let (name, text) = plan_text(measure);
            let trial = app.trial_plan(name, text, Some(0)).await?;
            format!("{} units, lint passes: {}", trial.result.units.len(), trial.lint.passes())
        }
        "request_grant" => {
            let why = "权限测试：用途说明";
            format!("grant {}", app.request_grant(2024, measure, "DEBT_RATIO", why).await?)
        }
        "record_grant" => {
            format!("grant {}", app.record_grant(2024, measure, "HIDDEN_DEBT_BALANCE", "湘财函〔2024〕1号").await?)
        }
        "revoke_grant" => {
            // The demo's first grant in force on a series of 统计局 (setting up: read directly).
            let grants = app.raw_store().grants(Some(2024)).await.unwrap();
            let g = grants.iter().find(|g| g.owner == "TJJ" && g.status == jili_model::GrantStatus::Granted).unwrap();
            format!("{:?}", app.decide_grant(g.id, jili_model::GrantStatus::Revoked, "权限测试撤销").await?.status)
        }
        "submit_plan" => format!("submitted version {}", app.submit_plan(2024, measure).await?.0),
        "plan_diff" => format!("{} changes", app.plan_diff(2024, measure, 1, 2).await?.len()),
        "return_plan" => app.return_plan(2024, measure, 2, "请补充指标依据").await.map(|()| "returned".to_string())?,
        "approve_plan" => app.approve_plan(2024, measure, 2, "同意").await.map(|()| "approved".to_string())?,
        "publish_plan" => app.publish_plan(2024, measure, 2).await.map(|()| "published".to_string())?,
        "import_file" => {
            let out = app.import_file(&import_request(arg), &|_| {}).await?;
            format!("stored {:?}, {} findings", out.stored, out.findings.len())
        }
        "import_batch" => format!("batch {}", app.import_batch(&batch(arg)).await?.batch_id),
        "run" => format!("run {}", app.run(3, &cheap).await?.id),
        "run_all" => format!("{} runs", app.run_all(&cheap).await?.len()),
        "reproduce" => format!("identical: {}", app.reproduce(1).await?.identical),
        "measure_results" => format!("{} runs", app.measure_results(Some(2024), measure, None).await?.runs.len()),
        "commend" => {
            format!("commendation {}", app.commend(2024, "430100", "省政府综合督查", "权限测试：典型经验").await?)
        }
        "override_result" => {
            // A unit evaluated in run 1 (read directly from the store: setting up, not the use-case).
            let run = app.raw_store().run(1).await.unwrap().unwrap();
            let result: serde_json::Value = serde_json::from_str(&run.result).unwrap();
            let unit = result["units"][0]["code"].as_str().unwrap().to_string();
            format!("override {}", app.override_result(1, &unit, true, "权限测试更正").await?)
        }
        "load_release_calendar" => {
            let (file, text) = jili_app::bundled::RELEASE_CALENDAR;
            format!("{} releases", app.load_release_calendar(file, text).await?.releases.len())
        }
        "make_release" => format!("release {}", app.make_release(None, "2024-Q3").await?.summary.id),
        // Allowed for the office, then refused as there is nothing to correct: not a refusal.
        "correct_release" => format!("release {}", app.correct_release(None, "2024-Q3", "权限测试").await?.summary.id),
        "data_releases" => format!("{} releases", app.data_releases().await?.len()),
        "release_schedule" => format!("{} calendars", app.release_schedule(None).await?.releases.len()),
        "publish" => format!("publication {}", common::publish(app, Some(2024), "").await?.version),
        "published" => format!("{:?}", app.published(Some(2024)).await?.map(|p| p.version)),
        "audit_events" => format!("{} events", app.audit_events().await?.len()),
        "verify_audit" => format!("intact: {}", app.verify_audit(None).await?.is_intact()),
        "audit_csv" => format!("{} bytes", app.audit_csv().await?.len()),
        "audit_xlsx" => format!("{} bytes", app.audit_xlsx().await?.len()),
        "search_access" => format!("{} rows", app.search_access(&AccessFilter::default()).await?.matching),
        "access_csv" => format!("{} bytes", app.access_csv(&AccessFilter::default()).await?.len()),
        "access_xlsx" => format!("{} bytes", app.access_xlsx(&AccessFilter::default()).await?.len()),
        other => panic!("no use-case {other}"),
    })
}

/// The first `n` characters of a message, on one line.
fn short(s: &str, n: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= n { one } else { format!("{}…", one.chars().take(n).collect::<String>()) }
}

async fn audit_len(app: &App) -> usize {
    app.raw_store().audit_events().await.unwrap().len()
}

/// Every use-case called by one principal on its own copy of the demo database: the log of
/// calls, and what was wrong.
async fn walk(column: &str) -> (String, Vec<String>) {
    let started = Instant::now();
    let (mut log, mut wrong) = (String::new(), Vec::new());
    // Writes by allowed roles change the database: each principal starts from the demo.
    let db = common::demo_db().await;
    let office = App::open(&db.url(), "测试").await.unwrap();
    // A new draft of a measure of each lead, so that reading a plan could show a draft.
    for m in [1, 3] {
        let (name, text) = plan_text(m);
        office.save_draft(name, &text.replacen("[plan]", "[plan]\n# 草稿：尚未提交", 1)).await.unwrap();
    }
    // Flags on 统计局's data and a case on one of them, queried: what the case use-cases act on.
    let flags = crate::cases::chenzhou(&office).await;
    let case = office.open_case("权限测试：郴州市增速跳变", &[flags[0].id], "").await.unwrap();
    office.query_case(case, "请说明").await.unwrap();
    let who = principal(column);
    let app = office.acting_as(who.clone());
    let at_start = audit_len(&app).await;
    for (use_case, row) in USE_CASES {
        let want = expected(row, column);
        let before = audit_len(&app).await;
        let call_started = Instant::now();
        let got = call(&app, use_case).await;
        let took = call_started.elapsed();
        let shown = match &got {
            Ok(s) => format!("ok: {}", short(s, 60)),
            Err(AppError::Denied(m)) => format!("Denied: {}", short(m, 60)),
            Err(e) => format!("error (not a refusal): {}", short(&e.to_string(), 80)),
        };
        log.push_str(&format!(
            "{column:<12} {use_case:<18} [{row:<13}] {:>7.1?} expected {}  {shown}\n",
            took,
            yes_no(want)
        ));
        let denied = matches!(got, Err(AppError::Denied(_)));
        if want == denied {
            wrong.push(format!(
                "  {column} × {use_case} ({row}): expected {}, got {shown}",
                if want { "allowed (anything but Denied)" } else { "Denied" }
            ));
        }
        let after = audit_len(&app).await;
        if denied && after != before {
            wrong.push(format!(
                "  {column} × {use_case} ({row}): refused, yet the audit log grew by {}",
                after - before
            ));
        }
    }
    // Auditor, units and the public change nothing, whatever they call.
    if matches!(who.role, Role::Auditor | Role::Unit(_) | Role::Public) {
        let at_end = audit_len(&app).await;
        if at_end != at_start {
            wrong.push(format!("  {column}: changes nothing, yet the audit log grew by {}", at_end - at_start));
        }
    }
    log.push_str(&format!("{column}: {} use-cases in {:.1?}\n", USE_CASES.len(), started.elapsed()));
    office.close().await;
    (log, wrong)
}

#[test]
fn every_use_case_checks_its_permission() {
    let started = Instant::now();
    // One thread (and runtime) per principal: each walks its own database.
    let walks: Vec<(String, Vec<String>)> = std::thread::scope(|s| {
        let threads: Vec<_> = COLUMNS
            .iter()
            .map(|column| s.spawn(move || tokio::runtime::Runtime::new().unwrap().block_on(walk(column))))
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let mut wrong = Vec::new();
    for (log, w) in walks {
        println!("{log}");
        wrong.extend(w);
    }
    println!("{} principals × {} use-cases in {:.1?}", COLUMNS.len(), USE_CASES.len(), started.elapsed());
    assert!(wrong.is_empty(), "{} (role, use-case) pairs are wrong:\n{}", wrong.len(), wrong.join("\n"));
}

/// Reference data and the programme, and one user of each role added by the office.
async fn with_users() -> (TestDb, App) {
    let (db, app) = common::reference_app().await;
    let roles = [
        ("li.fgw", Role::Lead("FGW".into())),
        ("wang.tjj", Role::Provider("TJJ".into())),
        ("zhao.audit", Role::Auditor),
        ("chen.cs", Role::Unit("430100".into())),
    ];
    for (name, role) in roles {
        app.add_user(&NewUser { name, display: name, role, password: PASSWORD }).await.unwrap();
    }
    (db, app)
}

#[tokio::test]
async fn a_disabled_user_cannot_log_in() {
    let (_db, app) = with_users().await;
    let public = app.acting_as(Principal::public());
    let who = public.authenticate("li.fgw", PASSWORD).await.unwrap();
    assert_eq!(who, Principal { name: "li.fgw".into(), role: Role::Lead("FGW".into()) });
    let unit = public.authenticate("chen.cs", PASSWORD).await.unwrap();
    assert_eq!(unit.role, Role::Unit("430100".into()));

    // Only the office disables, and the user it disables is refused at once.
    let lead = app.acting_as(who);
    let err = lead.set_user_disabled("li.fgw", true).await.unwrap_err();
    assert!(matches!(err, AppError::Denied(_)), "{err}");
    app.set_user_disabled("li.fgw", true).await.unwrap();
    let err = public.authenticate("li.fgw", PASSWORD).await.unwrap_err();
    assert!(matches!(err, AppError::Denied(_)), "{err}");
    assert!(app.users().await.unwrap().iter().any(|u| u.name == "li.fgw" && u.disabled), "kept, marked disabled");
    // The others are untouched; enabling again lets the user back in.
    assert!(public.authenticate("chen.cs", PASSWORD).await.is_ok());
    app.set_user_disabled("li.fgw", false).await.unwrap();
    assert_eq!(public.authenticate("li.fgw", PASSWORD).await.unwrap().role, Role::Lead("FGW".into()));
}

#[tokio::test]
async fn a_wrong_password_is_refused_the_same_way() {
    let (_db, app) = with_users().await;
    let public = app.acting_as(Principal::public());
    app.set_user_disabled("zhao.audit", true).await.unwrap();
    let refusal = |r: Result<Principal, AppError>| match r {
        Err(AppError::Denied(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let wrong_password = refusal(public.authenticate("wang.tjj", "not the password").await);
    let unknown = refusal(public.authenticate("nobody.here", PASSWORD).await);
    let disabled = refusal(public.authenticate("zhao.audit", PASSWORD).await);
    let disabled_wrong = refusal(public.authenticate("zhao.audit", "not the password").await);
    let empty = refusal(public.authenticate("wang.tjj", "").await);
    // Nothing tells an unknown name from a wrong password or a disabled account.
    for other in [&unknown, &disabled, &disabled_wrong, &empty] {
        assert_eq!(other, &wrong_password);
    }
    assert!(!wrong_password.contains("wang.tjj"), "{wrong_password}");
    assert_eq!(public.authenticate("wang.tjj", PASSWORD).await.unwrap().role, Role::Provider("TJJ".into()));
}
