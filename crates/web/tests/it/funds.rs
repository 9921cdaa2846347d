//! The funds ledger on the web (`/work/funds`): the office sees the year's awards from the
//! publication and records a disbursement (one over the award is refused on the page, nothing
//! stored); the auditor reads without the form; a provider other than the finance department
//! is refused; the export is a workbook.
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::http::StatusCode;
use common::site;

fn html(r: &common::Reply) -> String {
    r.text().replace("&#x2f;", "/").replace("&quot;", "\"").replace("&#x27;", "'")
}

#[tokio::test]
async fn the_office_records_a_disbursement_and_the_auditor_reads_the_ledger() {
    let s = site().await;
    s.app.set_budget(2024, 19, "2700", "湘财预〔2024〕1号").await.unwrap();
    let office = s.login("demo-office").await;
    let page = html(&s.get_as(&office, "/work/funds?measure=19").await);
    assert!(page.contains("id=\"funds-unit-19-430300\"") && page.contains("id=\"funds-form\""), "{page}");
    assert!(page.contains("id=\"funds-measure-19\""), "{page}");

    let form = |amount: &str| {
        format!("kind=disburse&measure=19&unit=430300&amount={amount}&doc_no=X88&date=2024-10-15&channel=&note=")
    };
    let over = s.post_form(&office, "/work/funds", &form("300.5")).await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&over).contains("超过奖励金额 300 万元"), "{}", html(&over));
    assert!(s.app.raw_store().fund_entries(2024).await.unwrap().is_empty(), "nothing stored");
    let ok = s.post_form(&office, "/work/funds", &form("200")).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", html(&ok));
    // Without the session's token, nothing is recorded.
    let forged = s.post_form(&office, "/work/funds", &format!("{}&csrf=forged", form("1"))).await;
    assert_ne!(forged.status, StatusCode::SEE_OTHER);
    assert_eq!(s.app.raw_store().fund_entries(2024).await.unwrap().len(), 1);

    let auditor = s.login("demo-audit").await;
    let page = html(&s.get_as(&auditor, "/work/funds?measure=19&unit=430300").await);
    let row = &page[page.find("id=\"funds-measure-19\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    // 预算 2700, 奖励 2700, 已下达 200, …, 结余 2500.
    assert!(row.contains(">2700<") && row.contains(">200<") && row.contains(">2500<"), "{row}");
    assert!(!page.contains("id=\"funds-form\""), "the auditor reads only");
    let xlsx = s.get_as(&auditor, "/work/funds/ledger.xlsx?measure=19").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.header("content-type").contains("spreadsheetml"));

    let tjj = s.login("demo-tjj").await;
    assert_eq!(s.get_as(&tjj, "/work/funds").await.status, StatusCode::FORBIDDEN);
}
