//! The watch list to a resolved case, in a real browser (headless Chromium through WebDriver):
//! 统计局 revises 郴州市's value so that it wins measure 5; the office finds it first on the
//! watch list, opens a case from its row and queries; 统计局 answers on its case page; the
//! office refers the case to discipline inspection, and the evidence shows. Screenshots are
//! kept in target/screenshots/.
#![allow(clippy::unwrap_used)]

use crate::browser_kit;
use crate::common;

use browser_kit::{Browser, ONE_AT_A_TIME, browser_available};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_walks_the_watch_list_to_a_resolved_case() {
    if !browser_available() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let b = Browser::start().await;
    // The demo has no flags of its own: an ordinary import makes them.
    common::revise_agri(&b.site.app, "郴州市", "9.9").await;
    common::revise_agri(&b.site.app, "长沙市", "6.5").await;

    b.login("demo-office").await;
    b.open("/work").await;
    b.wait("a[href='/work/watch']").await.click().await.unwrap();
    let row = b.wait("#watch tr[data-unit='431000'][data-series='AGRI_VA_GROWTH']").await;
    assert_eq!(row.attr("data-crosses").await.unwrap().as_deref(), Some("yes"));
    let text = row.text().await.unwrap();
    assert!(text.contains("郴州市") && text.contains("入选 → 落选"), "{text}");
    // Above 长沙市's value, which moves a score but no winner.
    let rank = |id: Option<String>| id.unwrap().trim_start_matches("watch-").parse::<usize>().unwrap();
    let n = rank(row.attr("id").await.unwrap());
    let changsha = b.wait("#watch tr[data-unit='430100'][data-series='AGRI_VA_GROWTH']").await;
    assert!(n < rank(changsha.attr("id").await.unwrap()));
    assert_eq!(changsha.attr("data-moves").await.unwrap().as_deref(), Some("no"));
    b.screenshot("office-watch-list").await;

    // A case from the row: its title is suggested, the flags come with it.
    b.type_into(&format!("#title-{n}"), "郴州市农林牧渔业增加值增速跳变").await;
    b.wait(&format!("#open-case-{n}")).await.click().await.unwrap();
    let opened = b.text("#case-result").await;
    assert!(opened.contains("已立案"), "{opened}");
    let id = b.site.app.cases().await.unwrap().last().unwrap().case.id;
    b.type_into("#query-text", "请说明 2024 年数值由 3.42 修订为 9.9 的依据，5 个工作日内答复").await;
    b.wait("#send-query").await.click().await.unwrap();
    b.wait("#case-status[data-status='queried']").await;
    b.logout().await;

    // 统计局 answers on its own case page.
    b.login("demo-tjj").await;
    b.open("/work/cases").await;
    b.wait(&format!("#case-{id} a")).await.click().await.unwrap();
    let page = b.text("main").await;
    assert!(page.contains("3.42 修订为 9.9") && !page.contains("由未入选变为入选"), "{page}");
    b.type_into("#answer-text", "系乡镇上报口径有误，正在重新核实").await;
    b.wait("#send-answer").await.click().await.unwrap();
    b.wait("#case-status[data-status='answered']").await;
    b.screenshot("provider-case-answered").await;
    b.logout().await;

    // The office refers it with the evidence.
    b.login("demo-office").await;
    b.open(&format!("/work/cases/{id}")).await;
    b.wait("#resolution option[value='referred']").await.click().await.unwrap();
    b.type_into("#resolve-text", "说明与原始台账不符，移送纪检监察").await;
    b.wait("#send-resolve").await.click().await.unwrap();
    b.wait("#case-status[data-status='referred']").await;
    let evidence = b.text("#case-evidence").await;
    assert!(evidence.contains("3.42 → 9.9") && evidence.contains("系乡镇上报口径有误"), "{evidence}");
    b.screenshot("office-case-referred").await;

    // Settled: the value has left the watch list.
    b.open("/work/watch").await;
    b.wait("#watch-counts").await;
    let left =
        b.client.find_all(Locator::Css("#watch tr[data-unit='431000'][data-series='AGRI_VA_GROWTH']")).await.unwrap();
    assert!(left.is_empty(), "a resolved case takes its flags off the list");
    let steps: Vec<String> = b.site.app.case(id).await.unwrap().steps.iter().map(|s| s.step.to_string()).collect();
    assert_eq!(steps, ["open", "query", "answer", "refer"]);
    assert!(b.site.app.verify_audit(None).await.unwrap().is_intact());
    b.stop().await;
}
