//! Heavy work, off the request threads and bounded. Import checking and storing, plan lint
//! with trial, trials, runs with Monte Carlo, publication, exports and audit verification run
//! on a dedicated pool of threads, never on the async threads that answer requests: two heavy
//! requests at once used to freeze the public site for seconds.
//!
//! Every piece of heavy work is first *admitted*: it takes a place of its kind ([`Work`], each
//! with its own limit) and then one of the pool's threads. A piece that cannot be admitted
//! within the queue wait is refused with [`AppError::Busy`] ("系统繁忙…请稍后再试"); jobs
//! (see [`crate::jobs`]) wait as long as needed, in a queue of bounded length. The pool has
//! its own rayon threads, so the engine's parallel loops run on them too and cannot take the
//! cores the requests need; on a server it has one thread fewer than the machine has cores.
//!
//! The work is a future: database reads and writes inside it stay async (driven by the runtime
//! that owns the connections), while its CPU sections run on the pool thread that drives it.
//! Heavy work started from inside heavy work (a lint inside a trial, a verification inside a
//! publication) runs where it is, without a second admission.

use crate::error::{AppError, Result};

/// Why an unfinished job of a stopped server failed (the sweep here and the one in
/// [`crate::jobs`] at start-up both write it).
pub const RESTART_MESSAGE: &str = "服务器重启，任务未完成，结果未保存；请重新提交（The server restarted before this job finished; nothing was saved. Please submit it again.）";
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub use crate::work_kind::{Work, WorkStats};

/// How much heavy work may run and wait. [`Capacity::local`] for the command line (one user, the
/// whole machine), [`Capacity::server`] for `jili serve` (requests keep a core).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capacity {
    /// Threads of the pool: heavy work never uses more cores than this at once.
    pub threads: usize,
    /// Pieces of each kind in progress at once (running or holding their place), in the order
    /// of [`Work::ALL`].
    pub per_kind: [usize; 6],
    /// How long a request waits for its turn before it is told the system is busy.
    pub queue_wait: Duration,
    /// Unfinished jobs of one kind this process accepts; one more is refused as busy.
    pub queued_jobs: usize,
    /// How often a process marks its unfinished jobs as alive.
    pub heartbeat: Duration,
    /// A job not marked alive for this long belongs to a process that stopped: it is failed.
    pub stale_after: Duration,
    /// A confirmed web or API import of a file larger than this (bytes) is a job.
    pub large_import: usize,
}

/// A large import: 1 MiB, some 20,000 rows of CSV — checking and storing it takes a second or
/// more, long enough to follow on a job's page.
pub const LARGE_IMPORT: usize = 1024 * 1024;

/// The cores of this machine (1 when unknown).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

impl Capacity {
    /// The command line: all cores, every kind as wide as the pool, and a command is never
    /// refused for being busy (it waits for its turn).
    pub fn local() -> Capacity {
        let n = cores();
        Capacity {
            threads: n,
            per_kind: [n; 6],
            queue_wait: Duration::from_secs(24 * 3600),
            queued_jobs: 64,
            heartbeat: Duration::from_secs(2),
            stale_after: Duration::from_secs(10),
            large_import: LARGE_IMPORT,
        }
    }

    /// A server: one core less than the machine has (at least one thread), so the async
    /// threads answering requests always have a core; two imports and two trials at once, one
    /// run, publication and verification at a time; a request waits at most 10 s for its turn.
    pub fn server() -> Capacity {
        Capacity {
            threads: cores().saturating_sub(1).max(1),
            per_kind: [2, 2, 1, 1, 2, 1],
            queue_wait: Duration::from_secs(10),
            queued_jobs: 8,
            heartbeat: Duration::from_secs(2),
            stale_after: Duration::from_secs(10),
            large_import: LARGE_IMPORT,
        }
    }

    /// The same limits with `n` pieces of `kind` at once.
    pub fn with(mut self, kind: Work, n: usize) -> Capacity {
        self.per_kind[kind.index()] = n.max(1);
        self
    }
}

/// The pool and its admission, shared by every clone of the [`crate::App`] that made it.
#[derive(Debug, Clone)]
pub struct Workers(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    limits: Capacity,
    kinds: Vec<Arc<Semaphore>>,
    cpu: Arc<Semaphore>,
    /// Unfinished jobs of each kind started by this process.
    jobs: Vec<AtomicUsize>,
    /// How long finished work of each kind took on the pool (for `/metrics`).
    durations: Vec<crate::stats::Histogram>,
    /// Built on first use: a command that does no heavy work starts no threads.
    pool: OnceLock<std::result::Result<rayon::ThreadPool, String>>,
    /// This process's name on the jobs it runs.
    runner: String,
    /// Whether the heartbeat of this process's jobs has started.
    beating: std::sync::atomic::AtomicBool,
}

/// A place for one piece of heavy work: of its kind, and a thread. Dropped when the work ends.
#[derive(Debug)]
pub struct Ticket {
    kind: Work,
    _kind: OwnedSemaphorePermit,
    _cpu: OwnedSemaphorePermit,
}

impl Workers {
    /// A pool with these limits (threads start on first use).
    pub fn new(limits: Capacity) -> Workers {
        let limits = Capacity { threads: limits.threads.max(1), ..limits };
        Workers(Arc::new(Inner {
            kinds: limits.per_kind.iter().map(|n| Arc::new(Semaphore::new((*n).max(1)))).collect(),
            cpu: Arc::new(Semaphore::new(limits.threads)),
            jobs: Work::ALL.iter().map(|_| AtomicUsize::new(0)).collect(),
            durations: Work::ALL.iter().map(|_| crate::stats::Histogram::default()).collect(),
            pool: OnceLock::new(),
            runner: runner_name(),
            beating: std::sync::atomic::AtomicBool::new(false),
            limits,
        }))
    }

    /// This process's name on the jobs it runs.
    pub fn runner(&self) -> &str {
        &self.0.runner
    }

    /// Mark this process's unfinished jobs alive every [`Capacity::heartbeat`], and fail other
    /// processes' stale ones, until the pool is dropped. Started once.
    pub(crate) fn keep_alive(&self, store: jili_store::Store) {
        if self.0.beating.swap(true, Ordering::SeqCst) {
            return;
        }
        let weak = Arc::downgrade(&self.0);
        tokio::spawn(async move {
            loop {
                let Some(inner) = weak.upgrade() else { return };
                let (every, stale) = (inner.limits.heartbeat, inner.limits.stale_after);
                let now = crate::clock::unix_now();
                let _ = store.job_heartbeat(&inner.runner, now).await;
                let stale = i64::try_from(stale.as_secs()).unwrap_or(i64::MAX);
                let _ =
                    store.fail_stale_jobs(now.saturating_sub(stale), RESTART_MESSAGE, &crate::clock::now_utc()).await;
                drop(inner);
                tokio::time::sleep(every).await;
            }
        });
    }

    /// The limits in force.
    pub fn limits(&self) -> &Capacity {
        &self.0.limits
    }

    fn pool(&self) -> Result<&rayon::ThreadPool> {
        let built = self.0.pool.get_or_init(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(self.0.limits.threads)
                .thread_name(|i| format!("jili-heavy-{i}"))
                // A panic in heavy work fails that work (its caller hears "interrupted"); it
                // must not abort the server.
                .panic_handler(|_| {})
                .build()
                .map_err(|e| e.to_string())
        });
        built.as_ref().map_err(|e| AppError::Invalid(format!("无法启动计算线程：{e}")))
    }

    /// Whether the calling thread is one of this pool's (heavy work already admitted).
    fn on_pool(&self) -> bool {
        self.0.pool.get().and_then(|p| p.as_ref().ok()).is_some_and(|p| p.current_thread_index().is_some())
    }

    /// Take a place for work of `kind`: waiting at most `wait` (`None`: as long as it takes),
    /// then [`AppError::Busy`].
    pub async fn admit(&self, kind: Work, wait: Option<Duration>) -> Result<Ticket> {
        let deadline = wait.map(|w| tokio::time::Instant::now() + w);
        let busy = || {
            let secs = self.0.limits.queue_wait.as_secs().clamp(1, 60);
            AppError::Busy {
                message: format!(
                    "系统繁忙：{}的任务较多，已排队 {} 秒仍未轮到。请稍后再试（约 {secs} 秒后）。System busy: please try again shortly.",
                    kind.label(),
                    wait.map_or(0, |w| w.as_secs())
                ),
                retry_after: secs,
            }
        };
        let take = |s: &Arc<Semaphore>| {
            let s = s.clone();
            async move {
                match deadline {
                    None => s.acquire_owned().await.ok(),
                    Some(d) => tokio::time::timeout_at(d, s.acquire_owned()).await.ok().and_then(|r| r.ok()),
                }
            }
        };
        let kind_place = take(&self.0.kinds[kind.index()]).await.ok_or_else(busy)?;
        let thread = take(&self.0.cpu).await.ok_or_else(busy)?;
        Ok(Ticket { kind, _kind: kind_place, _cpu: thread })
    }

    /// Run `work` as heavy work of `kind`: admitted within the queue wait, then driven on a
    /// pool thread. Inside heavy work it simply runs.
    pub async fn offload<T, F>(&self, kind: Work, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: Future<Output = Result<T>> + Send + 'static,
    {
        if self.on_pool() {
            return work.await;
        }
        let ticket = self.admit(kind, Some(self.0.limits.queue_wait)).await?;
        self.run(ticket, work).await
    }

    /// Drive `work` on a pool thread, holding `ticket` until it ends — also when the caller
    /// stops waiting (a closed browser): the place is free only when the thread is.
    pub async fn run<T, F>(&self, ticket: Ticket, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: Future<Output = Result<T>> + Send + 'static,
    {
        let pool = self.pool()?;
        let handle = tokio::runtime::Handle::current();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let inner = self.0.clone();
        pool.spawn(move || {
            let started = std::time::Instant::now();
            let out = handle.block_on(work);
            inner.durations[ticket.kind.index()].observe(started.elapsed());
            drop(ticket);
            let _ = tx.send(out);
        });
        rx.await.map_err(|_| {
            AppError::Invalid("后台计算意外中断，未保存任何结果：请重新提交；如再次出现请联系管理员".into())
        })?
    }

    /// Each kind's running pieces, unfinished jobs and durations, for metrics.
    pub fn stats(&self) -> Vec<WorkStats> {
        Work::ALL
            .iter()
            .map(|&kind| {
                let i = kind.index();
                let limit = self.0.limits.per_kind[i].max(1);
                WorkStats {
                    kind,
                    running: limit.saturating_sub(self.0.kinds[i].available_permits()),
                    jobs: self.0.jobs[i].load(Ordering::SeqCst),
                    durations: self.0.durations[i].snapshot(),
                }
            })
            .collect()
    }

    /// Count a new unfinished job of `kind`, or refuse when this process has too many.
    pub(crate) fn job_accepted(&self, kind: Work) -> Result<JobPlace> {
        let n = &self.0.jobs[kind.index()];
        let limit = self.0.limits.queued_jobs.max(1);
        if n.fetch_add(1, Ordering::SeqCst) >= limit {
            n.fetch_sub(1, Ordering::SeqCst);
            return Err(AppError::Busy {
                message: format!(
                    "系统繁忙：已有 {limit} 个{}任务在排队或进行，请等其中一些完成后再提交。System busy: please try again later.",
                    kind.label()
                ),
                retry_after: 30,
            });
        }
        Ok(JobPlace { workers: self.clone(), kind })
    }
}

/// An unfinished job's place in its kind's count; given back when dropped.
#[derive(Debug)]
pub(crate) struct JobPlace {
    workers: Workers,
    kind: Work,
}

impl Drop for JobPlace {
    fn drop(&mut self) {
        self.workers.0.jobs[self.kind.index()].fetch_sub(1, Ordering::SeqCst);
    }
}

/// A name for this process unlikely to be any other's: its id and the time it started.
fn runner_name() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{}-{nanos:x}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Workers {
        Workers::new(Capacity { threads: 1, queue_wait: Duration::from_millis(50), ..Capacity::server() })
    }

    #[tokio::test]
    async fn a_saturated_kind_answers_busy_and_frees_its_place_after() {
        let w = small();
        let held = w.admit(Work::Run, None).await.expect("first place");
        let refused = w.offload(Work::Run, async { Ok(1) }).await;
        match refused {
            Err(AppError::Busy { message, retry_after }) => {
                assert!(message.contains("系统繁忙") && message.contains("评价运行"), "{message}");
                assert!(retry_after >= 1);
            }
            other => panic!("expected busy, got {other:?}"),
        }
        drop(held);
        assert_eq!(w.offload(Work::Run, async { Ok(2) }).await.expect("admitted"), 2);
    }

    #[tokio::test]
    async fn the_threads_bound_all_kinds_together() {
        let w = small();
        // One thread: a run holding it leaves an import waiting, then busy.
        let held = w.admit(Work::Run, None).await.expect("thread");
        assert!(matches!(w.offload(Work::Import, async { Ok(()) }).await, Err(AppError::Busy { .. })));
        drop(held);
        w.offload(Work::Import, async { Ok(()) }).await.expect("now admitted");
    }

    #[tokio::test]
    async fn work_runs_on_the_pool_and_nested_work_runs_in_place() {
        let w = small();
        let inner = w.clone();
        let name = w
            .offload(Work::Trial, async move {
                // Nested: no second admission (the only thread is ours), no deadlock.
                let nested = inner.offload(Work::Trial, async { Ok(std::thread::current().name().map(String::from)) });
                nested.await
            })
            .await
            .expect("runs");
        assert_eq!(name.as_deref(), Some("jili-heavy-0"));
        // Timed once (the nested piece ran inside the outer one), and nothing is running now.
        let trial = w.stats().into_iter().find(|s| s.kind == Work::Trial).expect("every kind");
        assert_eq!((trial.durations.count, trial.running, trial.jobs), (1, 0, 0));
    }

    #[tokio::test]
    async fn a_panic_fails_the_work_not_the_process() {
        let w = small();
        let r: Result<()> = w.offload(Work::Export, async { panic!("boom") }).await;
        assert!(matches!(r, Err(AppError::Invalid(m)) if m.contains("中断")));
        w.offload(Work::Export, async { Ok(()) }).await.expect("the pool still works");
    }

    #[test]
    fn jobs_beyond_the_queue_are_refused() {
        let w = Workers::new(Capacity { queued_jobs: 1, ..Capacity::server() });
        let first = w.job_accepted(Work::Verify).expect("one");
        assert!(matches!(w.job_accepted(Work::Verify), Err(AppError::Busy { .. })));
        drop(first);
        w.job_accepted(Work::Verify).expect("again");
    }
}
