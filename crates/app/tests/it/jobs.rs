//! Heavy work and jobs: a saturated pool answers busy; a job moves from queued to done with its
//! progress and result, seen only by the one who started it, the office and the auditor; the
//! unfinished jobs of a server that stopped are failed, never left running.
#![allow(clippy::unwrap_used)]

use crate::common;

use jili_app::jobs::RESTART_MESSAGE;
use jili_app::{App, AppError, Capacity, Principal, Role, RunRequest, Work};
use jili_model::JobStatus;
use std::time::Duration;

fn small() -> Capacity {
    Capacity {
        threads: 1,
        queue_wait: Duration::from_millis(100),
        heartbeat: Duration::from_millis(200),
        stale_after: Duration::from_secs(1),
        ..Capacity::server()
    }
}

fn user(app: &App, name: &str, role: Role) -> App {
    app.acting_as(Principal { name: name.into(), role })
}

#[tokio::test]
async fn a_run_all_job_is_queued_then_done_with_its_runs_for_its_starter_the_office_and_the_auditor() {
    let db = common::demo_db().await;
    let app = App::open(&db.url(), "测试").await.unwrap().with_capacity(small());
    let office = user(&app, "zhang", Role::Office);
    let before = app.raw_store().run_count().await.unwrap();

    // While a run holds the only place, the job waits in the queue.
    let held = app.workers().admit(Work::Run, None).await.unwrap();
    let job = office.start_run_all(RunRequest { samples: Some(0), ..RunRequest::default() }).await.unwrap();
    assert_eq!(job.status, JobStatus::Queued);
    assert_eq!((job.kind.as_str(), job.started_by.as_str()), ("run_all", "zhang"));
    assert_eq!(office.wait_for_job(job.id, Duration::from_millis(300)).await.unwrap().status, JobStatus::Queued);
    // An interactive run meanwhile is told the system is busy, and does nothing.
    match office.run(3, &RunRequest { samples: Some(0), ..RunRequest::default() }).await {
        Err(AppError::Busy { message, retry_after }) => {
            assert!(message.contains("系统繁忙") && message.contains("请稍后再试"), "{message}");
            assert!(retry_after >= 1);
        }
        other => panic!("expected busy, got {other:?}"),
    }
    drop(held);

    let done = office.wait_for_job(job.id, Duration::from_secs(120)).await.unwrap();
    assert_eq!(done.status, JobStatus::Done, "{}", done.message);
    assert_eq!((done.done_steps, done.total_steps), (20, 20));
    assert!(done.message.starts_with("已运行 20 条措施"), "{}", done.message);
    assert_eq!(done.link, "/work/runs");
    assert_eq!(done.result["runs"].as_array().unwrap().len(), 20);
    assert!(!done.started_at.is_empty() && !done.finished_at.is_empty());
    assert_eq!(app.raw_store().run_count().await.unwrap(), before + 20);

    // Who sees it.
    assert_eq!(user(&app, "li", Role::Office).job(job.id).await.unwrap().id, job.id);
    assert_eq!(user(&app, "shen", Role::Auditor).job(job.id).await.unwrap().id, job.id);
    let provider = user(&app, "tjj", Role::Provider("TJJ".into()));
    assert!(matches!(provider.job(job.id).await, Err(AppError::NotFound(_))));
    assert!(provider.jobs().await.unwrap().is_empty());
    assert!(matches!(app.acting_as(Principal::public()).job(job.id).await, Err(AppError::Denied(_))));
    assert!(user(&app, "shen", Role::Auditor).jobs().await.unwrap().iter().any(|j| j.id == job.id));
    // Who may start one: the run's own permission.
    assert!(matches!(provider.start_run_all(RunRequest::default()).await, Err(AppError::Denied(_))));
    assert!(app.verify_audit(None).await.unwrap().is_intact());
}

#[tokio::test]
async fn a_verify_job_reports_the_chain_and_an_import_job_fails_on_a_bad_file_storing_nothing() {
    let db = common::demo_db().await;
    let app = App::open(&db.url(), "测试").await.unwrap().with_capacity(small());
    let auditor = user(&app, "shen", Role::Auditor);
    let job = auditor.start_verify(None).await.unwrap();
    let done = auditor.wait_for_job(job.id, Duration::from_secs(120)).await.unwrap();
    assert_eq!(done.status, JobStatus::Done, "{}", done.message);
    assert!(done.message.starts_with("审计链完整"), "{}", done.message);
    assert_eq!(done.result["intact"], true);

    let provider = user(&app, "tjj", Role::Provider("TJJ".into()));
    let batches = app.raw_store().batches().await.unwrap().len();
    let bad = common::request("坏.csv", "地区,指标,年份,数值\n长沙市,地区生产总值,2024,很多\n", "TJJ");
    let job = provider
        .start_import(bad, |o| serde_json::json!({ "errors": o.count(jili_app::intake::Severity::Error) }))
        .await
        .unwrap();
    let failed = provider.wait_for_job(job.id, Duration::from_secs(120)).await.unwrap();
    assert_eq!(failed.status, JobStatus::Failed, "{}", failed.message);
    assert!(failed.message.contains("未通过"), "{}", failed.message);
    assert!(failed.result["errors"].as_u64().unwrap() >= 1);
    assert_eq!(app.raw_store().batches().await.unwrap().len(), batches, "nothing stored");
}

#[test]
fn the_unfinished_jobs_of_a_server_that_stopped_are_failed() {
    let db = jili_testkit::TestDb::new();
    let url = db.url();
    // The first server: a job queued behind work that never ends, then the server stops (its
    // runtime, with every task, is gone). Its heartbeat said it was alive once, at the start:
    // a process killed between two beats leaves its database as this one does.
    let first = tokio::runtime::Runtime::new().unwrap();
    let (id, runner) = first.block_on(async {
        let limits = Capacity { heartbeat: Duration::from_secs(3600), ..small() };
        let app = App::open(&url, "测试").await.unwrap().with_capacity(limits);
        app.load_reference(&jili_app::bundled::reference_files()).await.unwrap();
        let held = app.workers().admit(Work::Verify, None).await.unwrap();
        std::mem::forget(held);
        let job = user(&app, "shen", Role::Auditor).start_verify(None).await.unwrap();
        assert_eq!(job.status, JobStatus::Queued);
        // No write of this server's is left open when it stops (the operating system would
        // end a killed process's; a runtime dropped in a test cannot).
        tokio::time::sleep(Duration::from_millis(200)).await;
        app.close().await;
        (job.id, app.workers().runner().to_string())
    });
    drop(first);

    let second = tokio::runtime::Runtime::new().unwrap();
    second.block_on(async {
        let app = App::open(&url, "测试").await.unwrap().with_capacity(small());
        assert_ne!(app.workers().runner(), runner);
        // A running job of the stopped server too (as its row stood when it stopped).
        let running = app
            .raw_store()
            .add_job(jili_store::NewJob {
                kind: "run_all",
                title: "运行全部措施的评价",
                started_by: "zhang",
                runner: &runner,
                total_steps: 20,
                message: "",
                at: "2024-03-01T08:00:00Z",
                now: jili_app::clock::unix_now(),
            })
            .await
            .unwrap();
        assert!(
            app.raw_store()
                .start_job(running, "进行中", "2024-03-01T08:00:01Z", jili_app::clock::unix_now())
                .await
                .unwrap()
        );
        // Still fresh: a server that has just started cannot tell a stopped server from a live one.
        assert_eq!(app.keep_jobs().await.unwrap(), 0);
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let office = user(&app, "zhang", Role::Office);
        for id in [id, running] {
            let job = office.job(id).await.unwrap();
            assert_eq!(job.status, JobStatus::Failed, "job {id}: {job:?}");
            assert_eq!(job.message, RESTART_MESSAGE);
            assert!(!job.finished_at.is_empty());
        }
        // Nothing was half-done: no run, and the chain verifies.
        assert_eq!(app.raw_store().run_count().await.unwrap(), 0);
        assert!(app.verify_audit(None).await.unwrap().is_intact());
        // This server's own jobs stay alive.
        let mine = office.start_verify(None).await.unwrap();
        let mine = office.wait_for_job(mine.id, Duration::from_secs(60)).await.unwrap();
        assert_eq!(mine.status, JobStatus::Done, "{}", mine.message);
    });
}
