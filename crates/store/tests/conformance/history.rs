//! One history touching every table, and every read of it, for comparing databases.

use crate::*;

/// A history touching every table, written in the same order on every backend.
pub async fn populate(store: &Store) {
    let at = |i: u32| who(&format!("2024-04-{i:02}T09:00:00Z"));
    store.put_reference(&at(1), &departments(), &units(3), &series()).await.unwrap();
    store.put_programme(&at(1), &programme(2024)).await.unwrap();
    let toml = "[plan]\nyear = 2024\n";
    let plan = NewPlan {
        year: 2024,
        measure: 1,
        status: jili_model::PlanStatus::Draft,
        example: false,
        source_name: "m1.toml",
        toml,
    };
    let v = store.add_plan(&at(2), plan).await.unwrap();
    let step = |to| PlanStep { year: 2024, measure: 1, version: v, to, comment: "可以", checked_sha256: None };
    store.plan_step(&at(3), step(jili_model::PlanStatus::Submitted)).await.unwrap();
    store.plan_step(&at(3), step(jili_model::PlanStatus::Approved)).await.unwrap();
    let first = batch(
        "TJJ",
        "tjj-2023.csv",
        vec![
            obs("GDP", "430100", "2023", "100.5", Status::Preliminary),
            obs("GDP", "430200", "2023", "80", Status::Final),
            obs("gdp_pc", "430100", "2023-Q1", "7.25", Status::Final),
        ],
    );
    let flag = NewFlag {
        series: "GDP".into(),
        unit: "430100".into(),
        period: "2023".into(),
        code: "jump".into(),
        message: "增速异常：\n较上年 +40%".into(),
        prominent: true,
    };
    let flags = [flag];
    let new = NewBatch { batch: &first, reason: "", flags: &flags, mapping: Some(("sig-1", "[columns]\na = 1\n")) };
    let b1 = store.import(&at(4), new).await.unwrap().batch_id;
    let second = batch("TJJ", "tjj-2023-年报.csv", vec![obs("GDP", "430100", "2023", "100.5", Status::Final)]);
    store.import_batch(&at(5), &second).await.unwrap();
    store.put_setting(&at(5), "checks", "[rules]\nmax_jump = 0.4\n").await.unwrap();
    let run = NewRun {
        year: 2024,
        measure: 1,
        plan_version: v,
        plan_sha256: "p",
        data_sha256: "d",
        seed: u64::MAX,
        samples: 10,
        result: "{\"units\":[]}",
        data_batch: b1,
        engine: "0.1.0",
    };
    let run_id = store.add_run(&at(6), run).await.unwrap();
    store.add_override(&at(6), run_id, "430200", "winner", "复核后列入").await.unwrap();
    store.put_budget(&at(7), 2024, 1, "1200.50", "湘财预〔2024〕1号").await.unwrap();
    store.add_publication(&at(7), 2024, "首次发布", "{\"demo\":false}").await.unwrap();
    store.add_commendation(&at(8), 2024, "430300", "省政府综合督查", "经验做法").await.unwrap();
    let release = NewRelease {
        calendar: "quarterly",
        cutoff: "2023-Q1",
        title: "季度通报",
        demo: false,
        reason: "首次通报",
        body: "{\"values\":[]}",
    };
    store.add_release(&at(8), release).await.unwrap();
    store.add_release(&at(8), NewRelease { demo: true, reason: "更正：\t修订", body: "{}", ..release }).await.unwrap();
    store.add_user(&at(8), &user("Zhang", "office")).await.unwrap();
    store.add_user(&at(8), &user("li", "auditor")).await.unwrap();
    store.set_user_disabled(&at(9), "li", true).await.unwrap();
    let flag_id = store.flags(Some(b1)).await.unwrap()[0].id;
    store.add_flag_note(&at(9), flag_id, "已核实：统计口径调整").await.unwrap();
    // A verification case: opened on the flag, queried, answered with the corrected batch,
    // referred with its evidence; a second one waived for a publication request.
    let case = store.open_case(&at(9), "GDP 跳变核查", "TJJ", &[flag_id], "增速异常").await.unwrap();
    let step = |step, text, batch_id, evidence| jili_store::NewCaseStep { step, text, batch_id, evidence };
    store.add_case_step(&at(10), case, step(jili_model::CaseStep::Query, "请说明", None, "")).await.unwrap();
    let answer = step(jili_model::CaseStep::Answer, "已更正\t见批次", Some(b1 + 1), "");
    store.add_case_step(&at(10), case, answer).await.unwrap();
    let refer = step(jili_model::CaseStep::Refer, "移送", None, "{\"schema\":1,\"flags\":[]}");
    store.add_case_step(&at(11), case, refer).await.unwrap();
    let other = store.open_case(&at(11), "再次核查", "TJJ", &[flag_id], "").await.unwrap();
    store.add_publication_request_waiving(&at(11), 2024, "", "不影响入选", &[other]).await.unwrap();
    store.create_session("token-hash", "Zhang", "csrf", 1_700_000_000, 1_700_003_600).await.unwrap();
    store.record_login_failure("li", 1_700_000_100).await.unwrap();
    let mut sso = user("sso.wang", "unit");
    sso.scope = "430100".into();
    store.sso_user(&at(9), "https://idp.example", "sub-wang", &sso).await.unwrap();
    let access = NewAccess {
        at: "2024-04-09T09:00:01Z",
        user_name: "li",
        role: "auditor",
        scope: "",
        client: "10.0.0.7",
        event: "login",
        target: "",
        outcome: "disabled",
        detail: "账号已停用\t（制表符）",
    };
    store.record_access(&access).await.unwrap();
    store.record_access(&NewAccess { user_name: "Zhang", role: "office", outcome: "ok", ..access }).await.unwrap();
}

/// Everything the store's read methods return, as text, for comparing two databases.
pub async fn read_all(store: &Store) -> Vec<(&'static str, String)> {
    let s = store;
    vec![
        ("departments", format!("{:?}", s.departments().await.unwrap())),
        ("units", format!("{:?}", s.units().await.unwrap())),
        ("series", format!("{:?}", s.series().await.unwrap())),
        ("programme", format!("{:?}", s.programme(2024).await.unwrap())),
        ("programme_years", format!("{:?}", s.programme_years().await.unwrap())),
        ("plans", format!("{:?}", s.plans(2024).await.unwrap())),
        ("plan_versions", format!("{:?}", s.plan_versions(2024, 1).await.unwrap())),
        ("plan_reviews", format!("{:?}", s.plan_reviews(2024, 1).await.unwrap())),
        ("batches", format!("{:?}", s.batches().await.unwrap())),
        ("observations", format!("{:?}", s.observations().await.unwrap())),
        ("as_of", format!("{:?}", s.observations_as_of(&["GDP", "gdp_pc"], 1).await.unwrap())),
        ("revisions", format!("{:?}", s.revisions("GDP", "430100", "2023").await.unwrap())),
        ("flags", format!("{:?}", s.flags(None).await.unwrap())),
        ("mappings", format!("{:?}", s.mappings().await.unwrap())),
        ("setting", format!("{:?}", s.setting("checks").await.unwrap())),
        ("runs", format!("{:?}", s.runs().await.unwrap())),
        ("overrides", format!("{:?}", s.overrides(1).await.unwrap())),
        ("budget", format!("{:?}", s.budget(2024, 1).await.unwrap())),
        ("publications", format!("{:?}", s.publications(2024).await.unwrap())),
        ("publication_heads", format!("{:?}", s.publication_heads().await.unwrap())),
        ("commendations", format!("{:?}", s.commendations(2024).await.unwrap())),
        ("release_heads", format!("{:?}", s.release_heads().await.unwrap())),
        ("release", format!("{:?}", s.release(1).await.unwrap())),
        ("users", format!("{:?}", s.users().await.unwrap())),
        ("session", format!("{:?}", s.session("token-hash", 1_700_000_001).await.unwrap())),
        ("login_failures", format!("{:?}", s.login_failures("li", 0).await.unwrap())),
        ("sso_identities", format!("{:?}", s.sso_user_name("https://idp.example", "sub-wang").await.unwrap())),
        ("flag_notes", format!("{:?}", s.flag_notes().await.unwrap())),
        ("cases", format!("{:?}", s.cases().await.unwrap())),
        ("case_flag_links", format!("{:?}", s.case_flag_links().await.unwrap())),
        ("case_steps", format!("{:?}", s.case_steps().await.unwrap())),
        ("case", format!("{:?}", s.case(1).await.unwrap())),
        ("fund_entries", format!("{:?}", s.fund_entries(2024).await.unwrap())),
        ("publication_requests", format!("{:?}", s.publication_requests().await.unwrap())),
        (
            "access_log",
            format!("{:?}", s.access_log(&AccessQuery { limit: 100, ..AccessQuery::default() }).await.unwrap()),
        ),
        ("office_records", format!("{:?}", s.office_records().await.unwrap())),
        ("audit_events", format!("{:?}", s.audit_events().await.unwrap())),
    ]
}
