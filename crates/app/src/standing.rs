//! A unit's own results in every published measure, with the explanation a county that did
//! not win asks for: its score and place, its gap to the cut-off, and which indicators raised
//! or lowered it. Read only; the unit's own login (and the office, leads, the auditor) may read it.

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use serde::Serialize;
use serde_json::Value;

/// One measure's result for one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub measure: u32,
    pub title: String,
    pub run: i64,
    /// 获得激励 / 未入选 / 一票否决 / 不具备资格 / 未分组.
    pub outcome: String,
    pub group: Option<String>,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub award_wan: Option<u64>,
    /// Points short of the last winner of its group (for units that did not win).
    pub gap: Option<f64>,
    /// Indicators that raised / lowered its score most (names, with effect in points).
    pub raises: Vec<(String, f64)>,
    pub lowers: Vec<(String, f64)>,
    /// The reason it was ineligible or vetoed, where there is one.
    pub reason: String,
}

impl App {
    /// The unit's results in every measure of the newest publication of `year`.
    pub async fn standing(&self, unit: &str, year: Option<i32>) -> Result<Vec<Standing>> {
        self.allow(Action::ReadUnitResults { unit })?;
        let Some(publication) = self.store_publication(year).await? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for m in &publication {
            let run =
                self.store.run(*m).await?.ok_or_else(|| AppError::NotFound(format!("发布所引用的运行 {m} 不存在")))?;
            let result: Value = serde_json::from_str(&run.result)
                .map_err(|e| AppError::Invalid(format!("运行 {} 的结果无法读取：{e}", run.id)))?;
            let Some(u) = result["units"].as_array().and_then(|us| us.iter().find(|u| u["code"] == unit)) else {
                continue;
            };
            let names: Vec<String> = result["indicators"]
                .as_array()
                .map(|a| a.iter().map(|i| i["name"].as_str().unwrap_or_default().to_string()).collect())
                .unwrap_or_default();
            let drivers = |key: &str| -> Vec<(String, f64)> {
                u[key]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|d| {
                                let i = d["indicator"].as_u64()? as usize;
                                Some((names.get(i)?.clone(), d["effect"].as_f64()?))
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let outcome = match u["outcome"].as_str().unwrap_or_default() {
                "winner" => "获得激励",
                "not_selected" => "未入选",
                "vetoed" => "一票否决",
                "ineligible" => "不具备资格",
                _ => "未分组",
            };
            out.push(Standing {
                measure: u32::try_from(run.measure).unwrap_or_default(),
                title: result["title"].as_str().unwrap_or_default().to_string(),
                run: run.id,
                outcome: outcome.to_string(),
                group: u["group"].as_str().map(String::from),
                score: u["score"].as_f64(),
                rank: u["rank"].as_u64().map(|r| r as u32),
                award_wan: u["award"]["amount_wan"].as_u64(),
                gap: u["gap"].as_f64(),
                raises: drivers("raises"),
                lowers: drivers("lowers"),
                reason: u["reason"].as_str().unwrap_or_default().to_string(),
            });
        }
        Ok(out)
    }

    /// The run ids of the newest publication of a year (no permission needed: ids only).
    async fn store_publication(&self, year: Option<i32>) -> Result<Option<Vec<i64>>> {
        let year = self.programme(year).await?.year;
        let Some(p) = self.store.publications(year).await?.pop() else { return Ok(None) };
        let body: crate::publish::PublicationBody = serde_json::from_str(&p.body)
            .map_err(|e| AppError::Invalid(format!("{year}年第 {} 版发布内容无法读取：{e}", p.version)))?;
        Ok(Some(body.measures.iter().map(|m| m.run).collect()))
    }
}
