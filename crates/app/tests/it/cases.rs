//! Verification cases (issue 22, item 4): from a flag to a referral with its audit events, who
//! may see and do what, the watch list's ranking by materiality, and the publication guard.
//! The demo has no flags of its own: each test revises demo values through an ordinary import,
//! which raises them. On the demo, measure 5 (乡村振兴, published) reads 农林牧渔业增加值增速
//! (AGRI_VA_GROWTH, 省统计局) with 15% weight; 郴州市 is 5th of the 市州 just below the cut-off
//! (quota 4); 长沙市 is 1st, far ahead.

use crate::common;

use jili_app::access::{Principal, Role};
use jili_app::{App, AppError};
use jili_model::{CaseStatus, CaseStep};
use jili_store::StoredFlag;

/// Revise one 市州's AGRI_VA_GROWTH for 2024 as 统计局 would (a partial file, with a reason);
/// the flags the import raised on that value.
pub async fn revise(app: &App, city: &str, value: &str) -> Vec<StoredFlag> {
    let text = format!("地区,指标,年份,数值\n{city},农林牧渔业增加值增速,2024,{value}\n");
    let mut r = common::request("年报修订.csv", &text, "TJJ");
    r.partial = true;
    r.reason = Some("年报数据替换快报数".into());
    let out = common::import(app, &r).await;
    let batch = out.stored.unwrap_or_else(|| panic!("stored: {}", common::all_lines(&out)));
    app.flags(Some(batch)).await.unwrap()
}

/// 郴州市 raised from 3.42 to 9.9: it now wins measure 5; the import flags the value (outlier,
/// jump, crossing) and 衡阳市's fall (a crossing on no value of its own).
pub async fn chenzhou(app: &App) -> Vec<StoredFlag> {
    let flags = revise(app, "郴州市", "9.9").await;
    assert!(flags.iter().any(|f| f.code == "crosses-cutoff" && f.unit == "431000"), "{flags:#?}");
    flags.into_iter().filter(|f| f.unit == "431000").collect()
}

fn ids(flags: &[StoredFlag]) -> Vec<i64> {
    flags.iter().map(|f| f.id).collect()
}

fn provider(code: &str) -> Principal {
    Principal { name: format!("测试{code}"), role: Role::Provider(code.into()) }
}

fn auditor() -> Principal {
    Principal { name: "测试纪检".into(), role: Role::Auditor }
}

async fn events(app: &App) -> Vec<(String, String)> {
    app.raw_store().audit_events().await.unwrap().into_iter().map(|e| (e.action, e.subject)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_case_goes_from_flag_to_referral_with_its_audit_events() {
    let db = common::demo_db().await;
    let office = App::open(&db.url(), "办公厅（测试）").await.unwrap();
    let flags = chenzhou(&office).await;
    let id = office.open_case("郴州市农林牧渔业增加值增速跳变", &ids(&flags), "修订后越过入选线").await.unwrap();
    office.query_case(id, "请说明 2024 年数值由 3.42 修订为 9.9 的依据，5 个工作日内答复").await.unwrap();

    // The provider sees its case and the query — but not what the crossing says.
    let tjj = office.acting_as(provider("TJJ"));
    let mine = tjj.cases().await.unwrap();
    assert_eq!(mine.iter().map(|c| c.case.id).collect::<Vec<_>>(), [id]);
    let seen = tjj.case(id).await.unwrap();
    assert!(seen.steps.iter().any(|s| s.step == CaseStep::Query && s.text.contains("3.42")));
    let crossing = seen.flags.iter().find(|f| f.code == "crosses-cutoff").unwrap();
    assert_eq!(crossing.message, jili_app::cases::WITHHELD, "the crossing names ranks: not for the provider");
    assert!(seen.histories.is_empty() && seen.evidence.is_none());
    assert!(seen.may.answer && !seen.may.query && !seen.may.resolve, "{:?}", seen.may);
    let answered = tjj.answer_case(id, "系乡镇上报口径有误，正在重新核实", None).await.unwrap();
    assert_eq!(answered.status, CaseStatus::Answered);

    let referred = office.resolve_case(id, CaseStep::Refer, "说明不能成立，移送纪检监察", None).await.unwrap();
    assert_eq!(referred.status, CaseStatus::Referred);
    assert!(office.query_case(id, "再问").await.is_err(), "a referred case takes no more steps");

    // The evidence handed over: the flags, the value's revisions, the query and the answer.
    let view = office.case(id).await.unwrap();
    let evidence = view.evidence.unwrap();
    assert_eq!(evidence.flags.len(), flags.len());
    let history = &evidence.histories[0];
    let values: Vec<&str> = history.revisions.iter().map(|r| r.value.as_str()).collect();
    assert_eq!(values, ["3.42", "9.9"], "{history:?}");
    assert_eq!(history.revisions[1].reason, "年报数据替换快报数");
    let said: Vec<&str> = evidence.steps.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(said, ["open", "query", "answer"]);
    assert!(evidence.steps[2].text.contains("乡镇上报口径"));
    assert_eq!(evidence.referral, "说明不能成立，移送纪检监察");
    // Stored as a versioned document, like every JSON document jili keeps.
    let stored = office.raw_store().case(id).await.unwrap().unwrap();
    let refer = stored.steps.iter().find(|s| s.step == CaseStep::Refer).unwrap();
    assert!(refer.evidence.starts_with(r#"{"schema":1,"#), "{:.40}", refer.evidence);

    // Every step is an event on the case, and the chain verifies.
    let subject = format!("case/{id}");
    let on_case: Vec<String> =
        events(&office).await.into_iter().filter(|(_, s)| *s == subject).map(|(a, _)| a).collect();
    assert_eq!(on_case, ["case.open", "case.query", "case.answer", "case.refer"]);
    let report = office.verify_audit(None).await.unwrap();
    assert!(report.is_intact(), "{:#?}", report.problems);
    // An answer edited behind the application's back is found, and named by its case.
    office.close().await;
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(db.path());
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&options).await.unwrap();
    sqlx::query("UPDATE case_steps SET text = '数值属实' WHERE step = 'answer'").execute(&mut conn).await.unwrap();
    sqlx::Connection::close(conn).await.unwrap();
    let store = jili_store::Store::open(&db.url()).await.unwrap();
    let report = store.verify_audit().await.unwrap();
    assert!(
        report.problems.iter().any(|p| p.object == subject && p.what.starts_with("case_steps")),
        "{:#?}",
        report.problems
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_provider_reads_and_answers_only_its_own_cases_and_the_auditor_changes_nothing() {
    let db = common::demo_db().await;
    let office = App::open(&db.url(), "办公厅（测试）").await.unwrap();
    let flags = chenzhou(&office).await;
    let id = office.open_case("郴州市增速跳变", &ids(&flags[..1]), "").await.unwrap();
    office.query_case(id, "请说明").await.unwrap();

    // 财政厅 is not 统计局: its list is empty, the case and its answer are refused.
    let czt = office.acting_as(provider("CZT"));
    assert!(czt.cases().await.unwrap().is_empty());
    assert!(matches!(czt.case(id).await, Err(AppError::Denied(_))));
    let before = events(&office).await.len();
    assert!(matches!(czt.answer_case(id, "代为答复", None).await, Err(AppError::Denied(_))));
    // Nor may a provider open, query or resolve, even its own, or see the watch list.
    let tjj = office.acting_as(provider("TJJ"));
    assert!(matches!(tjj.open_case("自查", &ids(&flags[1..2]), "").await, Err(AppError::Denied(_))));
    assert!(matches!(tjj.resolve_case(id, CaseStep::Explain, "无误", None).await, Err(AppError::Denied(_))));
    assert!(matches!(tjj.watch_list().await, Err(AppError::Denied(_))));
    let lead = office.acting_as(Principal { name: "测试牵头".into(), role: Role::Lead("NYNCT".into()) });
    assert!(matches!(lead.cases().await, Err(AppError::Denied(_))));

    // The auditor reads every case and the watch list, and is refused every change.
    let audit = office.acting_as(auditor());
    assert_eq!(audit.cases().await.unwrap().len(), 1);
    let seen = audit.case(id).await.unwrap();
    assert_eq!(seen.case.id, id);
    assert!(!seen.histories.is_empty(), "the auditor reads the value's revisions");
    assert_eq!(seen.may, jili_app::cases::CaseControls::default());
    assert!(!audit.watch_list().await.unwrap().entries.is_empty());
    let refusals = [
        audit.open_case("纪检自立", &ids(&flags[1..2]), "").await.err(),
        audit.query_case(id, "询问").await.err(),
        audit.answer_case(id, "答复", None).await.err(),
        audit.resolve_case(id, CaseStep::Refer, "移送", None).await.err(),
        audit.request_publication_noting(Some(2024), "", "说明").await.err(),
    ];
    for r in refusals {
        assert!(matches!(r, Some(AppError::Denied(_))), "{r:?}");
    }
    assert_eq!(events(&office).await.len(), before, "nothing refused is recorded");
    // A corrected resolution needs a batch that corrected the value, from 统计局, after the flag.
    let wrong = office.resolve_case(id, CaseStep::Correct, "已更正", Some(1)).await.unwrap_err();
    assert!(wrong.to_string().contains("批次 1"), "{wrong}");
    let fixed = revise(&office, "郴州市", "3.52").await;
    let batch = office.batches().await.unwrap().last().unwrap().id;
    assert!(fixed.iter().all(|f| f.batch_id == batch));
    tjj.answer_case(id, "录入错误，已重新报送", Some(batch)).await.unwrap();
    let closed = office.resolve_case(id, CaseStep::Correct, "已核对原始台账", None).await.unwrap();
    assert_eq!(closed.status, CaseStatus::Corrected);
    let steps = office.case(id).await.unwrap().steps;
    assert_eq!(steps.last().unwrap().batch_id, Some(batch), "the answer's batch is the correction");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_watch_list_ranks_a_value_that_moves_a_winner_above_one_that_does_not() {
    let db = common::demo_db().await;
    let office = App::open(&db.url(), "办公厅（测试）").await.unwrap();
    let chenzhou = chenzhou(&office).await;
    // 长沙市, far ahead of the cut-off, raised from 3.47 to 6.5: flagged, and its score moves — but
    // nobody's selection. (Its code sorts before 郴州市's: only materiality puts 郴州市 first.)
    let changsha = revise(&office, "长沙市", "6.5").await;
    assert!(!changsha.is_empty() && changsha.iter().all(|f| f.code != "crosses-cutoff"), "{changsha:#?}");

    let list = office.watch_list().await.unwrap();
    assert_eq!(list.year, Some(2024));
    assert_eq!(list.skipped, 0);
    let at = |unit: &str| {
        list.entries.iter().position(|e| e.unit == unit && e.series == "AGRI_VA_GROWTH").unwrap_or_else(|| {
            panic!("{unit} not on the list: {:#?}", list.entries.iter().map(|e| &e.unit).collect::<Vec<_>>())
        })
    };
    let (c, x) = (&list.entries[at("431000")], &list.entries[at("430100")]);
    assert!(at("431000") < at("430100"), "the value that moves a winner comes first");
    // Whatever else is flagged, only values that move a winner come before it.
    assert!(list.entries[..at("431000")].iter().all(|e| e.moves_winners), "{:#?}", &list.entries[..at("431000")]);
    // 郴州市 at its peers' median falls out of measure 5 again.
    let m5 = c.impacts.iter().find(|i| i.measure == 5).unwrap();
    assert!(m5.winner && !m5.winner_if_median && m5.published, "{m5:?}");
    assert!(c.crosses && c.moves_winners && c.shift > 0.0);
    assert_eq!(c.value.as_deref(), Some("9.9"));
    assert_eq!(c.peers, 13);
    assert_eq!(c.flags.len(), chenzhou.len());
    // 长沙市's value moves its score, but nobody's selection.
    let x5 = x.impacts.iter().find(|i| i.measure == 5).unwrap();
    assert!(x.evaluated && !x.crosses && !x.moves_winners, "{x:#?}");
    assert!(x5.winner && x5.winner_if_median && x.shift > 0.0, "{x5:?}");

    // A resolved case takes its flags off the list; an open one shows with them.
    let id = office.open_case("郴州市", &ids(&chenzhou), "").await.unwrap();
    let list = office.watch_list().await.unwrap();
    let entry = list.entries.iter().find(|e| e.unit == "431000" && e.series == "AGRI_VA_GROWTH").unwrap();
    assert_eq!(entry.case.as_ref().map(|c| c.id), Some(id));
    office.resolve_case(id, CaseStep::Explain, "重大项目投产，数值属实", None).await.unwrap();
    let list = office.watch_list().await.unwrap();
    assert!(list.entries.iter().all(|e| e.unit != "431000" || e.series != "AGRI_VA_GROWTH"), "settled");
    assert!(list.entries.iter().any(|e| e.unit == "430100"));
}

#[tokio::test(flavor = "multi_thread")]
async fn publication_waits_for_a_material_case_unless_the_office_says_why() {
    let db = common::demo_db().await;
    let office = App::open(&db.url(), "办公厅（测试）").await.unwrap();
    let checker = office.acting_as(Principal::office("办公厅复核人（测试）"));
    let flags = chenzhou(&office).await;
    // A case that moves no winner (长沙市 stays first) does not hold publication up.
    let changsha = revise(&office, "长沙市", "6.5").await;
    assert!(!changsha.is_empty());
    office.open_case("长沙市增速偏高", &ids(&changsha), "").await.unwrap();
    // Two flags of the value in the first case, a third for a case opened later.
    let crossing = flags.iter().find(|f| f.code == "crosses-cutoff").unwrap();
    let others: Vec<&StoredFlag> = flags.iter().filter(|f| f.id != crossing.id).collect();
    assert!(others.len() >= 2, "the revision raises more than the crossing: {flags:#?}");
    let first = office.open_case("郴州市增速跳变", &[crossing.id, others[0].id], "").await.unwrap();

    let refused = office.request_publication(Some(2024), "第5条数据修订").await.unwrap_err();
    let said = refused.to_string();
    assert!(said.contains(&format!("核查案件 {first}")) && said.contains("第 5 条措施"), "{said}");
    assert!(office.publication_requests().await.unwrap().is_empty(), "nothing requested");
    let material = office.material_open_cases(Some(2024)).await.unwrap();
    assert_eq!(material.iter().map(|c| c.id).collect::<Vec<_>>(), [first]);
    assert_eq!(material[0].measures, [5]);
    assert_eq!(material[0].effects.len(), 1, "one value, said once: {:?}", material[0].effects);

    let why = "督查时限要求按期发布，郴州市数据另行核查";
    let request = office.request_publication_noting(Some(2024), "第5条数据修订", why).await.unwrap();
    let step = office.case(first).await.unwrap().steps.pop().unwrap();
    assert_eq!((step.step, step.text.as_str(), step.request_id), (CaseStep::Waive, why, Some(request)));
    assert_eq!(office.case(first).await.unwrap().case.status, CaseStatus::Open, "the case stays open");
    assert!(events(&office).await.contains(&("case.waive".to_string(), format!("case/{first}"))));
    let waivers = office.acting_as(auditor()).publication_waivers().await.unwrap();
    assert_eq!(waivers.len(), 1, "the auditor reads the reason");

    // A material case opened after the request stops its confirmation.
    let second = office.open_case("郴州市增速跳变（续）", &[others[1].id], "").await.unwrap();
    let stopped = checker.confirm_publication(request).await.unwrap_err().to_string();
    assert!(stopped.contains(&format!("核查案件 {second}")) && stopped.contains("撤回"), "{stopped}");
    assert!(office.published(Some(2024)).await.unwrap().is_none(), "not published");

    // Resolved, they hold nothing up.
    office.withdraw_publication(request).await.unwrap();
    office.resolve_case(second, CaseStep::Explain, "与 1 号案件同一数值", None).await.unwrap();
    office.resolve_case(first, CaseStep::Explain, "重大项目投产，数值属实", None).await.unwrap();
    let again = office.request_publication(Some(2024), "第5条数据修订").await.unwrap();
    let published = checker.confirm_publication(again).await.unwrap();
    assert_eq!(published.version, 1);
    assert!(office.verify_audit(None).await.unwrap().is_intact());
}

#[tokio::test(flavor = "multi_thread")]
async fn rebuilding_the_demo_does_not_wipe_a_case() {
    let db = common::demo_db().await;
    let office = App::open(&db.url(), "办公厅（测试）").await.unwrap();
    // A flag on demo data (as a re-check of stored demo data raises them): no real batch.
    let batch = jili_model::Batch {
        provider: "TJJ".into(),
        source: "演示数据复核".into(),
        demo: true,
        observations: vec![common::observation("AGRI_VA_GROWTH", "431000", 2024, "9.9")],
    };
    let flag = jili_store::NewFlag {
        series: "AGRI_VA_GROWTH".into(),
        unit: "431000".into(),
        period: "2024".into(),
        code: "outlier-in-group".into(),
        message: "明显高于同组".into(),
        prominent: false,
    };
    let flags = [flag];
    let new = jili_store::NewBatch { batch: &batch, reason: "复核", flags: &flags, mapping: None };
    let actor = jili_store::Actor { name: "测试".into(), at: "2024-06-01T00:00:00Z".into() };
    let id = office.raw_store().import(&actor, new).await.unwrap().batch_id;
    let flag = office.flags(Some(id)).await.unwrap()[0].id;
    office.open_case("演示数据上的疑点", &[flag], "").await.unwrap();
    let refused = office.build_demo(&|_| {}).await.unwrap_err().to_string();
    assert!(refused.contains("核查案件"), "{refused}");
    assert_eq!(office.cases().await.unwrap().len(), 1, "kept");
}
