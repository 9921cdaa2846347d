//! The progress board and the 填报模板 round trip in a real browser: the office dates
//! RD_INTENSITY (the demo leaves one county without it) in the past on the board's form and
//! sees it missing, on the overdue list too; 统计局 opens its board, downloads its template
//! from the row, fills the missing county's cell, uploads it on the upload page with no
//! mapping question, confirms, and the row shows as delivered late.
#![allow(clippy::unwrap_used)]

use crate::browser_kit;

use base64::Engine as _;
use browser_kit::{Browser, ONE_AT_A_TIME, browser_available};
use jili_model::template as t;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_shows_a_missing_series_and_a_filled_template_delivers_it() {
    if !browser_available() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let b = Browser::start().await;
    // The county the demo leaves without RD_INTENSITY in 2024.
    let stored: Vec<String> = b
        .site
        .app
        .raw_store()
        .observations_of(&["RD_INTENSITY"])
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.observation.period.to_string() == "2024")
        .map(|o| o.observation.unit.to_string())
        .collect();

    b.login("demo-office").await;
    b.open("/work").await;
    b.wait("a[href='/work/board']").await.click().await.unwrap();
    b.wait("#board-plans").await;
    b.wait("#kind option[value='data']").await.click().await.unwrap();
    b.type_into("#period", "2024").await;
    b.type_into("#series", "RD_INTENSITY").await;
    // A date input takes the digits in the browser's order; set it as a user's picker does.
    b.client.execute("document.getElementById('due').value = '2000-01-01'", vec![]).await.unwrap();
    b.type_into("#note", "催报测试").await;
    b.wait("#set-date").await.click().await.unwrap();
    let done = b.text("#board-result").await;
    assert!(done.contains("已设定"), "{done}");
    let row = b.wait("#data-RD_INTENSITY-2024").await;
    assert_eq!(row.attr("data-progress").await.unwrap().as_deref(), Some("missing"));
    assert!(b.text("#calendar").await.contains("催报测试"));
    b.wait("#board-overdue").await.click().await.unwrap();
    let list = b.text("#board-data").await;
    assert!(list.contains("RD_INTENSITY") && list.contains("逾期未报"), "{list}");
    assert!(!list.contains("按时") && !list.contains("未到期"), "only what is overdue: {list}");
    b.screenshot("office-overdue-list").await;
    b.logout().await;

    // 统计局 sees its own rows only, and its template on them.
    b.login("demo-tjj").await;
    b.open("/work/board").await;
    let row = b.wait("#data-RD_INTENSITY-2024").await;
    assert_eq!(row.attr("data-progress").await.unwrap().as_deref(), Some("missing"));
    assert!(b.text("#board-data").await.contains("省统计局"));
    assert!(!b.text("main").await.contains("省财政厅（CZT）"), "another department's rows are not shown");
    b.screenshot("provider-board").await;
    let href = b.wait("#data-RD_INTENSITY-2024 a.template-link").await.attr("href").await.unwrap().unwrap();
    // Downloaded by the browser with its session, as a click would.
    let got = b
        .client
        .execute_async(
            "const done = arguments[1]; fetch(arguments[0]).then(r => r.arrayBuffer()).then(buf => { \
               let s = ''; const a = new Uint8Array(buf); for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]); \
               done(btoa(s)); }).catch(e => done('error ' + e));",
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap();
    let bytes = base64::engine::general_purpose::STANDARD.decode(got.as_str().unwrap()).unwrap();
    let (rows, _) = jili_testkit::filled::read_template(&bytes, t::DATA_SHEET);
    let gap: Vec<&Vec<String>> =
        rows.iter().skip(1).filter(|r| r[2] == "RD_INTENSITY" && !stored.contains(&r[0])).collect();
    assert_eq!(gap.len(), 1, "one county lacks RD_INTENSITY: {gap:?}");
    let county = gap[0][0].clone();
    let filled = jili_testkit::filled::fill_template(&bytes, t::DATA_SHEET, t::MARKER_SHEET, 7, |r| {
        (r[2] == "RD_INTENSITY" && r[0] == county).then_some(1.8)
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("填报模板-TJJ-2024.xlsx");
    std::fs::write(&path, filled).unwrap();

    b.open("/work/upload").await;
    b.wait("#file").await.send_keys(path.to_str().unwrap()).await.unwrap();
    b.wait("#upload-form button[type=submit]").await.click().await.unwrap();
    b.wait("#validation-report, #report-summary").await;
    let report = b.text("main").await;
    assert!(report.contains("jili 填报模板"), "read as the template, no mapping asked: {report}");
    b.click_confirmed("#confirm", "#batch-id").await;
    b.open("/work/board").await;
    let row = b.wait("#data-RD_INTENSITY-2024").await;
    assert_eq!(row.attr("data-progress").await.unwrap().as_deref(), Some("late"));
    let text = row.text().await.unwrap();
    assert!(text.contains("逾期报送"), "{text}");
    b.screenshot("provider-board-delivered").await;
    b.stop().await;
}
