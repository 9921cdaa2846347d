//! The public pages as a visitor's browser sees them: nothing fails in the console (no script
//! error, no request answered 404 — such as a county map that was never imported), and the map
//! of the 14 市州 is readable: no two labels overlap, and each label contrasts with the colour of
//! its region (WCAG 2 contrast ratio at least 4.5, read back from the chart as drawn).

use crate::browser_kit::{Browser, ONE_AT_A_TIME, browser_available};

/// Every label of the chart in `#id` that names a region: its text, its box on the canvas
/// (x, y, width, height), its fill colour and the fill of the region under it, as ECharts drew
/// them (zrender's display list: what is on the canvas, after any layout moved a label).
const LABELS: &str = r#"
const el = document.getElementById(arguments[0]);
const chart = echarts.getInstanceByDom(el);
const series = chart.getModel().getSeriesByIndex(0);
const data = series.getData();
const regionFill = {};
for (let i = 0; i < data.count(); i++) {
  const style = data.getItemVisual(i, "style") || {};
  regionFill[data.getName(i)] = style.fill || style.areaColor || null;
}
const out = [];
for (const t of chart.getZr().storage.getDisplayList(true)) {
  if ((t.type !== "tspan" && t.type !== "text") || t.ignore || t.invisible || !t.style || !(t.style.text in regionFill)) continue;
  const r = t.getBoundingRect().clone();
  if (t.transform) r.applyTransform(t.transform);
  out.push({ text: t.style.text, x: r.x, y: r.y, w: r.width, h: r.height, fill: t.style.fill, region: regionFill[t.style.text] });
}
return out;
"#;

/// `#rrggbb`, `#rgb` or `rgb(a)(r, g, b…)` as 0–255 channels.
fn rgb(colour: &str) -> Option<[f64; 3]> {
    let c = colour.trim();
    if let Some(hex) = c.strip_prefix('#') {
        let hex: String = if hex.len() == 3 { hex.chars().flat_map(|ch| [ch, ch]).collect() } else { hex.to_string() };
        let v = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok().map(f64::from);
        return Some([v(0)?, v(2)?, v(4)?]);
    }
    let inner = c.split_once('(')?.1.trim_end_matches(')');
    let mut parts = inner.split(',').map(|p| p.trim().parse::<f64>().ok());
    Some([parts.next()??, parts.next()??, parts.next()??])
}

/// WCAG 2's relative luminance and contrast ratio.
fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let lum = |c: [f64; 3]| {
        let ch = |v: f64| {
            let s = v / 255.0;
            if s <= 0.03928 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn the_contrast_ratio_is_wcag_s() {
    assert!((contrast([0.0; 3], [255.0; 3]) - 21.0).abs() < 1e-9);
    assert_eq!(rgb("rgba(122, 1, 119, 1)"), Some([122.0, 1.0, 119.0]));
    assert_eq!(rgb("#fff"), Some([255.0; 3]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_log_no_errors_and_the_map_s_labels_are_readable() {
    if !browser_available() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let b = Browser::start().await;
    let published = b.site.app.published(Some(2024)).await.unwrap().unwrap();
    let mut pages: Vec<String> =
        ["/", "/data", "/units/430100", "/units/430102", "/method", "/notice", "/commendations", "/releases"]
            .iter()
            .map(|p| p.to_string())
            .collect();
    pages.extend(published.body.measures.iter().map(|m| format!("/measures/{}", m.measure)));
    let mut checked_maps = 0;
    for path in &pages {
        b.open(path).await;
        b.wait("main h1").await;
        let has_map = b.client.execute("return !!document.getElementById('city-map')", vec![]).await.unwrap();
        if has_map == serde_json::json!(true) {
            b.wait("#city-map[data-regions-drawn]").await;
            let labels = b.client.execute(LABELS, vec![serde_json::json!("city-map")]).await.unwrap();
            let labels = labels.as_array().cloned().unwrap_or_default();
            assert_eq!(labels.len(), 14, "{path}: a label for each 市州: {labels:?}");
            let num = |l: &serde_json::Value, k: &str| l[k].as_f64().unwrap();
            for (i, a) in labels.iter().enumerate() {
                for c in &labels[i + 1..] {
                    let apart = num(a, "x") + num(a, "w") <= num(c, "x")
                        || num(c, "x") + num(c, "w") <= num(a, "x")
                        || num(a, "y") + num(a, "h") <= num(c, "y")
                        || num(c, "y") + num(c, "h") <= num(a, "y");
                    assert!(apart, "{path}: the labels {} and {} overlap: {a} {c}", a["text"], c["text"]);
                }
                let (text, region) = (a["fill"].as_str().unwrap_or("#000"), a["region"].as_str().unwrap_or("#eee"));
                let ratio = contrast(rgb(text).unwrap(), rgb(region).unwrap());
                assert!(ratio >= 4.5, "{path}: {} is {text} on {region}: contrast {ratio:.2} < 4.5", a["text"]);
            }
            checked_maps += 1;
        }
        // Let late requests (the maps' data) finish before reading the console.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let errors = b.console_errors().await;
        assert!(errors.is_empty(), "{path}: the console shows errors: {errors:#?}");
    }
    assert!(checked_maps > 0, "some measure page draws the map of the 市州");
    b.stop().await;
}
