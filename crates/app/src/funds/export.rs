//! The ledger as an XLSX workbook (written by `jili_report::funds`): 措施 (budget to balance per
//! measure and the year), 单位 (each award), 台账明细 (every journal entry).

use super::ledger::{Amounts, Ledger};
use crate::error::{AppError, Result};
use jili_report::funds::{Cell, Sheet, ledger_xlsx};

const AMOUNT_HEADERS: [&str; 7] = ["奖励", "已下达", "已使用", "应追回", "已追回", "待下达", "待追回"];

fn amounts(a: &Amounts) -> Vec<Cell> {
    [a.awarded, a.disbursed, a.used, a.to_recover, a.recovered, a.undisbursed, a.outstanding]
        .into_iter()
        .map(Cell::Amount)
        .collect()
}

/// The workbook's bytes.
pub fn ledger_workbook(ledger: &Ledger) -> Result<Vec<u8>> {
    let text = |s: &str| Cell::Text(s.to_string());
    let mut measure_rows = Vec::new();
    for m in ledger.measures.iter().chain(std::iter::once(&ledger.total)) {
        let no = if m.measure == 0 { String::new() } else { m.measure.to_string() };
        let mut row = vec![text(&no), text(&m.short), Cell::Amount(m.budget)];
        row.extend(amounts(&m.amounts));
        row.push(Cell::Amount(m.balance));
        measure_rows.push(row);
    }
    let mut headers = vec!["措施", "简称", "预算"];
    headers.extend(AMOUNT_HEADERS);
    headers.push("结余");
    let measures =
        Sheet { name: "措施", headers, widths: vec![6, 24, 12, 12, 12, 12, 12, 12, 12, 12, 12], rows: measure_rows };

    let mut headers = vec!["措施", "单位代码", "单位", "状态"];
    headers.extend(AMOUNT_HEADERS);
    let rows = ledger
        .units
        .iter()
        .map(|u| {
            let state = u.state();
            let mut row = vec![text(&u.measure.to_string()), text(&u.unit), text(&u.name), Cell::Text(state)];
            row.extend(amounts(&u.amounts));
            row
        })
        .collect();
    let units = Sheet { name: "单位", headers, widths: vec![6, 10, 16, 18, 12, 12, 12, 12, 12, 12, 12], rows };

    let rows = ledger
        .entries
        .iter()
        .map(|e| {
            vec![
                text(&e.id.to_string()),
                text(&e.measure.to_string()),
                text(&e.unit),
                text(e.kind.label()),
                match jili_model::Decimal::from_str_exact(&e.amount_wan) {
                    Ok(d) => Cell::Amount(d),
                    Err(_) => text(&e.amount_wan),
                },
                text(&e.doc_no),
                text(&e.date),
                text(&e.channel),
                text(&e.note),
                text(&e.case_id.map(|c| c.to_string()).unwrap_or_default()),
                text(&e.refill),
                text(&e.actor),
                text(&e.at),
            ]
        })
        .collect();
    let headers = vec![
        "编号",
        "措施",
        "单位代码",
        "类别",
        "金额",
        "文号",
        "日期",
        "渠道",
        "说明",
        "核查案件",
        "递补单位",
        "登记人",
        "登记时间",
    ];
    let entries =
        Sheet { name: "台账明细", headers, widths: vec![6, 6, 10, 10, 12, 24, 12, 16, 40, 8, 10, 16, 22], rows };

    let about = vec![
        format!("{}年资金台账（单位：万元）", ledger.year),
        "奖励：最新发布结果中入选单位的奖励金额；已追回奖励的单位记为 0，递补单位记其替代的奖励。".into(),
        "待下达 = 奖励 −（已下达 − 应追回）；待追回 = 应追回 − 已追回；结余 = 预算 − 已下达 + 已追回。".into(),
        "每条措施和全年：预算 = 结余 + 已下达 − 已追回，精确到万元的小数位，不四舍五入。".into(),
        "台账明细只增不改：每条都记入审计日志并封存，可用 jili audit verify 核验。".into(),
    ];
    ledger_xlsx(&[measures, units, entries], &about).map_err(|e| AppError::Invalid(e.0))
}
