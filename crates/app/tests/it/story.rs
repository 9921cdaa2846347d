//! The whole governance story of issue 5, through `crates/app` as the CLI and the web call it:
//! a lead drafts a plan with a process indicator and sees the lint error; fixes it; trials it;
//! submits; the office returns it with a comment; the lead revises and resubmits; the office
//! approves; a provider imports data; the office runs and publishes; the auditor verifies the
//! chain; a raw SQL edit to a published result is then detected. And issue 16's: grants, checks
//! that tell a provider nothing of the cut-off, vetoes counted not named, data releases and
//! their corrections, four eyes, and a lead reading its own measure's official results.
#![allow(clippy::unwrap_used)]

use crate::common;

use jili_app::users::NewUser;
use jili_app::{AppError, Principal, Role, RunRequest};

const PLAN: &str = include_str!("../../../../data/plans/2024/measure-03.toml");

#[tokio::test]
async fn a_plan_from_draft_to_publication_and_an_edit_behind_the_back_is_caught() {
    let db = common::demo_db().await;
    let office = jili_app::App::open(&db.url(), "办公厅张主任").await.unwrap();
    let (year, measure) = (2024, 3);
    let approved_before = office.plan_in_force(year, measure).await.unwrap().stored.version;

    // The office makes the accounts.
    for (name, role) in [
        ("li.gxt", Role::Lead("GXT".into())),
        ("wang.tjj", Role::Provider("TJJ".into())),
        ("zhao.jjjc", Role::Auditor),
        ("changsha", Role::Unit("430100".into())),
    ] {
        let user = NewUser { name, display: name, role, password: "correct horse battery" };
        office.add_user(&user).await.unwrap();
    }
    let lead = office.acting_as(office.authenticate("li.gxt", "correct horse battery").await.unwrap());
    let provider = office.acting_as(office.authenticate("wang.tjj", "correct horse battery").await.unwrap());
    let auditor = office.acting_as(office.authenticate("zhao.jjjc", "correct horse battery").await.unwrap());
    let unit = office.acting_as(office.authenticate("changsha", "correct horse battery").await.unwrap());

    // 1. The lead drafts a revision that scores meetings held: a process indicator.
    let with_process = PLAN.replace("name = \"工业技术改造投资增速\"", "name = \"召开工业技术改造推进会议次数\"");
    assert_ne!(with_process, PLAN);
    let draft = lead.save_draft("measure-03.toml", &with_process).await.unwrap();
    assert!(draft.new_version && draft.version == approved_before + 1);
    let err = lead.submit_plan(year, measure).await.unwrap_err().to_string();
    assert!(err.contains("不能提交") && err.contains("会议"), "{err}");

    // 2. Fixed (the draft is edited in place), with the quota changed too.
    let fixed = PLAN.replace("[selection]", "[selection]\nmin_score = 40.0");
    assert_ne!(fixed, PLAN);
    let draft = lead.save_draft("measure-03.toml", &fixed).await.unwrap();
    assert!(!draft.new_version && draft.version == approved_before + 1);

    // 3. A trial on the current data: winners and the lint, nothing stored.
    let runs_before = office.raw_store().runs().await.unwrap().len();
    let trial = lead.trial_plan("measure-03.toml", &fixed, Some(50)).await.unwrap();
    assert!(trial.result.groups.iter().any(|g| !g.winners.is_empty()));
    assert!(trial.lint.passes(), "{:?}", trial.lint.lints);
    assert_eq!(trial.result.robustness.as_ref().map(|r| r.samples), Some(50));
    // The lead sees scores, not the stored values behind them.
    assert!(trial.result.units.iter().all(|u| u.indicators.iter().all(|i| i.readings.is_empty() && i.value.is_none())));
    assert_eq!(office.raw_store().runs().await.unwrap().len(), runs_before, "a trial is never a run");

    // 4. Submitted; the office returns it with a comment.
    let (submitted, _) = lead.submit_plan(year, measure).await.unwrap();
    assert!(matches!(lead.approve_plan(year, measure, submitted, "").await, Err(AppError::Denied(_))));
    assert!(office.return_plan(year, measure, submitted, "  ").await.is_err(), "a return needs a comment");
    office.return_plan(year, measure, submitted, "请补充县市区分组的最低得分说明").await.unwrap();
    // A submitted (now returned) version never changes: the revision is a new version.
    let revised = fixed.replace("min_score = 40.0", "min_score = 45.0");
    let draft = lead.save_draft("measure-03.toml", &revised).await.unwrap();
    assert!(draft.new_version && draft.version == submitted + 1);
    let history = lead.plan_history(year, measure).await.unwrap();
    let returned = history.reviews.iter().find(|r| r.step == jili_model::PlanStatus::Returned).unwrap();
    assert_eq!(returned.comment, "请补充县市区分组的最低得分说明");
    assert_eq!(returned.actor, "办公厅张主任");

    // 5. Resubmitted and approved; the diff shows what changed since the version in force.
    let (resubmitted, _) = lead.submit_plan(year, measure).await.unwrap();
    office.approve_plan(year, measure, resubmitted, "同意").await.unwrap();
    let diff = office.plan_diff(year, measure, approved_before, resubmitted).await.unwrap();
    assert!(diff.iter().any(|c| c.field == "min_score" && c.after == "45.0"), "{diff:?}");
    assert!(lead.save_draft("x.toml", &revised).await.unwrap().new_version, "approved is immutable");
    assert_eq!(office.plan_in_force(year, measure).await.unwrap().stored.version, resubmitted);

    // 6. The provider imports a revised value for a series the plan reads; not another's data.
    let data = office.raw_store().observations_of(&["IND_VA_GROWTH"]).await.unwrap();
    let mut csv = String::from("地区代码,指标,年份,数值\n");
    for o in data.iter().filter(|o| o.observation.period.to_string() == "2024") {
        let mut value = o.observation.value;
        if o.observation.unit == "430100" {
            value += jili_model::Decimal::ONE;
        }
        csv.push_str(&format!("{},规模以上工业增加值增速,2024,{value}\n", o.observation.unit));
    }
    let mut request = common::request("工业增速更正.csv", &csv, "TJJ");
    request.reason = Some("长沙市数据经统计执法检查更正".into());
    let outcome = provider.import_file(&request, &|_| {}).await.unwrap();
    assert!(outcome.stored.is_some(), "{}", common::all_lines(&outcome));
    assert_eq!(outcome.revised, 1);
    let as_other = common::request("工业增速更正.csv", &csv, "GXT");
    assert!(matches!(provider.import_file(&as_other, &|_| {}).await, Err(AppError::Denied(_))));

    // 7. The office runs (the approved version) and publishes; the unit reads it.
    let request = RunRequest { samples: Some(0), ..RunRequest::default() };
    let report = office.run(measure, &request).await.unwrap();
    assert_eq!(report.plan.stored.version, resubmitted);
    assert!(matches!(lead.run(measure, &request).await, Err(AppError::Denied(_))));
    // Only a published plan's results are published: measure 3 waits for its plan.
    let first = common::publish(&office, Some(year), "").await.unwrap();
    assert!(
        first.body.omitted.iter().any(|(n, why)| *n == measure && why.contains("尚未公布")),
        "{:?}",
        first.body.omitted
    );
    office.publish_plan(year, measure, resubmitted).await.unwrap();
    assert!(common::publish(&office, Some(year), "").await.is_err(), "a second version is a correction and says why");
    let publication = common::publish(&office, Some(year), "第3条实施方案公布后补充发布").await.unwrap();
    assert_eq!(publication.version, 2);
    assert!(publication.body.demo, "the demo database's results are labelled demo");
    let m3 = publication.body.measures.iter().find(|m| m.measure == measure).unwrap();
    assert_eq!((m3.run, m3.plan_version), (report.id, resubmitted));
    assert!(m3.ranking.is_none(), "the plan does not publish its ranking");
    assert!(!m3.winners.is_empty());
    let public = office.acting_as(Principal::public()).published(Some(year)).await.unwrap().unwrap();
    assert_eq!(public.sha256, publication.sha256);
    assert!(unit.published(Some(year)).await.is_ok());
    assert!(matches!(unit.run(measure, &request).await, Err(AppError::Denied(_))));

    // 8. The auditor verifies the chain and every record, and reproduces the run.
    let report_ok = auditor.verify_audit(None).await.unwrap();
    assert!(report_ok.is_intact(), "{:?}", report_ok.problems);
    assert!(auditor.reproduce(report.id).await.unwrap().identical);
    assert!(matches!(common::publish(&auditor, Some(year), "x").await, Err(AppError::Denied(_))));
    let actions: Vec<String> = auditor.audit_events().await.unwrap().into_iter().map(|e| e.action).collect();
    for a in [
        "user.add",
        "plan.add",
        "plan.edit",
        "plan.submitted",
        "plan.returned",
        "plan.approved",
        "data.import",
        "run",
        "publish",
    ] {
        assert!(actions.iter().any(|x| x == a), "no {a} event in {actions:?}");
    }

    // 9. Someone edits the published result with raw SQL: the auditor finds it, and what changed.
    office.close().await;
    let raw = sqlx::SqlitePool::connect(&format!("sqlite:{}", db.path().display())).await.unwrap();
    let body: String =
        sqlx::query_scalar("SELECT body FROM publications ORDER BY id DESC LIMIT 1").fetch_one(&raw).await.unwrap();
    let winner = &m3.winners[0].name;
    let forged = body.replacen(winner.as_str(), "某某县", 1);
    assert_ne!(forged, body);
    sqlx::query("UPDATE publications SET body = $1 WHERE id = (SELECT MAX(id) FROM publications)")
        .bind(&forged)
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;
    let auditor = jili_app::App::open(&db.url(), "x")
        .await
        .unwrap()
        .acting_as(Principal { name: "zhao.jjjc".into(), role: Role::Auditor });
    let report = auditor.verify_audit(None).await.unwrap();
    assert!(!report.is_intact());
    let problem = report.problems.iter().find(|p| p.object == "publication/2024/v2").unwrap();
    assert!(problem.what.contains("publications.body"), "{}", problem.what);
}

/// Four eyes (issue 16): the office user who drafted or submitted a plan cannot approve it, and
/// the one who asks for a publication cannot confirm it; a second office user can, and both
/// are in the audit log.
#[tokio::test]
async fn one_office_user_alone_can_neither_approve_its_own_plan_nor_publish() {
    let db = common::demo_db().await;
    let office = jili_app::App::open(&db.url(), "经办人").await.unwrap();
    let checker = office.acting_as(jili_app::Principal::office("复核人"));
    let (name, text) = jili_app::bundled::PLANS[3];
    office.save_draft(name, &text.replacen("[plan]", "[plan]\n# 办公厅代拟", 1)).await.unwrap();
    let (version, _) = office.submit_plan(2024, 4).await.unwrap();
    let err = office.approve_plan(2024, 4, version, "同意").await.unwrap_err().to_string();
    assert!(err.contains("双人把关") && err.contains("经办人"), "{err}");
    checker.approve_plan(2024, 4, version, "同意").await.unwrap();

    let id = office.request_publication(Some(2024), "").await.unwrap();
    let err = office.confirm_publication(id).await.unwrap_err().to_string();
    assert!(err.contains("另一位"), "{err}");
    assert!(office.published(Some(2024)).await.unwrap().is_none(), "nothing published by one user");
    let p = checker.confirm_publication(id).await.unwrap();
    assert_eq!(p.version, 1);
    let events = office.audit_events().await.unwrap();
    let who = |action: &str| events.iter().rev().find(|e| e.action == action).map(|e| e.actor.clone());
    assert_eq!(who("publish.request").as_deref(), Some("经办人"));
    assert_eq!(who("publish.confirm").as_deref(), Some("复核人"));
    assert_eq!(who("plan.approved").as_deref(), Some("复核人"));
}

/// The confidentiality story of issue 16, end to end as the roles meet it: 工信厅 wants 财政厅's
/// confidential debt ratio in its plan (refused, asks, is granted, trials); 统计局 checks a
/// revision that would move a 市州 across measure 3's cut-off (told nothing of it; the office
/// finds it); the office publishes with a vetoed unit (counted, not named, no score) under four
/// eyes; it releases the quarter's main indicator data and corrects it; and 工信厅 reads its
/// own measure's official results, explained, while a unit reads only its own.
#[tokio::test]
async fn grants_silent_checks_counted_vetoes_releases_and_four_eyes() {
    use jili_app::governance::access_export::AccessFilter;
    use jili_model::GrantStatus;

    let db = common::demo_db().await;
    let office = jili_app::App::open(&db.url(), "办公厅经办人").await.unwrap();
    let checker = office.acting_as(Principal::office("办公厅复核人"));
    let as_role = |name: &str, role: Role| office.acting_as(Principal { name: name.into(), role });
    let gxt = as_role("li.gxt", Role::Lead("GXT".into()));
    let czt = as_role("zhang.czt", Role::Provider("CZT".into()));
    let tjj = as_role("wang.tjj", Role::Provider("TJJ".into()));
    let unit = as_role("changsha", Role::Unit("430100".into()));
    let public = office.acting_as(Principal::public());

    // 1. A trial reading another department's confidential series is refused until granted.
    let with_debt = PLAN.replacen("series = \"IND_VA_GROWTH\"", "series = \"DEBT_RATIO\"", 1);
    assert_ne!(with_debt, PLAN);
    let err = gxt.trial_plan("measure-03.toml", &with_debt, Some(0)).await.unwrap_err();
    assert!(matches!(&err, AppError::Denied(m) if m.contains("DEBT_RATIO")), "{err}");
    let id = gxt.request_grant(2024, 3, "DEBT_RATIO", "评价工业企业负担").await.unwrap();
    assert!(matches!(gxt.decide_grant(id, GrantStatus::Granted, "自批").await, Err(AppError::Denied(_))));
    czt.decide_grant(id, GrantStatus::Granted, "湘财函〔2024〕12号").await.unwrap();
    let trial = gxt.trial_plan("measure-03.toml", &with_debt, Some(0)).await.unwrap();
    assert!(trial.result.units.iter().any(|u| u.score.is_some()), "with the grant the trial runs");

    // 2. 统计局's dry run of a revision that lifts the best unselected 市州 above every other.
    let run = office.run(3, &RunRequest { samples: Some(0), ..RunRequest::default() }).await.unwrap();
    let near = run
        .result
        .units
        .iter()
        .filter(|u| u.group.as_deref() == Some("市州") && u.outcome == jili_app::engine::Outcome::NotSelected)
        .min_by_key(|u| u.rank)
        .unwrap();
    let stored = office.raw_store().observations_of(&["IND_VA_GROWTH"]).await.unwrap();
    let cities: Vec<_> = stored
        .iter()
        .filter(|o| o.observation.period.to_string() == "2024" && o.observation.unit.ends_with("00"))
        .collect();
    let top = cities.iter().map(|o| o.observation.value).max().unwrap();
    let mut csv = String::from("地区代码,指标,年份,数值\n");
    for o in &cities {
        let v = if o.observation.unit == near.code.as_str() {
            top + jili_model::Decimal::from(5)
        } else {
            o.observation.value
        };
        csv.push_str(&format!("{},规模以上工业增加值增速,2024,{v}\n", o.observation.unit));
    }
    let mut dry = common::request("增速修订.csv", &csv, "TJJ");
    dry.reason = Some("核实更正".into());
    dry.dry_run = true;
    let told = tjj.import_file(&dry, &|_| {}).await.unwrap();
    assert!(!told.rejected(), "{}", common::all_lines(&told));
    let lines = common::all_lines(&told);
    assert!(!lines.contains("入选") && !lines.contains(&near.name), "the provider learnt of the cut-off:\n{lines}");
    let log = office.search_access(&AccessFilter { event: "dry_run".into(), ..AccessFilter::default() }).await.unwrap();
    let entry = log.entries.iter().find(|e| e.entry.user_name == "wang.tjj").unwrap();
    assert!(
        entry.entry.detail.contains("越线疑点") && entry.entry.detail.contains(&near.name),
        "{}",
        entry.entry.detail
    );
    assert!(entry.entry.detail.contains("sha256"), "the dry run is recorded with its file's digest");

    // 3. Publication needs two office users; measure 3's vetoed units are counted, not named.
    let request = office.request_publication(Some(2024), "").await.unwrap();
    assert!(office.confirm_publication(request).await.is_err(), "one user alone cannot publish");
    checker.confirm_publication(request).await.unwrap();
    let p = public.published(Some(2024)).await.unwrap().unwrap();
    let m3 = p.body.measures.iter().find(|m| m.measure == 3).unwrap();
    let vetoed = run.result.units.iter().filter(|u| u.outcome == jili_app::engine::Outcome::Vetoed).count();
    assert!(vetoed > 0 && m3.vetoed_count == vetoed, "{} vetoed, {} counted", vetoed, m3.vetoed_count);
    assert!(m3.vetoed.is_empty(), "vetoed units named by default");
    let body = serde_json::to_string(&p.body).unwrap();
    let vetoed_unit = run.result.units.iter().find(|u| u.outcome == jili_app::engine::Outcome::Vetoed).unwrap();
    let reason = vetoed_unit.reason.as_deref().unwrap_or_default();
    assert!(reason.is_empty() || !body.contains(reason), "a veto's reason is in the public body: {reason}");

    // 4. The quarter's main indicator data, then a correction with its reason.
    let first = office.make_release(None, "2024-Q3").await.unwrap();
    let release_body = serde_json::to_string(&first.body).unwrap();
    assert!(!release_body.contains("DEBT_RATIO"), "a release holds public series only");
    let gdp = office.raw_store().observations_of(&["GDP_Q"]).await.unwrap();
    let mut o = gdp
        .into_iter()
        .find(|s| s.observation.unit == "430200" && s.observation.period.to_string() == "2024-Q3")
        .unwrap()
        .observation;
    o.value = (o.value * jili_model::Decimal::new(103, 2)).round_dp(1);
    let batch =
        jili_model::Batch { provider: "TJJ".into(), source: "修订.csv".into(), demo: true, observations: vec![o] };
    office.import_batch(&batch).await.unwrap();
    assert!(office.correct_release(None, "2024-Q3", " ").await.is_err(), "a correction says why");
    let second = office.correct_release(None, "2024-Q3", "省统计局修订株洲市三季度地区生产总值").await.unwrap();
    assert_eq!(second.summary.version, 2);
    let listed = public.data_releases().await.unwrap();
    assert!(listed.iter().any(|r| r.id == first.summary.id && r.superseded), "the first stays, marked corrected");
    assert!(matches!(tjj.make_release(None, "2024-Q4").await, Err(AppError::Denied(_))));

    // 5. 工信厅 reads measure 3's official results, explained; a unit only its own.
    let results = gxt.measure_results(Some(2024), 3, None).await.unwrap();
    let shown = results.shown.unwrap();
    assert!(shown.published && shown.run.id == m3.run);
    let line = shown.units.iter().find(|u| u.code == near.code).unwrap();
    assert!(line.result.gap.is_some_and(|g| g > 0.0) && !line.result.lowers.is_empty(), "{line:?}");
    assert!(matches!(unit.measure_results(Some(2024), 3, None).await, Err(AppError::Denied(_))));
    let own = unit.standing("430100", Some(2024)).await.unwrap();
    assert!(own.iter().any(|s| s.measure == 3));
    assert!(matches!(unit.standing("430200", Some(2024)).await, Err(AppError::Denied(_))));

    // The audit log holds the whole story.
    let actions: Vec<String> = office.audit_events().await.unwrap().into_iter().map(|e| e.action).collect();
    for a in ["grant.request", "grant.granted", "publish.request", "publish.confirm"] {
        assert!(actions.iter().any(|x| x == a), "no {a} in the audit log");
    }
}
