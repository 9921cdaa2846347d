//! The site in a real browser (headless Chromium through WebDriver): the portal and its map,
//! a provider's upload, a lead's plan editor, the office's review and publication, the public
//! page after it, and the ranking table by keyboard alone. Screenshots of the main pages are
//! kept in target/screenshots/.
#![allow(clippy::unwrap_used)]

mod board;
mod browser_kit;
mod cases;
#[path = "../it/common/mod.rs"]
mod common;
mod public_pages;
mod releases;

use browser_kit::{Browser, ONE_AT_A_TIME, browser_available};

/// The portal loads; the measure page draws the 14 市州 on the map (read back from the chart).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_loads_and_the_map_draws_the_14_cities() {
    if !browser_available() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let b = Browser::start().await;
    b.open("/").await;
    let home = b.text("main").await;
    assert!(home.contains("先进制造业高地") && home.contains("省工业和信息化厅"), "{home}");
    b.screenshot("portal-home").await;

    b.open("/measures/2").await;
    let map = b.wait("#city-map[data-regions-drawn]").await;
    assert_eq!(map.attr("data-regions-total").await.unwrap().as_deref(), Some("14"));
    assert_eq!(map.attr("data-regions-drawn").await.unwrap().as_deref(), Some("14"));
    let page = b.text("main").await;
    assert!(page.contains("示意图"), "the map is labelled a sketch");
    let figure =
        b.client.execute("return document.getElementById('county-map-figure') === null", vec![]).await.unwrap();
    assert_eq!(figure, serde_json::json!(true), "no county map imported: none is offered (nor asked for)");
    b.screenshot("portal-measure-2").await;
    b.screenshot_of("#city-map", "portal-map-2").await;
    for (path, name) in [
        ("/data", "portal-data"),
        ("/units/430100", "portal-unit"),
        ("/method", "portal-method"),
        ("/notice", "portal-notice"),
    ] {
        b.open(path).await;
        b.wait("main h1").await;
        b.screenshot(name).await;
    }
    b.stop().await;
}

/// Tab from the top of the measure page reaches the ranking table's links in order, and Enter
/// on one opens that unit's page — no mouse.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ranking_table_works_by_keyboard_alone() {
    if !browser_available() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let b = Browser::start().await;
    b.open("/measures/2").await;
    b.wait("#ranking a").await;
    let first_link: String = b
        .client
        .execute("return document.querySelector('#ranking a').getAttribute('href')", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    let mut reached = None;
    for _ in 0..200 {
        b.client.active_element().await.unwrap().send_keys("\u{E004}").await.unwrap();
        let inside = b
            .client
            .execute(
                "const a = document.activeElement; return a && a.closest('#ranking') ? a.getAttribute('href') : null",
                vec![],
            )
            .await
            .unwrap();
        if let Some(href) = inside.as_str() {
            reached = Some(href.to_string());
            break;
        }
    }
    let href = reached.expect("Tab reaches the ranking table");
    assert_eq!(href, first_link, "the first link of the table is reached first");
    // The next Tab moves to the next row's link.
    b.client.active_element().await.unwrap().send_keys("\u{E004}").await.unwrap();
    let second = b.client.execute("return document.activeElement.getAttribute('href')", vec![]).await.unwrap();
    assert_ne!(second.as_str(), Some(href.as_str()));
    // Shift+Tab back, Enter opens it.
    b.client.active_element().await.unwrap().send_keys("\u{E008}\u{E004}").await.unwrap();
    b.client.active_element().await.unwrap().send_keys("\u{E007}").await.unwrap();
    b.wait("main h1").await;
    let url = b.client.current_url().await.unwrap();
    assert_eq!(url.path(), href, "Enter followed the link");
    b.screenshot("keyboard-unit-page").await;
    b.stop().await;
}

/// A provider uploads a file with a bad cell and sees the report naming it, with no way to
/// confirm; then a good file, confirms, and the batch is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_uploads_a_bad_file_sees_the_report_then_a_good_one() {
    if !browser_available() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let b = Browser::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("2025年地区生产总值（有误）.csv");
    std::fs::write(&bad, common::gdp_2025(&b.site.app, Some((2, "约5100"))).await).unwrap();
    let good = dir.path().join("2025年地区生产总值.csv");
    std::fs::write(&good, common::gdp_2025(&b.site.app, None).await).unwrap();
    let batches = b.site.app.batches().await.unwrap().len();

    b.login("demo-tjj").await;
    b.open("/work/upload").await;
    b.wait("#file").await.send_keys(bad.to_str().unwrap()).await.unwrap();
    b.wait("#upload-form button[type=submit]").await.click().await.unwrap();
    let report = b.text("#validation-report").await;
    assert!(report.contains("约5100"), "the bad value is shown: {report}");
    assert!(report.contains("D4"), "and where it is: {report}");
    assert!(b.client.find(fantoccini::Locator::Css("#confirm")).await.is_err(), "no confirm button");
    b.screenshot("provider-report").await;
    assert_eq!(b.site.app.batches().await.unwrap().len(), batches, "nothing stored by the check");

    b.open("/work/upload").await;
    b.wait("#file").await.send_keys(good.to_str().unwrap()).await.unwrap();
    b.wait("#upload-form button[type=submit]").await.click().await.unwrap();
    b.wait("#validation-report, #report-summary").await;
    b.click_confirmed("#confirm", "#batch-id").await;
    let id = b.text("#batch-id").await;
    b.screenshot("provider-imported").await;
    let stored = b.site.app.batches().await.unwrap();
    assert_eq!(stored.len(), batches + 1);
    let last = stored.last().unwrap();
    assert!(id.contains(&last.id.to_string()), "{id}");
    assert_eq!((last.provider.as_str(), last.rows), ("TJJ", 14));
    b.stop().await;
}

/// A lead types a process indicator into the plan editor and sees the lint error appear as it
/// types; then raises the 市州 quota of measure 3 and submits. The office approves, publishes
/// the plan, runs the measure and publishes a correction; the public page shows five winning
/// cities, as published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_edits_the_office_approves_and_publishes_and_the_public_sees_the_new_winners() {
    if !browser_available() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let b = Browser::start().await;
    b.login("demo-gxt").await;
    b.open("/work/plans/3/edit").await;
    let original = b.wait("#indicator-0-name").await.prop("value").await.unwrap().unwrap();
    b.type_into("#indicator-0-name", "工业发展推进会议召开次数").await;
    let mut lint = String::new();
    for _ in 0..50 {
        lint = b.text("#lint-results").await;
        if lint.contains("会议") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(lint.contains("错误") && lint.contains("会议"), "the lint error shows as the lead types: {lint}");
    b.screenshot("lead-lint-error").await;

    b.type_into("#indicator-0-name", &original).await;
    b.type_into("#group-0-quota", "5").await;
    b.wait("#submit-plan").await.click().await.unwrap();
    b.wait("#plan-versions").await;
    b.logout().await;

    b.login("demo-office").await;
    b.open("/work/plans").await;
    let queue = b.text("#review-queue").await;
    assert!(queue.contains('3'), "{queue}");
    b.open("/work/plans/3/review/2").await;
    b.screenshot("office-review").await;
    b.click_confirmed("#approve", "main").await;
    b.open("/work/plans/3/review/2").await;
    b.click_confirmed("#publish-plan", "main").await;
    assert_eq!(b.site.app.plan_in_force(2024, 3).await.unwrap().stored.version, 2);

    b.open("/work/runs").await;
    b.wait("#measure").await.select_by_value("3").await.unwrap();
    b.click_confirmed("#run-one", "#run-result").await;
    b.open("/work/publish").await;
    b.type_into("#reason", "第3条实施方案修订（市州名额增至5个）后重新评价").await;
    b.click_confirmed("#publish", "#publish-result").await;
    assert!(b.text("#publish-result").await.contains("另一位"), "a request, not yet published");
    assert_eq!(b.site.app.published(Some(2024)).await.unwrap().unwrap().version, 1);
    b.logout().await;
    // Four eyes: a second office user confirms.
    b.login("demo-checker").await;
    b.open("/work/publish").await;
    b.click_confirmed("#confirm-publication", "#publish-result").await;
    b.screenshot("office-published").await;
    b.logout().await;

    let published = b.site.app.published(Some(2024)).await.unwrap().unwrap();
    assert_eq!(published.version, 2);
    let m3 = published.body.measures.iter().find(|m| m.measure == 3).unwrap();
    assert_eq!(m3.plan_version, 2);
    let cities: Vec<&str> =
        m3.winners.iter().filter(|w| w.group.as_deref() == Some("市州")).map(|w| w.name.as_str()).collect();
    assert_eq!(cities.len(), 5, "the new quota");

    b.open("/measures/3").await;
    let table = b.text("table.winners[data-group='市州']").await;
    for name in &cities {
        assert!(table.contains(name), "{name} is shown as a winner: {table}");
    }
    let page = b.text("main").await;
    assert!(page.contains("版本 2"), "{page}");
    b.screenshot("public-new-winners").await;
    b.stop().await;
}

/// The office imports its own county map (with its 审图号); a county measure's page then draws
/// the counties the publication scores on it, and says the approval number.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_county_map_is_drawn_with_its_approval_number() {
    if !browser_available() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let b = Browser::start().await;
    let square = |code: &str, x: f64| {
        format!(
            r#"{{"type":"Feature","id":"{code}","properties":{{"name":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},28.0],[{x2},28.0],[{x2},28.3],[{x},28.3],[{x},28.0]]]}}}}"#,
            x2 = x + 0.3
        )
    };
    let geo = format!(
        r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
        square("430102", 112.9),
        square("430103", 113.3)
    );
    b.site.app.import_county_map("counties.json", geo.as_bytes(), "湘S〔2024〕012号").await.unwrap();
    let published = b.site.app.published(Some(2024)).await.unwrap().unwrap();
    let m2 = published.body.measures.iter().find(|m| m.measure == 2).unwrap();
    let scored = ["430102", "430103"]
        .iter()
        .filter(|c| m2.ranking.as_ref().unwrap().iter().any(|u| u.code == **c && u.score.is_some()))
        .count();

    b.open("/measures/2").await;
    let map = b.wait("#county-map[data-regions-drawn]").await;
    assert_eq!(map.attr("data-regions-total").await.unwrap().as_deref(), Some("2"));
    assert_eq!(map.attr("data-regions-drawn").await.unwrap(), Some(scored.to_string()));
    let caption = b.text("#county-map-figure figcaption").await;
    assert!(caption.contains("湘S〔2024〕012号"), "{caption}");
    b.screenshot_of("#county-map-figure", "portal-county-map").await;
    b.stop().await;
}

/// The public measure page of a measure with vetoed units (measure 3: a safety-accident veto)
/// says how many were vetoed and names none of them, nor the reason — and what the page says
/// is what the public API answers, read from the same page by the browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_measure_page_counts_vetoed_units_and_names_none() {
    if !browser_available() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let b = Browser::start().await;
    b.open("/measures/3").await;
    let count = b.wait("#vetoed-count").await.text().await.unwrap();
    let api = b
        .client
        .execute_async(
            "const done = arguments[0]; fetch('/api/measures/3').then(r => r.json()).then(j => done(j)).catch(e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    let counted = api["vetoed_count"].as_u64().unwrap();
    assert!(counted > 0, "measure 3 has vetoed units in the demo: {api}");
    assert!(count.contains(&counted.to_string()) && count.contains("一票否决"), "{count}");
    assert_eq!(api["vetoed"], serde_json::json!([]), "the API names none either");
    // No vetoed county is named (the 市州 are all on the map, so look at the counties).
    let page = b.text("main").await;
    let run = b.site.app.measure_results(Some(2024), 3, None).await.unwrap().shown.unwrap();
    let vetoed: Vec<_> = run
        .units
        .iter()
        .filter(|u| u.result.outcome == "一票否决" && u.result.group.as_deref() == Some("县市区"))
        .collect();
    assert!(!vetoed.is_empty());
    for u in vetoed {
        assert!(!page.contains(&u.name), "{} (vetoed) is named on the public page", u.name);
    }
    let named = b.client.execute("return document.querySelectorAll('tr.vetoed').length", vec![]).await.unwrap();
    assert_eq!(named, serde_json::json!(0), "no row of vetoed units");
    b.screenshot("portal-measure-3-vetoes").await;
    b.stop().await;
}
