//! A unit's own results in every published measure, with the explanation a county that did
//! not win asks for: its score and place, its gap to the cut-off, and which indicators raised
//! or lowered it. Read only; the unit's own login, the office and the auditor may read it.

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use serde::Serialize;

/// One measure's result for one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub measure: u32,
    pub title: String,
    pub run: i64,
    /// 获得激励 / 未入选 / 一票否决 / 不具备资格 / 未分组.
    pub outcome: String,
    /// Whether the unit won in this measure (after any override by the office): what counts,
    /// rather than the wording of `outcome`.
    pub winner: bool,
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
        let Some(publication) = self.published(year).await? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for m in &publication.body.measures {
            let run = self.store.run(m.run).await?.ok_or_else(|| {
                AppError::NotFound(format!("发布所引用的运行 {} 不存在：请用 jili audit verify 核验数据库", m.run))
            })?;
            let result = crate::parsed::run_result(&run)?;
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
            let (outcome, winner) = match m.overrides.iter().rev().find(|o| o.unit == unit) {
                Some(o) if o.outcome == "winner" => (format!("获得激励（经省政府办公厅更正：{}）", o.reason), true),
                Some(o) => (format!("未入选（经省政府办公厅更正：{}）", o.reason), false),
                None => {
                    let raw = u["outcome"].as_str().unwrap_or_default();
                    (outcome_label(raw).to_string(), raw == "winner")
                }
            };
            out.push(Standing {
                measure: u32::try_from(run.measure).unwrap_or_default(),
                title: result["title"].as_str().unwrap_or_default().to_string(),
                run: run.id,
                outcome,
                winner,
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
}

/// The engine's outcome names in Chinese (`Outcome::label`), from the stored result's text.
fn outcome_label(outcome: &str) -> &'static str {
    use jili_engine::Outcome;
    let o = match outcome {
        "winner" => Outcome::Winner,
        "not_selected" => Outcome::NotSelected,
        "vetoed" => Outcome::Vetoed,
        "ineligible" => Outcome::Ineligible,
        _ => Outcome::Ungrouped,
    };
    o.label()
}
