//! The site in a real browser (headless Chromium through WebDriver): the portal and its map,
//! a provider's upload, a lead's plan editor, the office's review and publication, the public
//! page after it, and the ranking table by keyboard alone. Screenshots of the main pages are
//! kept in target/screenshots/.
#![allow(clippy::unwrap_used)]

mod browser_kit;
mod common;

use browser_kit::{Browser, ONE_AT_A_TIME, browser_available};

/// The portal loads; the measure page draws the 14 市州 on the map (read back from the chart).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_loads_and_the_map_draws_the_14_cities() {
    if !browser_available() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let b = Browser::start().await;
    b.open("/").await;
    let home = b.text("main").await;
    assert!(home.contains("第3条") || home.contains("打造国家重要先进制造业高地"), "{home}");
    b.screenshot("portal-home").await;

    b.open("/measures/2").await;
    let map = b.wait("#city-map[data-regions-drawn]").await;
    assert_eq!(map.attr("data-regions-total").await.unwrap().as_deref(), Some("14"));
    assert_eq!(map.attr("data-regions-drawn").await.unwrap().as_deref(), Some("14"));
    let page = b.text("main").await;
    assert!(page.contains("示意图"), "the map is labelled a sketch");
    b.screenshot("portal-measure-2").await;
    for (path, name) in [("/data", "portal-data"), ("/units/430100", "portal-unit"), ("/method", "portal-method"), ("/notice", "portal-notice")] {
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
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
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
            .execute("const a = document.activeElement; return a && a.closest('#ranking') ? a.getAttribute('href') : null", vec![])
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
