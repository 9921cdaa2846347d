//! Checking and importing a year's programme file (`jili programme check|import`, the office's
//! upload form): the file's own checks, then its rules against the catalogue.

use crate::App;
use crate::error::{AppError, Result};
use jili_model::{Catalogue, Level, Programme};

/// What importing a programme did.
#[derive(Debug, Clone)]
pub struct Imported {
    pub programme: Programme,
    /// Whether a programme of that year was replaced.
    pub replaced: bool,
}

impl App {
    /// The years with a programme, newest first (programmes are public).
    pub async fn programme_years(&self) -> Result<Vec<i32>> {
        Ok(self.store.programme_years().await?)
    }

    /// Parse and check a programme file against the catalogue; nothing is stored. Also says
    /// whether the year already has a programme (import would then need `replace`).
    pub async fn check_programme(&self, name: &str, text: &str) -> Result<(Programme, bool)> {
        jili_model::plan::bounds::check_text(name, text, &self.limits().await?)?;
        let programme = Programme::from_toml(name, text)?;
        check_against(name, &programme, &self.catalogue().await?)?;
        let exists = self.store.programme(programme.year).await?.is_some();
        Ok((programme, exists))
    }

    /// Store a new year's programme (office only). A year that already has a programme is
    /// replaced only with `replace`; a year with plans is never replaced, since its measures
    /// are the plans' basis (see docs/decisions.md).
    pub async fn import_programme(&self, name: &str, text: &str, replace: bool) -> Result<Imported> {
        self.allow(crate::Action::Configure)?;
        let (programme, exists) = self.check_programme(name, text).await?;
        if exists && !replace {
            return Err(AppError::Invalid(format!(
                "{}年已有激励方案：如确要以文件 {name} 替换，请加 --replace（网页上勾选“替换已有年度”）",
                programme.year
            )));
        }
        if !self.store.plans(programme.year).await?.is_empty() {
            return Err(AppError::Invalid(format!(
                "{}年已有实施方案，不能替换该年度的激励方案（措施是实施方案的依据）：如通知有更正，请新建数据库后载入",
                programme.year
            )));
        }
        self.store.put_programme(&self.actor(), &programme).await?;
        Ok(Imported { programme, replaced: exists })
    }
}

/// The programme's names that the catalogue must know: lead departments, the series of its
/// vetoes, and the `Unit.kind` values its named kinds admit.
pub(crate) fn check_against(name: &str, programme: &Programme, catalogue: &Catalogue) -> Result<()> {
    for lead in &programme.leads {
        if catalogue.department_by_name(lead).is_none() {
            return Err(AppError::Invalid(format!(
                "文件 {name}：牵头单位“{lead}”不在部门表中：请先在 data/departments/ 中登记，或改用部门表中的名称"
            )));
        }
    }
    for (i, v) in programme.rules.vetoes.iter().enumerate() {
        if catalogue.series(&v.series).is_none() {
            return Err(AppError::Invalid(format!(
                "文件 {name}，rules.vetoes[{}]：否决条件用的指标数据“{}”不在指标目录中：请改用 jili series 列出的代码",
                i + 1,
                v.series
            )));
        }
    }
    for (i, kind) in programme.rules.kinds.iter().enumerate() {
        let known = kinds_at(catalogue, kind.level);
        if known.is_empty() {
            continue; // no unit of that level loaded yet: nothing to check against
        }
        if let Some(missing) = kind.unit_kinds.iter().find(|k| !known.contains(k)) {
            return Err(AppError::Invalid(format!(
                "文件 {name}，rules.kinds[{}]（{}）：没有{}的类别是“{missing}”：单位表中{}的类别有 {}",
                i + 1,
                kind.name,
                kind.level,
                kind.level,
                known.join("、")
            )));
        }
    }
    Ok(())
}

/// The distinct `Unit.kind` values of the catalogue's units at `level`, sorted.
fn kinds_at(catalogue: &Catalogue, level: Level) -> Vec<String> {
    let mut kinds: Vec<String> = catalogue.units().filter(|u| u.level == level).map(|u| u.kind.clone()).collect();
    kinds.sort();
    kinds.dedup();
    kinds
}
