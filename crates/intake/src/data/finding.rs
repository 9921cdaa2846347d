//! What a check found: an error (the batch is rejected), a notice (something was read in a way
//! the sender should know about) or a flag (an anomaly for reviewers; it never rejects).

use jili_model::Location;
use serde::Serialize;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Rejects the whole batch.
    Error,
    /// Read and stored, but the sender should know (a total row skipped, a renamed county).
    Notice,
    /// An anomaly for reviewers: stored, highlighted, never rejected.
    Flag,
}

impl Severity {
    /// 错误 / 提示 / 疑点.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Notice => "提示",
            Severity::Flag => "疑点",
        }
    }
}

/// One finding, with where it is, the cell as written, what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable identifier of the kind of finding (`unknown-unit`, `text-in-number` …).
    pub code: &'static str,
    #[serde(serialize_with = "location_text")]
    pub at: Location,
    /// The cell as the file has it, quoted in reports.
    pub cell: Option<String>,
    pub message: String,
    /// What the sender should do.
    pub fix: String,
    /// Raised above the others (a revision that moves a unit across a selection cut-off).
    pub prominent: bool,
}

fn location_text<S: serde::Serializer>(at: &Location, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.to_string())
}

impl Finding {
    /// An error: the batch will be rejected.
    pub fn error(code: &'static str, at: Location, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Error,
            code,
            at,
            cell: None,
            message: message.into(),
            fix: fix.into(),
            prominent: false,
        }
    }

    /// A notice.
    pub fn notice(code: &'static str, at: Location, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding { severity: Severity::Notice, ..Finding::error(code, at, message, fix) }
    }

    /// An anomaly flag.
    pub fn flag(code: &'static str, at: Location, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding { severity: Severity::Flag, ..Finding::error(code, at, message, fix) }
    }

    /// The same finding quoting the cell.
    pub fn quoting(mut self, cell: impl Into<String>) -> Self {
        self.cell = Some(cell.into());
        self
    }

    /// One line for a terminal: 【错误】where：“cell” message。fix
    pub fn line(&self) -> String {
        let cell = self.cell.as_ref().map_or(String::new(), |c| format!("“{c}” "));
        let mark = if self.prominent { "【！】" } else { "" };
        format!("{mark}【{}】{}：{cell}{}。{}", self.severity.label(), self.at, self.message, self.fix)
    }
}

/// A flag's check in Chinese, for lists and counts (the code is what is stored).
pub fn flag_label(code: &str) -> &'static str {
    match code {
        "outlier-in-group" => "同组离群",
        "yoy-jump" => "同比异常",
        "pair-disagrees" => "增速与税收背离",
        "benford" => "首位数字分布异常",
        "outside-expected" => "超出合理范围",
        "county-sum" => "市州与所辖县市区合计不符",
        "missing-value" => "缺失值",
        "cross-source" => "跨部门比对不一致",
        "crosses-cutoff" => "修订跨越入选线",
        "negative" | "below-min" | "above-max" | "share-over-100" => "超出取值界限",
        "not-integer" => "应为整数",
        "not-yes-no" => "是否指标取值有误",
        "magnitude" => "数量级异常",
        _ => "其他提示",
    }
}
