//! The data releases in a real browser (headless Chromium through WebDriver): from the list, an
//! older version of a corrected release says 已更正 and links to the newest, which shows its
//! values; choosing another series shows that series' table. Screenshots are kept in
//! target/screenshots/.
#![allow(clippy::unwrap_used)]

use crate::browser_kit;

use browser_kit::{Browser, ONE_AT_A_TIME, browser_available};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrected_release_leads_to_the_newest_and_its_values_show() {
    if !browser_available() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let b = Browser::start().await;
    b.open("/releases").await;
    let list = b.text("main").await;
    assert!(list.contains("主要指标数据季度通报") && list.contains("已更正") && list.contains("通报日程"), "{list}");
    b.screenshot("portal-releases").await;

    // The corrected version of the third quarter, from its row in the list.
    b.wait("tr.superseded th a").await.click().await.unwrap();
    let note = b.text("#superseded").await;
    assert!(note.contains("已更正") && note.contains("版本 2"), "{note}");
    let old = b.text("#data-table").await;
    b.screenshot("portal-release-corrected").await;

    // Its link opens the newest version: no longer flagged, one value (株洲市) changed.
    b.wait("#newest").await.click().await.unwrap();
    b.wait("#release").await;
    let flagged = b.client.execute("return document.getElementById('superseded') !== null", vec![]).await.unwrap();
    assert_eq!(flagged, serde_json::json!(false));
    let new = b.text("#data-table").await;
    let row = |table: &str, name: &str| table.lines().find(|l| l.starts_with(name)).unwrap_or_default().to_string();
    assert_ne!(row(&old, "株洲市"), row(&new, "株洲市"), "the corrected value");
    assert_eq!(row(&old, "长沙市"), row(&new, "长沙市"));
    assert!(new.contains("2024-Q3") && !new.contains("2024-Q4"), "periods up to the cut-off: {new}");

    // Another series, chosen in the form.
    b.wait("#series option[value='RETAIL_SALES_Q']").await.click().await.unwrap();
    b.wait("#series-form button[type=submit]").await.click().await.unwrap();
    let table = b.wait("#data-table[data-series='RETAIL_SALES_Q']").await;
    assert!(table.text().await.unwrap().contains("社会消费品零售总额（季度）"));
    b.screenshot("portal-release").await;
    b.stop().await;
}
