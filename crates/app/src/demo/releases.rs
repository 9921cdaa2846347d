//! The demo's regular data releases (定期通报主要指标数据): quarterly demo values of the 14 市州,
//! derived from their generated annual GDP (all invented, labelled 演示数据), and — once the
//! portal is prepared — the four quarterly releases of the programme's year, one revised value
//! with the correction of its release, and the annual release.

use crate::App;
use crate::error::{AppError, Result};
use jili_model::{Batch, Decimal, Level, Observation, Period, Status, Unit};
use std::str::FromStr;

/// Each quarter's share of a year's value (the fourth quarter is the largest, as in Hunan).
const SHARES: [f64; 4] = [0.22, 0.24, 0.25, 0.29];

/// The quarterly series made, with their provider and size relative to a city's annual GDP.
/// `SME_LOAN_Q` is a balance the catalogue marks 原则上不向社会公布: it is stored but never released.
const QUARTERLY: [(&str, &str, f64); 3] =
    [("GDP_Q", "TJJ", 1.0), ("RETAIL_SALES_Q", "TJJ", 0.4), ("SME_LOAN_Q", "RMYH", 0.12)];

/// The revised value of the demo correction: 株洲市's GDP in the third quarter, 2% higher.
const REVISED: (&str, &str) = ("GDP_Q", "430200");

/// The quarterly demo batches (one per provider), from the cities' annual GDP in `batches`.
pub(crate) fn quarterly_batches(batches: &[Batch], units: &[Unit]) -> Vec<Batch> {
    let cities: Vec<&Unit> = units.iter().filter(|u| u.level == Level::City).collect();
    let gdp = |unit: &str, year: i32| {
        batches
            .iter()
            .flat_map(|b| &b.observations)
            .find(|o| o.series.as_str() == "GDP" && o.unit.as_str() == unit && o.period == Period::year(year))
    };
    let last = batches.iter().flat_map(|b| &b.observations).map(|o| o.period.year).max().unwrap_or_default();
    let mut out: Vec<Batch> = Vec::new();
    for (code, provider, size) in QUARTERLY {
        let mut observations = Vec::new();
        for city in &cities {
            for year in [last - 1, last] {
                let Some(annual) = gdp(&city.code, year) else { continue };
                let annual: f64 = annual.value.to_string().parse().unwrap_or(0.0);
                for (q, share) in SHARES.iter().enumerate() {
                    let q = q as u8 + 1;
                    // A small, fixed wobble per city and quarter, so quarters differ between cities.
                    let digits: u32 = city.code.bytes().map(|b| u32::from(b.saturating_sub(b'0'))).sum();
                    let wobble = f64::from((digits * 7 + u32::from(q) * 13 + code.len() as u32) % 11) / 1000.0;
                    let value = annual * size * share * (1.0 + wobble);
                    observations.push(Observation {
                        series: code.into(),
                        unit: city.code.as_str().into(),
                        period: Period { year, part: jili_model::Part::Quarter(q) },
                        value: Decimal::from_str(&format!("{value:.1}")).unwrap_or_default().normalize(),
                        status: if year == last && q == 4 { Status::Preliminary } else { Status::Final },
                    });
                }
            }
        }
        match out.iter_mut().find(|b| b.provider == provider) {
            Some(b) => b.observations.extend(observations),
            None => out.push(Batch {
                provider: provider.into(),
                source: format!("演示数据：季度主要指标（{}–{}年，由演示年度数据折算）", last - 1, last),
                demo: true,
                observations,
            }),
        }
    }
    out
}

impl App {
    /// The demo's releases: the four quarterly releases of the programme's year, a revision of
    /// one value and the correction of its release, then the annual release. Only on a demo
    /// database, and only once.
    pub(crate) async fn demo_releases(&self) -> Result<()> {
        if !self.data_releases().await?.is_empty() {
            return Ok(());
        }
        let year = self.programme(None).await?.year;
        for q in 1..=4 {
            self.make_release(Some("quarterly"), &format!("{year}-Q{q}")).await?;
        }
        let (series, unit) = REVISED;
        let q3 = Period { year, part: jili_model::Part::Quarter(3) };
        let now = self
            .store
            .observations_of(&[series])
            .await?
            .into_iter()
            .find(|o| o.observation.unit.as_str() == unit && o.observation.period == q3)
            .ok_or_else(|| AppError::NotFound(format!("演示数据中没有 {series} {unit} {q3}")))?;
        let mut revised = now.observation.clone();
        revised.value = (revised.value * Decimal::from_str("1.02").unwrap_or(Decimal::ONE)).round_dp(1);
        let batch = Batch {
            provider: "TJJ".into(),
            source: "演示数据：省统计局修订株洲市第3季度地区生产总值（虚构）".into(),
            demo: true,
            observations: vec![revised],
        };
        self.import_batch(&batch).await?;
        self.correct_release(
            Some("quarterly"),
            &q3.to_string(),
            "演示：省统计局核实后修订了株洲市第3季度地区生产总值（虚构的更正）",
        )
        .await?;
        self.make_release(Some("annual"), &year.to_string()).await?;
        Ok(())
    }
}
