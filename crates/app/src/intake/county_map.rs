//! The office's own county map. jili ships only the 14 市州 outline (a 示意图 from echarts);
//! no county geometry with a clean licence is known. An office that holds an approved county
//! GeoJSON (with its 审图号) imports it here; the portal then draws county measures on it.

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use jili_model::Level;
use serde_json::Value;

/// The setting the map is kept under, and the one its approval number is kept under.
const MAP_KEY: &str = "map.counties";
const APPROVAL_KEY: &str = "map.counties.approval";

/// What an import found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyMapImport {
    /// Features whose code is a county-level unit of the catalogue.
    pub matched: usize,
    /// County-level units of the catalogue with no feature.
    pub missing: Vec<String>,
    /// Feature codes that are not county-level units (kept, not drawn with data).
    pub unknown: Vec<String>,
}

/// The code of a feature: `id`, or `properties.adcode` / `properties.code`, as text.
fn feature_code(f: &Value) -> Option<String> {
    let p = &f["properties"];
    [&f["id"], &p["adcode"], &p["code"]].into_iter().find_map(|v| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

impl App {
    /// Import the office's county GeoJSON with its map approval number (审图号). Refused when
    /// the file is not a GeoJSON FeatureCollection, or no feature carries a county code.
    pub async fn import_county_map(&self, file: &str, bytes: &[u8], approval: &str) -> Result<CountyMapImport> {
        self.allow(Action::Configure)?;
        let approval = approval.trim();
        if approval.is_empty() {
            return Err(AppError::Invalid("请写明地图的审图号（如 湘S〔2024〕012号）：公开的地图须经审核".into()));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| AppError::Invalid(format!("{file}：不是 UTF-8 编码的 GeoJSON 文本")))?;
        let json: Value = serde_json::from_str(text).map_err(|e| {
            AppError::Invalid(format!("{file}：不是有效的 JSON（第 {} 行第 {} 列）：{e}", e.line(), e.column()))
        })?;
        if json["type"] != "FeatureCollection" {
            return Err(AppError::Invalid(format!("{file}：GeoJSON 的 type 应为 FeatureCollection")));
        }
        let Some(features) = json["features"].as_array() else {
            return Err(AppError::Invalid(format!("{file}：没有 features 数组")));
        };
        let catalogue = self.catalogue().await?;
        let counties: Vec<&jili_model::Unit> =
            catalogue.units().filter(|u| matches!(u.level, Level::County | Level::Zone)).collect();
        let mut found = Vec::new();
        let mut unknown = Vec::new();
        for (i, f) in features.iter().enumerate() {
            let Some(code) = feature_code(f) else {
                return Err(AppError::Invalid(format!(
                    "{file}：第 {} 个要素没有区划代码：请在 id 或 properties.adcode 中写 6 位代码",
                    i + 1
                )));
            };
            if counties.iter().any(|u| u.code == code) { found.push(code) } else { unknown.push(code) }
        }
        if found.is_empty() {
            return Err(AppError::Invalid(format!("{file}：没有一个要素的代码是本省的县市区代码，未导入")));
        }
        let missing = counties.iter().filter(|u| !found.contains(&u.code)).map(|u| u.code.clone()).collect();
        let actor = self.actor();
        // The approval last: its presence is what says a map is there.
        self.store.put_setting(&actor, MAP_KEY, text).await?;
        self.store.put_setting(&actor, APPROVAL_KEY, approval).await?;
        Ok(CountyMapImport { matched: found.len(), missing, unknown })
    }

    /// Whether the office has imported a county map: pages offer the map only then (asking for
    /// an absent one logs a 404 in every visitor's console). Reads the small approval setting,
    /// stored with the map, not the map itself. Public.
    pub async fn has_county_map(&self) -> Result<bool> {
        self.allow(Action::ReadPublished)?;
        Ok(self.store.setting(APPROVAL_KEY).await?.is_some())
    }

    /// The imported county map (GeoJSON text) and its approval number, if any. Public.
    pub async fn county_map(&self) -> Result<Option<(String, String)>> {
        self.allow(Action::ReadPublished)?;
        let Some(map) = self.store.setting(MAP_KEY).await? else { return Ok(None) };
        let approval = self.store.setting(APPROVAL_KEY).await?.unwrap_or_default();
        Ok(Some((map, approval)))
    }
}
