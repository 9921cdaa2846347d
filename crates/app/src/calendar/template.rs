//! The 填报模板 (data-request template): for a providing department and a period, the units ×
//! series it owes (what the progress board chases), with last period's values for reference.
//! A filled template is recognised on upload by its hidden marker sheet and read with the
//! template's fixed layout, through the normal intake checks (see `intake::template_mapping`).

use crate::App;
use crate::error::{AppError, Result};
use jili_model::Period;
use jili_report::template::{Template, TemplateRow, template_xlsx};
use std::collections::BTreeMap;

/// A template made: its suggested file name, its rows and the workbook.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    pub file_name: String,
    pub rows: usize,
    pub bytes: Vec<u8>,
}

impl App {
    /// The template of `provider` for `period` (a year, `2024`) from the programme year's
    /// (newest when absent) plans in force: the provider itself or the office.
    /// Heavy work (a workbook of every owed unit × series): built on the pool.
    pub async fn data_template(&self, provider: &str, period: &str, year: Option<i32>) -> Result<TemplateFile> {
        let provider = self.department_code(provider).await?;
        self.allow(crate::Action::Import { owner: &provider })?;
        let period = period.to_string();
        self.heavy(crate::Work::Export, move |app| async move { app.template_here(&provider, &period, year).await })
            .await
    }

    async fn template_here(&self, provider: &str, period: &str, year: Option<i32>) -> Result<TemplateFile> {
        let catalogue = self.catalogue().await?;
        let department = match catalogue.department(provider) {
            Some(d) if d.provider => d.clone(),
            _ => return Err(AppError::Invalid(format!("“{provider}”不是数据提供部门的代码（如 TJJ）"))),
        };
        let period: Period =
            period.trim().parse().map_err(|e| AppError::Invalid(format!("期别“{}”无效：{e}", period.trim())))?;
        let programme = self.programme(year).await?;
        let owed: Vec<_> =
            self.owed(programme.year, &catalogue).await?.into_iter().filter(|o| o.provider == provider).collect();
        let periods: Vec<String> = owed.iter().map(|o| o.period.to_string()).collect();
        let owed: Vec<_> = owed.into_iter().filter(|o| o.period == period).collect();
        if owed.is_empty() {
            let mut known = periods;
            known.dedup();
            return Err(AppError::Invalid(if known.is_empty() {
                format!("{}在 {} 年度方案的现行实施方案中没有需要报送的数据项", department.name, programme.year)
            } else {
                format!(
                    "{}在 {period} 没有需要报送的数据项；现行实施方案要它报送的期别：{}",
                    department.name,
                    known.join("、")
                )
            }));
        }
        let last = Period { year: period.year - 1, ..period }.to_string();
        let series: Vec<&str> = owed.iter().map(|o| o.series.as_str()).collect();
        let previous: BTreeMap<(String, String), String> = self
            .store
            .observations_of(&series)
            .await?
            .into_iter()
            .filter(|s| s.observation.period.to_string() == last)
            .map(|s| {
                ((s.observation.series.to_string(), s.observation.unit.to_string()), s.observation.value.to_string())
            })
            .collect();
        let mut rows = Vec::new();
        for o in &owed {
            let s = catalogue.series(&o.series);
            for unit in &o.units {
                let u = catalogue.unit(unit);
                rows.push(TemplateRow {
                    unit: unit.clone(),
                    unit_name: u.map_or_else(String::new, |u| u.name.clone()),
                    series: o.series.clone(),
                    series_name: s.map_or_else(String::new, |s| s.name.clone()),
                    measure: s.map_or_else(String::new, |s| s.unit.clone()),
                    period: period.to_string(),
                    last: previous.get(&(o.series.clone(), unit.clone())).cloned().unwrap_or_default(),
                });
            }
        }
        rows.sort_by(|a, b| (&a.unit, &a.series).cmp(&(&b.unit, &b.series)));
        let instructions = instructions(&department.name, &period.to_string(), &last, rows.len());
        let template = Template {
            provider: department.code.clone(),
            provider_name: department.name.clone(),
            period: period.to_string(),
            rows,
            instructions,
            made_at: crate::clock::beijing_labelled(&crate::clock::now_utc()),
        };
        let bytes = template_xlsx(&template).map_err(|e| AppError::Invalid(e.0))?;
        Ok(TemplateFile {
            file_name: format!("填报模板-{}-{period}.xlsx", department.code),
            rows: template.rows.len(),
            bytes,
        })
    }
}

/// The 填报说明 sheet.
fn instructions(provider: &str, period: &str, last: &str, rows: usize) -> Vec<String> {
    vec![
        format!("{provider} {period} 年度数据填报模板（共 {rows} 行）"),
        String::new(),
        "1. 只在“填报”工作表的“本期数值”列填写数字，按“计量单位”列的单位；不要填写单位、百分号或文字。".into(),
        "2. 不要修改单位代码、数据项代码、计量单位和期别，不要增删行列或改动表头；没有数据的单元格留空。".into(),
        format!("3. “上期数值（参考）”是库中 {last} 的现行数值，仅供核对，导入时不读取。"),
        "4. 填好后在工作平台“上传数据”页上传（或 jili import 文件 --provider 部门代码）：系统按模板格式直接读取，无需对应各列，并照常校验。".into(),
        "5. 已入库的数值若有变化即为修订，须写明修订原因。".into(),
        "6. 请勿删除或修改隐藏的工作表 jili_template_v1：系统靠它识别本模板。".into(),
    ]
}
