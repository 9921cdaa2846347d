//! The progress board on the web (`/work/board`, `/work/calendar`, the overdue exports,
//! `/work/template`): the office sets a date and sees it; a bad date is refused with its
//! message and nothing stored; each role its own rows; a unit refused; the template only for
//! the provider itself (or the office).
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::http::StatusCode;
use common::site;

#[tokio::test]
async fn the_office_dates_the_board_and_each_role_reads_its_own_part() {
    let s = site().await;
    let office = s.login("demo-office").await;
    let r = s
        .post_form(
            &office,
            "/work/calendar",
            "year=2024&kind=data&period=2024&series=RD_INTENSITY&due=2000-01-01&note=",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = s.get_as(&office, "/work/board?year=2024&done=set").await.text();
    assert!(
        page.contains("已设定日期") && page.contains("id=\"data-RD_INTENSITY-2024\" data-progress=\"missing\""),
        "{page}"
    );
    assert!(page.contains("id=\"calendar-form\""), "the office sets dates here");
    let before = s.app.calendar(Some(2024)).await.unwrap().dates.len();
    let r = s.post_form(&office, "/work/calendar", "year=2024&kind=plan&due=2024-02-30").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("YYYY-MM-DD"), "{}", r.text());
    assert_eq!(s.app.calendar(Some(2024)).await.unwrap().dates.len(), before, "nothing stored");

    let overdue = s.get_as(&office, "/work/board?year=2024&overdue=1").await.text();
    assert!(overdue.contains("RD_INTENSITY") && !overdue.contains("data-progress=\"done_undated\""), "{overdue}");
    let csv = s.get_as(&office, "/work/board/overdue.csv?year=2024").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.text().contains("RD_INTENSITY") && csv.header("cache-control") == "no-store");
    let xlsx = s.get_as(&office, "/work/board/overdue.xlsx?year=2024").await;
    assert!(xlsx.body.starts_with(b"PK"));

    // 统计局 its own rows and no plans; 财政厅 none of 统计局's; a lead no data; a unit refused.
    let tjj = s.login("demo-tjj").await;
    let page = s.get_as(&tjj, "/work/board?year=2024").await.text();
    assert!(
        page.contains("data-RD_INTENSITY-2024")
            && !page.contains("id=\"board-plans\"")
            && !page.contains("calendar-form")
    );
    assert!(!page.contains("（CZT）"), "no other department's rows");
    let fgw = s.login("demo-fgw").await;
    let page = s.get_as(&fgw, "/work/board?year=2024").await.text();
    assert!(
        page.contains("id=\"plan-8\"") && !page.contains("id=\"plan-3\"") && !page.contains("data-RD_INTENSITY"),
        "{page}"
    );
    let changsha = s.login("demo-changsha").await;
    assert_eq!(s.get_as(&changsha, "/work/board").await.status, StatusCode::FORBIDDEN);

    // The template: 统计局's own, downloaded as a named workbook; not for another department.
    let t = s.get_as(&tjj, "/work/template?provider=TJJ&period=2024&year=2024").await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text());
    assert!(t.body.starts_with(b"PK") && t.header("content-disposition").contains("template-TJJ-2024.xlsx"));
    assert_eq!(s.get_as(&tjj, "/work/template?provider=CZT&period=2024").await.status, StatusCode::FORBIDDEN);
}
