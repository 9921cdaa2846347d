//! `jili funds` as the office uses it: a disbursement over the award refused with nothing
//! stored, a use report, a recovery that corrects the publication (confirmed by a second office
//! user) without moving the next unit up, the money returned, and a ledger that balances — as a
//! table, as JSON and as a workbook.

use crate::common::{demo_db, jili, text_of};
use std::process::Output;

#[track_caller]
fn ok(out: Output) -> String {
    let t = text_of(&out);
    assert!(out.status.success(), "expected success: {t}");
    t
}

#[track_caller]
fn refused(out: Output, want: &str) -> String {
    let t = text_of(&out);
    assert_eq!(out.status.code(), Some(1), "expected a refusal containing “{want}”: {t}");
    assert!(t.contains(want) && !t.contains("panicked"), "expected “{want}” in: {t}");
    t
}

fn request_in(text: &str, marker: &str) -> String {
    let rest = text.split(marker).nth(1).unwrap_or_else(|| panic!("no request in: {text}"));
    rest.chars().take_while(char::is_ascii_digit).collect()
}

#[test]
fn a_recovery_corrects_the_publication_and_the_ledger_balances() {
    let db = demo_db();
    let first = request_in(&ok(jili(&db, &["publish"])), "已提交发布申请 ");
    ok(jili(&db, &["--actor", "复核人", "publish", "--confirm", &first]));
    ok(jili(&db, &["budget", "set", "19", "2700", "--basis", "湘财预〔2024〕1号"]));
    let pay = |amount: &str| {
        jili(
            &db,
            &[
                "funds",
                "disburse",
                "19",
                "430300",
                "--amount",
                amount,
                "--doc",
                "湘财资〔2024〕88号",
                "--date",
                "2024-10-15",
            ],
        )
    };
    ok(pay("200"));
    refused(pay("100.5"), "超过奖励金额 300 万元");
    refused(pay("abc"), "不是金额");
    ok(jili(
        &db,
        &["funds", "use", "19", "430300", "--amount", "120", "--doc", "湘财报〔2024〕3号", "--date", "2024-12-01"],
    ));
    let ledger: serde_json::Value =
        serde_json::from_slice(&jili(&db, &["funds", "ledger", "--measure", "19", "--json"]).stdout).unwrap();
    assert_eq!(ledger["entries"].as_array().unwrap().len(), 2, "the refused disbursement left nothing: {ledger}");

    let t = ok(jili(
        &db,
        &[
            "funds",
            "recover",
            "19",
            "430300",
            "--reason",
            "经核查，报送的空气质量数据存在人为干预",
            "--doc",
            "湘纪〔2025〕5号",
            "--date",
            "2025-03-01",
        ],
    ));
    assert!(t.contains("应追回已下达资金 200 万元") && t.contains("名额不递补"), "{t}");
    let second = request_in(&t, "已申请更正发布（申请 ");
    ok(jili(&db, &["--actor", "复核人", "publish", "--confirm", &second]));
    let shown = ok(jili(&db, &["publish", "--show"]));
    assert!(shown.contains("第 2 版") && shown.contains("湘潭市（430300）取消，原因：追回奖励：经核查"), "{shown}");
    ok(jili(
        &db,
        &["funds", "return", "19", "430300", "--amount", "150", "--doc", "缴款书001", "--date", "2025-04-01"],
    ));

    let ledger: serde_json::Value =
        serde_json::from_slice(&jili(&db, &["funds", "ledger", "--measure", "19", "--json"]).stdout).unwrap();
    let m = &ledger["measures"][0];
    let n = |v: &serde_json::Value| v.as_str().unwrap().parse::<i64>().unwrap();
    // 预算 2700 = 结余 2650 + 已下达 200 − 已追回 150; 湘潭市's award is gone and nobody took it.
    assert_eq!((n(&m["budget"]), n(&m["amounts"]["awarded"]), n(&m["balance"])), (2700, 2400, 2650), "{m}");
    assert_eq!(n(&m["budget"]), n(&m["balance"]) + n(&m["amounts"]["disbursed"]) - n(&m["amounts"]["recovered"]));
    let units = ledger["units"].as_array().unwrap();
    assert!(units.iter().all(|u| u["unit"] != "430600"), "岳阳市 did not move up");
    let table = ok(jili(&db, &["funds", "ledger", "--measure", "19"]));
    assert!(table.contains("已追回") && table.contains("2650"), "{table}");
    let file = db.path().with_file_name("ledger.xlsx");
    ok(jili(&db, &["funds", "ledger", "-o", file.to_str().unwrap()]));
    assert!(std::fs::read(&file).unwrap().starts_with(b"PK"), "a workbook");
    assert!(ok(jili(&db, &["audit", "verify"])).contains("审计核验通过"));
}
