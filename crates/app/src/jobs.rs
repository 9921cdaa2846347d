//! Jobs: long work started from the web — evaluating every measure, a confirmed import,
//! verifying the audit chain — runs in the server after the request is answered, so closing
//! the browser stops nothing. A job is a row (see `jili_store::StoredJob`) its page and the API
//! read: queued, running (with progress), then done with a link to the result, or failed with
//! the reason. It runs the same use-case the command line runs, as heavy work (see
//! [`crate::workers`]) of the user who started it; it waits in the queue as long as needed,
//! but a process accepts only [`Capacity::queued_jobs`](crate::Capacity) unfinished jobs of a kind.
//!
//! Each process marks its unfinished jobs as alive every [`Capacity::heartbeat`](crate::Capacity);
//! a job not marked for [`Capacity::stale_after`](crate::Capacity) belonged to a process that
//! stopped and is failed with [`RESTART_MESSAGE`] — by the next server to start or by any
//! server still running. The use-cases are transactional, so such a job left nothing half-done.

use crate::access::{Action, Role};
use crate::error::{AppError, Result};
use crate::workers::{JobPlace, Work};
use crate::{App, ImportOutcome, ImportRequest, RunRequest, clock};
use jili_model::JobStatus;
use jili_store::{NewJob, StoredJob};
use serde::Serialize;
use serde_json::{Value, json};
use std::future::Future;
use std::time::Duration;

pub use crate::workers::RESTART_MESSAGE;

/// Jobs a list shows.
pub const LISTED: usize = 100;

/// A job as its page and the API show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Job {
    pub id: i64,
    /// `run_all`, `verify` or `import`.
    pub kind: String,
    pub title: String,
    pub started_by: String,
    pub status: JobStatus,
    /// [`JobStatus::label`].
    pub status_label: &'static str,
    pub done_steps: i64,
    pub total_steps: i64,
    /// The stage, the outcome, or why it failed.
    pub message: String,
    /// Where the result is shown, once done.
    pub link: String,
    /// The outcome in detail (JSON), once finished.
    pub result: Value,
    pub created_at: String,
    pub started_at: String,
    pub finished_at: String,
}

impl Job {
    fn of(s: StoredJob) -> Job {
        // A status jili did not write reads as failed: it is not going anywhere.
        let status = JobStatus::parse(&s.status).unwrap_or(JobStatus::Failed);
        Job {
            id: s.id,
            kind: s.kind,
            title: s.title,
            started_by: s.started_by,
            status,
            status_label: status.label(),
            done_steps: s.done_steps,
            total_steps: s.total_steps,
            message: s.message,
            link: s.link,
            result: serde_json::from_str(&s.result).unwrap_or(Value::Null),
            created_at: s.created_at,
            started_at: s.started_at,
            finished_at: s.finished_at,
        }
    }

    /// Whether it will change no more.
    pub fn finished(&self) -> bool {
        self.status.is_finished()
    }
}

/// How a job ended well: its message, where the result is shown, the outcome in detail.
#[derive(Debug, Clone)]
pub struct JobOutcome {
    /// `false`: the work ran but refused (an import whose file failed its checks).
    pub ok: bool,
    pub message: String,
    pub link: String,
    pub result: Value,
}

/// What a running job says about its progress: steps done of all, and the stage.
#[derive(Debug, Clone)]
pub struct Progress(tokio::sync::watch::Sender<(i64, i64, String)>);

impl Progress {
    /// `done` steps of `total`, now at `stage`.
    pub fn set(&self, done: usize, total: usize, stage: impl Into<String>) {
        let n = |x: usize| i64::try_from(x).unwrap_or(i64::MAX);
        let _ = self.0.send((n(done), n(total), stage.into()));
    }
}

impl App {
    /// Start evaluating every measure (see [`App::run_all`]) as a job.
    pub async fn start_run_all(&self, request: RunRequest) -> Result<Job> {
        self.allow(Action::Run)?;
        self.start_job("run_all", Work::Run, "运行全部措施的评价", 20, move |app, progress| async move {
            let reports = app
                .run_all_reporting(&request, move |done, total| {
                    progress.set(done, total, format!("已评价 {done}/{total} 条措施"));
                })
                .await?;
            let total: u64 = reports.iter().map(|r| r.result.total_wan).sum();
            let runs: Vec<Value> = reports
                .iter()
                .map(|r| {
                    let winners =
                        r.result.units.iter().filter(|u| u.outcome == jili_engine::Outcome::Winner).count();
                    json!({"id": r.id, "measure": r.result.measure, "title": r.result.title, "winners": winners,
                        "total_wan": r.result.total_wan, "data_sha256": r.data_sha256, "result_sha256": r.result_sha256})
                })
                .collect();
            Ok(JobOutcome {
                ok: true,
                message: format!(
                    "已运行 {} 条措施，奖励合计 {total} 万元；结果尚未公开，发布请到“结果发布”",
                    reports.len()
                ),
                link: "/work/runs".into(),
                result: json!({ "runs": runs }),
            })
        })
        .await
    }

    /// Start verifying the audit chain and every record (see [`App::verify_audit`]) as a job;
    /// `head` is an earlier verification's chain head to look for.
    pub async fn start_verify(&self, head: Option<(i64, String)>) -> Result<Job> {
        self.allow(Action::Audit)?;
        self.start_job("verify", Work::Verify, "核验审计链与各记录", 1, move |app, progress| async move {
            progress.set(0, 1, "正在重新计算每个事件与记录的摘要");
            let report = app.verify_audit(head.as_ref().map(|(s, h)| (*s, h.as_str()))).await?;
            let message = if report.is_intact() {
                let head = report.head.as_ref().map_or(String::new(), |(s, h)| format!("；链尾 {s}:{h}（请另行记下）"));
                format!("审计链完整：{} 个事件、{} 个记录均与日志相符{head}", report.events, report.objects)
            } else {
                format!("发现 {} 处问题：数据库在本系统之外被改动过，请查看详情并报告", report.problems.len())
            };
            let mut result = serde_json::to_value(&report).unwrap_or(Value::Null);
            result["intact"] = Value::Bool(report.is_intact());
            Ok(JobOutcome { ok: true, message, link: String::new(), result })
        })
        .await
    }

    /// Start a re-check of the stored data (see [`App::recheck`]) as a job.
    pub async fn start_recheck(&self, request: crate::RecheckRequest) -> Result<Job> {
        self.allow(Action::Recheck)?;
        self.start_job("recheck", Work::Import, "复查库中数据", 1, move |app, progress| async move {
            progress.set(0, 1, "正在对库中数据重跑各项校验");
            let r = app.recheck(&request).await?;
            let message = match r.id {
                None => "上次复查之后没有新的数据，无需复查（可勾选“复查全部数据项”）".to_string(),
                Some(_) => {
                    let by: Vec<String> =
                        r.added.iter().map(|(c, n)| format!("{} {n}", crate::flag_label(c))).collect();
                    format!(
                        "已复查{}：{} 个数值，新增疑点 {} 条{}",
                        r.scope,
                        r.checked,
                        r.added_total(),
                        if by.is_empty() { String::new() } else { format!("（{}）", by.join("、")) }
                    )
                }
            };
            Ok(JobOutcome {
                ok: true,
                message,
                link: "/work/flags".into(),
                result: serde_json::to_value(&r).unwrap_or(Value::Null),
            })
        })
        .await
    }

    /// Start an import (see [`App::import_file`]) as a job; `summary` turns its outcome into the
    /// detail the job keeps (the web's report rows). A file that fails its checks fails the job,
    /// with the findings in its detail; nothing is stored then.
    pub async fn start_import<S>(&self, mut request: ImportRequest, summary: S) -> Result<Job>
    where
        S: FnOnce(&ImportOutcome) -> Value + Send + 'static,
    {
        request.provider = self.department_code(&request.provider).await?;
        self.allow(Action::Import { owner: &request.provider })?;
        let title = format!("导入“{}”（{}）", request.file, request.provider);
        self.start_job("import", Work::Import, &title, 4, move |app, progress| async move {
            let stages = ["读取文件", "识别表头与各列", "校验", "写入数据库"];
            let outcome = app
                .import_file(&request, &|stage| {
                    let done = stages.iter().position(|s| *s == stage).unwrap_or(0);
                    progress.set(done, stages.len(), stage);
                })
                .await?;
            let verdict = outcome.summary().first().map(|(_, v)| v.clone()).unwrap_or_default();
            let ok = !outcome.rejected();
            let message =
                if ok { verdict } else { format!("确认时重新校验未通过：{verdict}（见下表）") };
            let link = if ok { "/work/batches".to_string() } else { String::new() };
            Ok(JobOutcome { ok, message, link, result: summary(&outcome) })
        })
        .await
    }

    /// A job, for the one who started it, the office and the auditor.
    pub async fn job(&self, id: i64) -> Result<Job> {
        let missing =
            || AppError::NotFound(format!("没有编号为 {id} 的任务，或它不是您提交的：请从“后台任务”列表进入"));
        let job = self.store.job(id).await?.ok_or_else(missing)?;
        if self.principal().role == Role::Public {
            self.allow(Action::ReadJob { started_by: &job.started_by })?;
        }
        if !crate::access::allows(self.principal(), &Action::ReadJob { started_by: &job.started_by }) {
            return Err(missing());
        }
        Ok(Job::of(job))
    }

    /// The newest jobs this user may follow: their own; every job for the office and auditor.
    pub async fn jobs(&self) -> Result<Vec<Job>> {
        let p = self.principal();
        let all = matches!(p.role, Role::Office | Role::Auditor);
        if p.role == Role::Public {
            self.allow(Action::ReadJob { started_by: "" })?;
        }
        let rows = self.store.jobs((!all).then_some(p.name.as_str()), LISTED).await?;
        Ok(rows.into_iter().map(Job::of).collect())
    }

    /// The job once finished, or as it stands after `within`.
    pub async fn wait_for_job(&self, id: i64, within: Duration) -> Result<Job> {
        let until = tokio::time::Instant::now() + within;
        loop {
            let job = self.job(id).await?;
            if job.finished() || tokio::time::Instant::now() >= until {
                return Ok(job);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// For a server starting: fail the unfinished jobs of servers that stopped (see the module
    /// documentation), and from now on mark this process's jobs alive. Returns how many failed.
    pub async fn keep_jobs(&self) -> Result<u64> {
        self.workers.keep_alive(self.store.clone());
        self.fail_stale_jobs().await
    }

    async fn fail_stale_jobs(&self) -> Result<u64> {
        let stale = i64::try_from(self.workers.limits().stale_after.as_secs()).unwrap_or(i64::MAX);
        Ok(self
            .store
            .fail_stale_jobs(clock::unix_now().saturating_sub(stale), RESTART_MESSAGE, &clock::now_utc())
            .await?)
    }

    /// Record a queued job and run `body` for it in the background, as heavy work of `work`.
    async fn start_job<F, Fut>(&self, kind: &str, work: Work, title: &str, steps: i64, body: F) -> Result<Job>
    where
        F: FnOnce(App, Progress) -> Fut + Send + 'static,
        Fut: Future<Output = Result<JobOutcome>> + Send + 'static,
    {
        if self.principal().role == Role::Public {
            return Err(AppError::Denied("请先登录".into()));
        }
        let place = self.workers.job_accepted(work)?;
        self.workers.keep_alive(self.store.clone());
        let id = self
            .store
            .add_job(NewJob {
                kind,
                title,
                started_by: &self.principal().name,
                runner: self.workers.runner(),
                total_steps: steps,
                message: "排队等候（其他同类任务完成后开始）",
                at: &clock::now_utc(),
                now: clock::unix_now(),
            })
            .await?;
        tokio::spawn(run_job(self.clone(), id, work, place, body));
        self.job(id).await
    }
}

/// A job's life in the background: wait for a place, run, record the end.
async fn run_job<F, Fut>(app: App, id: i64, work: Work, place: JobPlace, body: F)
where
    F: FnOnce(App, Progress) -> Fut + Send + 'static,
    Fut: Future<Output = Result<JobOutcome>> + Send + 'static,
{
    let _place = place;
    let store = app.store.clone();
    let Ok(ticket) = app.workers.admit(work, None).await else { return };
    match store.start_job(id, "进行中", &clock::now_utc(), clock::unix_now()).await {
        Ok(true) => {}
        // Failed meanwhile (taken for a stopped server's job) or the database is gone.
        _ => return,
    }
    let (tx, mut rx) = tokio::sync::watch::channel((0, 0, String::new()));
    let running = app.workers.run(ticket, body(app.clone(), Progress(tx)));
    tokio::pin!(running);
    let out = loop {
        tokio::select! {
            out = &mut running => break out,
            Ok(()) = rx.changed() => {
                let (done, total, stage) = rx.borrow_and_update().clone();
                let _ = store.job_progress(id, done, total, &stage, clock::unix_now()).await;
            }
        }
    };
    let at = clock::now_utc();
    let _ = match out {
        Ok(o) => {
            let result = serde_json::to_string(&o.result).unwrap_or_default();
            let status = if o.ok { JobStatus::Done } else { JobStatus::Failed };
            store.finish_job(id, status.as_str(), &o.message, &o.link, &result, &at).await
        }
        Err(e) => store.finish_job(id, JobStatus::Failed.as_str(), &e.to_string(), "", "", &at).await,
    };
}
