//! The kinds of heavy work ([`crate::workers`]) and what the pool reports of each for metrics.

/// The kinds of heavy work, each with its own limit of pieces in progress at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Work {
    /// Checking and storing a provider's file.
    Import,
    /// Plan lint with its trial on last year's data, and trials of drafts.
    Trial,
    /// Evaluation runs (with Monte Carlo).
    Run,
    /// Publication.
    Publish,
    /// Building files: data downloads, the notice, audit exports.
    Export,
    /// Verifying the audit chain and every record.
    Verify,
}

impl Work {
    /// Every kind, in the order of [`crate::Capacity::per_kind`].
    pub const ALL: [Work; 6] = [Work::Import, Work::Trial, Work::Run, Work::Publish, Work::Export, Work::Verify];

    /// What the work is, in words for a message.
    pub fn label(self) -> &'static str {
        match self {
            Work::Import => "数据导入与校验",
            Work::Trial => "方案检查与试算",
            Work::Run => "评价运行",
            Work::Publish => "结果发布",
            Work::Export => "文件生成",
            Work::Verify => "审计核验",
        }
    }

    /// The kind's place in per-kind tables.
    pub(crate) fn index(self) -> usize {
        match self {
            Work::Import => 0,
            Work::Trial => 1,
            Work::Run => 2,
            Work::Publish => 3,
            Work::Export => 4,
            Work::Verify => 5,
        }
    }
}

/// One kind of heavy work, as the pool stands now.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkStats {
    pub kind: Work,
    /// Pieces of this kind admitted now (running, or holding their place while a thread frees).
    pub running: usize,
    /// Jobs of this kind started by this process and not finished (queued or running).
    pub jobs: usize,
    /// How long finished pieces of this kind took (on the pool, not counting the wait).
    pub durations: crate::stats::HistogramSnapshot,
}

impl Work {
    /// A name for metrics labels: ASCII, stable.
    pub fn metric_name(self) -> &'static str {
        match self {
            Work::Import => "import",
            Work::Trial => "trial",
            Work::Run => "run",
            Work::Publish => "publish",
            Work::Export => "export",
            Work::Verify => "verify",
        }
    }
}
