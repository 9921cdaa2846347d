//! Importing a providing department's file: read it, check it, flag anomalies, and store it
//! whole or not at all. The CLI's `jili import` and the web upload page call [`App::import_file`].

pub(crate) mod checks;
pub mod county_map;
mod cutoff;
mod dry_run;
mod history;
pub(crate) mod import;
mod notes;
mod recheck;
pub(crate) mod reference;
mod rules;

use crate::App;
use crate::error::{AppError, Result};
use jili_intake::IntakeError;
pub use jili_intake::data::{Finding, Mapping, Severity, flag_label};
use jili_intake::data::{
    Format, Parsed, ReadOptions, Workbook, encoding_named, open_within, read_workbook, report_xlsx,
};
use jili_model::{Batch, Location, Period, Status};
use jili_store::{NewBatch, NewFlag};
pub use recheck::{RecheckRequest, RecheckSummary};
pub use rules::CHECKS_KEY;

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The file name as the user knows it (shown in every finding).
    pub file: String,
    pub bytes: Vec<u8>,
    /// The providing department's code (统计局 = TJJ …).
    pub provider: String,
    /// A mapping the user gives; otherwise the one saved for this shape, otherwise detected.
    pub mapping: Option<Mapping>,
    /// A text encoding to force (`gbk`, `utf-8`); detected when absent.
    pub encoding: Option<String>,
    /// Status of values whose file does not say.
    pub status: Status,
    /// Period of values whose file does not say.
    pub period: Option<Period>,
    /// Why values are revised; required when the batch revises any.
    pub reason: Option<String>,
    /// Check and report, store nothing.
    pub dry_run: bool,
    /// The file holds some units only (快报 sent in parts): units a plan needs that are neither
    /// in the file nor stored are a notice, not an error.
    pub partial: bool,
}

impl ImportRequest {
    /// A request with the defaults `jili import` has: detect everything, 年报, store.
    pub fn new(file: impl Into<String>, bytes: Vec<u8>, provider: impl Into<String>) -> ImportRequest {
        ImportRequest {
            file: file.into(),
            bytes,
            provider: provider.into(),
            mapping: None,
            encoding: None,
            status: Status::Final,
            period: None,
            reason: None,
            dry_run: false,
            partial: false,
        }
    }
}

/// Where the mapping came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingSource {
    Detected,
    /// Saved when the provider's earlier file of the same shape was imported (at that time).
    Saved(String),
    Given,
    /// The workbook is jili's own 填报模板 (its hidden marker sheet): read by the template's
    /// fixed layout, with no questions.
    Template,
}

/// What an import found and did.
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    pub file: String,
    /// The file as read (for the XLSX report); `None` when it could not be opened.
    pub workbook: Option<Workbook>,
    pub format: Option<Format>,
    pub encoding: Option<&'static str>,
    /// Errors first, then flags (prominent first), then notices.
    pub findings: Vec<Finding>,
    pub rows: usize,
    pub values: usize,
    pub missing: usize,
    pub new: usize,
    pub revised: usize,
    pub unchanged: usize,
    /// 快报 values a 年报 confirmed unchanged.
    pub confirmed: usize,
    /// The batch id when stored.
    pub stored: Option<i64>,
    pub mapping: Mapping,
    pub mapping_source: MappingSource,
    /// Findings for the office only (cut-off crossings), never shown to the importer: a dry
    /// run writes them to the access log; a stored batch keeps them as flags.
    pub withheld: Vec<String>,
}

impl ImportOutcome {
    /// Findings of one severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// Whether the batch was rejected.
    pub fn rejected(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// The report as an XLSX workbook: the findings list, and the file's sheets with each bad
    /// cell filled and annotated, to send back to the department.
    pub fn report_xlsx(&self) -> Result<Vec<u8>> {
        let empty = Workbook {
            file: self.file.clone(),
            format: Format::Csv,
            encoding: None,
            sheets: Vec::new(),
            hidden: Vec::new(),
        };
        report_xlsx(self.workbook.as_ref().unwrap_or(&empty), &self.findings, &self.summary())
            .map_err(AppError::Invalid)
    }

    /// The mapping used, as TOML — or, when nothing could be recognised, a template to fill in,
    /// naming the texts of the file's first row so the sender only has to pick.
    pub fn mapping_text(&self) -> String {
        if !self.mapping.is_empty() {
            return self.mapping.to_toml();
        }
        let first =
            self.workbook.as_ref().and_then(|w| w.sheets.first()).and_then(|g| {
                g.rows.iter().position(|r| r.iter().filter(|c| !c.is_empty()).count() >= 2).map(|i| (g, i))
            });
        let mut out = String::from("# 未能识别各列。请把列名填到对应的角色后保存为 .toml，导入时用 --mapping 指定。\n");
        if let Some((grid, i)) = first {
            let names: Vec<String> = grid.rows[i]
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.is_empty())
                .map(|(c, cell)| {
                    format!("{} 列“{}”", jili_model::column_letters(grid.sheet_col(c)), cell.shown().trim())
                })
                .collect();
            out.push_str(&format!("# 文件第 {} 行的列名：{}\n", grid.sheet_row(i), names.join("、")));
        }
        out.push_str(
            "[columns]\nunit = \"\"      # 地区/单位（被评价单位的名称或代码）\nseries = \"\"    # 指标（数据项名称或代码，见 jili data series）\nperiod = \"\"    # 年份/期别\nvalue = \"\"     # 数值\n# status = \"\"  # 快报/年报（可选）\n# measure = \"\" # 计量单位（可选）\n\n[fixed]\n# period = \"2024\"  # 表中没有年份列时\n# series = \"GDP\"   # 表中没有指标列时\n",
        );
        out
    }

    /// The summary lines of the report, as (label, value).
    pub fn summary(&self) -> Vec<(String, String)> {
        let verdict = match (self.rejected(), self.stored) {
            (true, _) => "未通过：有错误，整批未入库，请修正后重新导入".to_string(),
            (false, Some(id)) => format!("已入库（批次 {id}）"),
            (false, None) if self.new + self.revised + self.confirmed == 0 && self.values > 0 => {
                "校验通过；数据与已入库的完全相同，未新建批次".to_string()
            }
            (false, None) => "校验通过（试运行，未入库）".to_string(),
        };
        vec![
            ("结论".into(), verdict),
            ("读取数据行".into(), self.rows.to_string()),
            ("数值".into(), self.values.to_string()),
            ("空值".into(), self.missing.to_string()),
            ("新增".into(), self.new.to_string()),
            ("修订".into(), self.revised.to_string()),
            ("年报确认".into(), self.confirmed.to_string()),
            ("未变".into(), self.unchanged.to_string()),
            ("错误".into(), self.count(Severity::Error).to_string()),
            ("疑点".into(), self.count(Severity::Flag).to_string()),
            ("提示".into(), self.count(Severity::Notice).to_string()),
        ]
    }
}

impl App {
    /// Import one file. Errors reject the whole batch and nothing is stored; flags and notices
    /// are reported (and flags kept with the batch for reviewers). `progress` hears each stage.
    /// Heavy work (see [`crate::workers`]): reading, checking and storing run on the pool;
    /// the stages are passed back to `progress` on the caller's thread.
    /// A dry run (check only) is recorded in the access log: a stored import is in the audit
    /// log already, a check is not.
    pub async fn import_file(
        &self,
        request: &ImportRequest,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<ImportOutcome> {
        let outcome = self.check_and_import(request, progress).await;
        if request.dry_run {
            self.record_dry_run(request, &outcome).await?;
        }
        outcome
    }

    /// [`App::import_file`] without its record of dry runs.
    async fn check_and_import(
        &self,
        request: &ImportRequest,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<ImportOutcome> {
        // The department by code or name (TJJ, 省统计局); a provider imports only as its own
        // department; the series owner check follows.
        let mut request = request.clone();
        request.provider = self.department_code(&request.provider).await?;
        self.allow(crate::Action::Import { owner: &request.provider })?;
        let (tx, mut stages) = tokio::sync::mpsc::unbounded_channel::<&'static str>();
        let work = self.heavy(crate::Work::Import, move |app| async move {
            app.import_here(&request, &move |stage| {
                let _ = tx.send(stage);
            })
            .await
        });
        tokio::pin!(work);
        loop {
            tokio::select! {
                out = &mut work => {
                    while let Ok(stage) = stages.try_recv() {
                        progress(stage);
                    }
                    return out;
                }
                Some(stage) = stages.recv() => progress(stage),
            }
        }
    }

    /// The import's work, on the heavy pool; `progress` hears each stage.
    async fn import_here(
        &self,
        request: &ImportRequest,
        progress: &(dyn Fn(&'static str) + Send + Sync),
    ) -> Result<ImportOutcome> {
        let catalogue = self.catalogue().await?;
        match catalogue.department(&request.provider) {
            Some(d) if d.provider => {}
            Some(d) => {
                return Err(AppError::Invalid(format!("{}（{}）不是数据提供部门，不能导入数据", d.name, d.code)));
            }
            None => {
                let known: Vec<String> =
                    catalogue.departments().filter(|d| d.provider).map(|d| format!("{} {}", d.code, d.name)).collect();
                return Err(AppError::Invalid(format!(
                    "没有代码为“{}”的部门；数据提供部门有：{}",
                    request.provider,
                    known.join("、")
                )));
            }
        }
        let encoding = match &request.encoding {
            None => None,
            Some(e) => Some(
                encoding_named(e)
                    .ok_or_else(|| AppError::Invalid(format!("不认识的编码“{e}”：可用 utf-8、gbk、gb18030、utf-16")))?,
            ),
        };
        // The limits first: a file beyond them is refused before anything costs in proportion
        // to it. The file's name is kept only as a label.
        let limits = self.limits().await?;
        let label = crate::limits::file_label(&request.file, &limits);
        if let Some(reason) = &request.reason {
            crate::limits::check_text("修订原因", reason, &limits)?;
        }
        progress("读取文件");
        let mut outcome = ImportOutcome {
            file: label.clone(),
            workbook: None,
            format: None,
            encoding: None,
            findings: Vec::new(),
            rows: 0,
            values: 0,
            missing: 0,
            new: 0,
            revised: 0,
            unchanged: 0,
            confirmed: 0,
            stored: None,
            mapping: Mapping::default(),
            mapping_source: MappingSource::Detected,
            withheld: Vec::new(),
        };
        let workbook = match open_within(&label, &request.bytes, encoding, &limits) {
            Ok(w) => w,
            Err(e) => {
                outcome.findings = unreadable(&e);
                return Ok(outcome);
            }
        };
        outcome.format = Some(workbook.format);
        outcome.encoding = workbook.encoding;
        progress("识别表头与各列");
        let (parsed, source) = self.parse(&workbook, &catalogue, request).await?;
        outcome.mapping_source = source;
        progress("校验");
        let Parsed { observations, origins, mut findings, rows, missing, blanks, mapping, signature } = parsed;
        let batch = Batch { provider: request.provider.clone(), source: label, demo: false, observations };
        let config = self.check_config(&catalogue).await?;
        let read_errors = findings.iter().any(|f| f.severity == Severity::Error);
        let checked =
            checks::run(self, &batch, &origins, &blanks, &workbook, &catalogue, &config, request, read_errors).await?;
        findings.extend(checked.findings);
        outcome.rows = rows;
        outcome.missing = missing;
        outcome.values = batch.observations.len();
        (outcome.new, outcome.revised, outcome.unchanged, outcome.confirmed) =
            (checked.new, checked.revised, checked.unchanged, checked.confirmed);
        outcome.mapping = mapping;
        outcome.withheld = checked.withheld;
        sort(&mut findings);
        outcome.findings = findings;
        if outcome.rejected() || request.dry_run || outcome.new + outcome.revised + outcome.confirmed == 0 {
            outcome.workbook = Some(workbook);
            return Ok(outcome);
        }
        progress("写入数据库");
        let flags: Vec<NewFlag> = checked.flags;
        let toml = outcome.mapping.to_toml();
        let reason = request.reason.clone().unwrap_or_default();
        let summary = self
            .store
            .import(
                &self.actor(),
                NewBatch { batch: &batch, reason: &reason, flags: &flags, mapping: Some((&signature, &toml)) },
            )
            .await?;
        outcome.stored = Some(summary.batch_id);
        (outcome.new, outcome.revised, outcome.unchanged, outcome.confirmed) =
            (summary.new, summary.revised, summary.unchanged, summary.confirmed);
        outcome.workbook = Some(workbook);
        Ok(outcome)
    }

    /// Read with the given mapping, or the one saved for this provider and shape, or detection.
    async fn parse(
        &self,
        workbook: &Workbook,
        catalogue: &jili_model::Catalogue,
        request: &ImportRequest,
    ) -> Result<(Parsed, MappingSource)> {
        let read = |mapping: &Mapping| {
            read_workbook(
                workbook,
                catalogue,
                &ReadOptions { provider: &request.provider, mapping, status: request.status, period: request.period },
            )
        };
        if let Some(m) = &request.mapping {
            return Ok((read(m), MappingSource::Given));
        }
        if workbook.hidden.iter().any(|h| h == jili_model::template::MARKER_SHEET) {
            // The template's own marker sheet and its reference column are not the sender's
            // data set aside: no notice about them.
            use jili_model::template as t;
            let mut parsed = read(&template_mapping());
            parsed.findings.retain(|f| {
                !(f.code == "hidden-sheet" && f.at.sheet.as_deref() == Some(t::MARKER_SHEET)
                    || f.code == "unknown-column" && f.at.field.as_deref() == Some(t::HEADERS[6]))
            });
            return Ok((parsed, MappingSource::Template));
        }
        let detected = read(&Mapping::default());
        if let Some((saved, at)) = self.store.mapping(&request.provider, &detected.signature).await?
            && let Ok(saved) = Mapping::from_toml(&saved)
            && saved != detected.mapping
        {
            return Ok((read(&saved), MappingSource::Saved(at)));
        }
        Ok((detected, MappingSource::Detected))
    }
}

/// How a 填报模板 is read: its data sheet, one header row, the columns by their fixed headers
/// (see [`jili_model::template`]); the reference column of last period's values is not read.
pub fn template_mapping() -> Mapping {
    use jili_model::template as t;
    let columns =
        [("unit", t::UNIT), ("series", t::SERIES), ("period", t::PERIOD), ("value", t::VALUE), ("measure", t::MEASURE)];
    Mapping {
        sheets: vec![t::DATA_SHEET.to_string()],
        header_row: Some(1),
        header_rows: Some(1),
        columns: columns.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect(),
        ..Mapping::default()
    }
}

/// A file that could not be opened: its problems as error findings.
fn unreadable(e: &IntakeError) -> Vec<Finding> {
    e.problems()
        .into_iter()
        .map(|p| match p {
            IntakeError::At { at, message } => Finding::error("unreadable", at.clone(), message.clone(), ""),
            other => Finding::error("unreadable", Location::default(), other.to_string(), ""),
        })
        .collect()
}

/// Errors, then flags (prominent first), then notices; each in file order.
fn sort(findings: &mut [Finding]) {
    let rank = |s: Severity| match s {
        Severity::Error => 0,
        Severity::Flag => 1,
        Severity::Notice => 2,
    };
    // A stable sort keeps file order within each kind.
    findings.sort_by_key(|f| (rank(f.severity), !f.prominent));
}

/// The sha256 of an uploaded file, as lower-case hex: the confirmation must carry the same.
pub fn upload_sha256(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    jili_store::hex(&sha2::Sha256::digest(bytes))
}
