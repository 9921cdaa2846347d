//! Jobs (long work the web started) and runs recorded together.

use crate::*;

fn job<'a>(kind: &'a str, by: &'a str, runner: &'a str, now: i64) -> jili_store::NewJob<'a> {
    jili_store::NewJob {
        kind,
        title: "运行全部措施评价",
        started_by: by,
        runner,
        total_steps: 20,
        message: "排队等候",
        at: "2024-03-01T08:00:00Z",
        now,
    }
}

#[tokio::test]
async fn jobs_move_from_queued_to_an_end_once_and_stale_ones_fail() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        let name = db.name();
        let t = 1_700_000_000;
        let a = store.add_job(job("run_all", "zhang", "p1", t)).await.unwrap();
        let b = store.add_job(job("verify", "wang", "p1", t)).await.unwrap();
        let c = store.add_job(job("import", "zhang", "p2", t)).await.unwrap();
        assert!(a < b && b < c, "{name}");
        let queued = store.job(a).await.unwrap().unwrap();
        assert_eq!((queued.status.as_str(), queued.done_steps, queued.total_steps), ("queued", 0, 20));
        assert_eq!((queued.started_at.as_str(), queued.link.as_str()), ("", ""));
        assert_eq!(store.job(999).await.unwrap(), None);

        // Progress only while running; an end only once.
        assert!(!store.job_progress(a, 1, 20, "第 1 条", t).await.unwrap(), "{name}: not running yet");
        assert!(store.start_job(a, "运行中", "2024-03-01T08:00:01Z", t + 1).await.unwrap());
        assert!(!store.start_job(a, "运行中", "2024-03-01T08:00:01Z", t + 1).await.unwrap(), "{name}: twice");
        assert!(store.job_progress(a, 5, 20, "第 5 条", t + 2).await.unwrap());
        let running = store.job(a).await.unwrap().unwrap();
        assert_eq!((running.status.as_str(), running.done_steps, running.message.as_str()), ("running", 5, "第 5 条"));
        assert!(
            store.finish_job(a, "done", "已完成", "/work/runs", "{\"runs\":20}", "2024-03-01T08:01:00Z").await.unwrap()
        );
        assert!(!store.finish_job(a, "failed", "x", "", "", "2024-03-01T08:02:00Z").await.unwrap(), "{name}");
        let done = store.job(a).await.unwrap().unwrap();
        assert_eq!((done.status.as_str(), done.done_steps, done.link.as_str()), ("done", 20, "/work/runs"));
        assert_eq!(done.finished_at, "2024-03-01T08:01:00Z");

        // Lists: everyone's or one user's, newest first.
        let all: Vec<i64> = store.jobs(None, 10).await.unwrap().iter().map(|j| j.id).collect();
        assert_eq!(all, [c, b, a], "{name}");
        let mine: Vec<i64> = store.jobs(Some("zhang"), 10).await.unwrap().iter().map(|j| j.id).collect();
        assert_eq!(mine, [c, a], "{name}");
        assert_eq!(store.jobs(None, 1).await.unwrap().len(), 1);

        // A live runner's jobs stay; a stopped one's fail, with the message.
        assert_eq!(store.job_heartbeat("p1", t + 100).await.unwrap(), 1, "{name}: only b is unfinished on p1");
        let failed = store.fail_stale_jobs(t + 50, "服务器重启，任务未完成", "2024-03-01T09:00:00Z").await.unwrap();
        assert_eq!(failed, 1, "{name}: c (p2) had not said it was alive");
        let c_now = store.job(c).await.unwrap().unwrap();
        assert_eq!((c_now.status.as_str(), c_now.message.as_str()), ("failed", "服务器重启，任务未完成"));
        assert_eq!(store.job(b).await.unwrap().unwrap().status, "queued");
        assert!(!store.start_job(c, "运行中", "x", t).await.unwrap(), "{name}: a failed job does not start");
        // Jobs are not records: the audit log is unchanged and verifies.
        assert!(store.audit_events().await.unwrap().is_empty(), "{name}");
        assert!(store.verify_audit().await.unwrap().is_intact(), "{name}");
        seen.push((name, format!("{:?}", (store.job(b).await.unwrap().map(|j| (j.status, j.heartbeat))))));
        store.close().await;
    }
    same("jobs", &seen);
}

#[tokio::test]
async fn runs_evaluated_together_are_recorded_together() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = seeded(&db).await;
        let run = |measure: u32, result: &'static str| NewRun {
            year: 2024,
            measure,
            plan_version: 1,
            plan_sha256: "plan",
            data_sha256: "data",
            seed: 7,
            samples: 0,
            result,
            data_batch: 0,
            engine: "0.1.0",
        };
        let ids =
            store.add_runs(&me(), &[run(1, "{\"m\":1}"), run(2, "{\"m\":2}"), run(3, "{\"m\":3}")]).await.unwrap();
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(store.add_runs(&me(), &[]).await.unwrap(), Vec::<i64>::new());
        let events = store.audit_events().await.unwrap();
        let subjects: Vec<&str> = events.iter().filter(|e| e.action == "run").map(|e| e.subject.as_str()).collect();
        assert_eq!(subjects, ["run/2024/1/1", "run/2024/2/2", "run/2024/3/3"]);
        assert!(store.verify_audit().await.unwrap().is_intact());
        seen.push((db.name(), events.into_iter().map(|e| e.hash).collect::<Vec<_>>()));
        store.close().await;
    }
    same("runs recorded together", &seen);
}
