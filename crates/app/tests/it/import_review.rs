//! What a new user's session found in `jili import`, kept as tests: a mapping saved for headers
//! detection cannot read; files of some units only (`--partial`); thousandfold unit slips; rules
//! files that would break checking; a 单位 note that does not fit a % column; histories asked by name.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use common::{all_lines as lines, codes, import};
use jili_app::intake::{Mapping, Severity};
use jili_app::{App, ImportRequest, MappingSource};

const CITIES: [&str; 14] = [
    "长沙市",
    "株洲市",
    "湘潭市",
    "衡阳市",
    "邵阳市",
    "岳阳市",
    "常德市",
    "张家界市",
    "益阳市",
    "郴州市",
    "永州市",
    "怀化市",
    "娄底市",
    "湘西土家族苗族自治州",
];

async fn init_app() -> App {
    let app = App::open("sqlite::memory:", "测试").await.unwrap();
    app.init().await.unwrap();
    app
}

fn request(file: &str, text: &str) -> ImportRequest {
    common::request(file, text, "TJJ")
}

/// 14 市州 rows of GDP (亿元) for `year`, values `base + i`.
fn gdp(year: i32, base: u32) -> String {
    let mut text = String::from("地区,指标,年份,数值\n");
    for (i, name) in CITIES.iter().enumerate() {
        text.push_str(&format!("{name},地区生产总值,{year},{}\n", base + i as u32 * 100));
    }
    text
}

#[tokio::test]
async fn a_mapping_saved_for_headers_detection_cannot_read_is_used_next_time() {
    let app = init_app().await;
    let file = |year: i32| {
        let mut text = String::from("所属区域,口径名称,所属期,填报数,备注\n");
        for (i, name) in CITIES.iter().enumerate() {
            text.push_str(&format!("{name},社会消费品零售总额,{year},{},\n", 900 + i * 11));
        }
        text
    };
    let out = import(&app, &request("零售.csv", &file(2024))).await;
    assert_eq!(codes(&out, Severity::Error), ["no-header"], "{}", lines(&out));
    // --show-mapping then offers a template naming the file's column headers.
    let template = out.mapping_text();
    assert!(template.contains("A 列“所属区域”") && template.contains("unit = \"\""), "{template}");
    let mut given = request("零售.csv", &file(2024));
    given.mapping = Some(
        Mapping::from_toml(
            "[columns]\nunit = \"所属区域\"\nseries = \"口径名称\"\nperiod = \"所属期\"\nvalue = \"填报数\"\n",
        )
        .unwrap(),
    );
    let out = import(&app, &given).await;
    assert!(out.stored.is_some(), "{}", lines(&out));
    // The next file of that shape, with no mapping: read with the saved one.
    let out = import(&app, &request("零售2023.csv", &file(2023))).await;
    assert!(matches!(out.mapping_source, MappingSource::Saved(_)), "{:?}\n{}", out.mapping_source, lines(&out));
    assert_eq!((out.new, out.stored.is_some()), (14, true), "{}", lines(&out));
}

#[tokio::test]
async fn a_partial_file_is_a_notice_with_partial_and_an_error_without() {
    let app = init_app().await;
    let text = "地区,指标,年份,数值\n长沙市,社会消费品零售总额,2024,5600.1\n株洲市,社会消费品零售总额,2024,1300.2\n";
    let out = import(&app, &request("快报.csv", text)).await;
    assert_eq!(codes(&out, Severity::Error), ["incomplete"], "{}", lines(&out));
    assert!(out.findings[0].fix.contains("--partial"));
    let mut partial = request("快报.csv", text);
    partial.partial = true;
    let out = import(&app, &partial).await;
    assert!(out.stored.is_some() && codes(&out, Severity::Notice).contains(&"incomplete"), "{}", lines(&out));
}

#[tokio::test]
async fn a_thousandfold_jump_is_a_unit_slip_and_rejected() {
    let app = init_app().await;
    assert!(import(&app, &request("2023.csv", &gdp(2023, 3000))).await.stored.is_some());
    // 衡阳市 typed in 万元 into a 亿元 file: 33,000,000 against last year's 3,300.
    let slip = gdp(2024, 3100).replace("衡阳市,地区生产总值,2024,3400", "衡阳市,地区生产总值,2024,34000000");
    let out = import(&app, &request("2024.csv", &slip)).await;
    let magnitude: Vec<_> = out.findings.iter().filter(|f| f.code == "magnitude").collect();
    assert_eq!(magnitude.len(), 1, "{}", lines(&out));
    assert!(
        magnitude[0].message.contains("上年数值 3300") && magnitude[0].at.line == Some(5),
        "{}",
        magnitude[0].line()
    );
    assert!(out.stored.is_none());
    // A plausible year passes.
    assert!(import(&app, &request("2024.csv", &gdp(2024, 3100))).await.stored.is_some());
}

#[tokio::test]
async fn rules_files_that_would_break_checking_are_refused() {
    let app = init_app().await;
    for (text, expected) in [
        ("[series.GDP_GROWTH]\nmin = 50\nmax = -30\n", "大于 max"),
        ("consistency_tolerance = -1\n", "不能为负"),
        ("[anomaly]\nz = 0\n", "z 应为正数"),
        ("[series.NOPE]\nmin = 0\n", "不是目录中的数据项"),
        ("[series.GDP]\nmim = 0\n", "格式错误"),
    ] {
        let err = app.load_check_rules("规则.toml", text).await.unwrap_err().to_string();
        assert!(err.contains(expected), "{text} → {err}");
    }
    assert!(app.raw_store().setting(jili_app::intake::CHECKS_KEY).await.unwrap().is_none(), "nothing was stored");
}

#[tokio::test]
async fn a_unit_note_does_not_bind_a_percent_column_and_conversions_are_told() {
    let app = init_app().await;
    let mut text = String::from("2024年主要指标\n单位：亿元\n地区,地区生产总值,地区生产总值增速\n");
    for (i, name) in CITIES.iter().enumerate() {
        text.push_str(&format!("{name},{},{}\n", 3000 + i * 100, 4 + i % 3));
    }
    let out = import(&app, &request("主要指标.csv", &text)).await;
    assert!(out.stored.is_some(), "{}", lines(&out));
    assert_eq!(out.new, 28);
    // 万元 in the note for a 亿元 series: converted, and said so once.
    let wan = text.replace("单位：亿元", "单位：万元").replace(",地区生产总值增速", "");
    let wan: String = wan
        .lines()
        .map(|l| {
            l.rsplit_once(',')
                .filter(|_| l.contains("市") || l.contains("州"))
                .map_or(l.to_string(), |(a, _)| a.to_string())
                + "\n"
        })
        .collect();
    let mut dry = request("万元.csv", &wan);
    dry.dry_run = true;
    let out = import(&app, &dry).await;
    assert_eq!(codes(&out, Severity::Notice).iter().filter(|c| **c == "converted").count(), 1, "{}", lines(&out));
}

#[tokio::test]
async fn a_history_can_be_asked_by_names() {
    let app = init_app().await;
    import(&app, &request("gdp.csv", &gdp(2024, 3000))).await;
    let by_code = app.history("GDP", "430100", "2024").await.unwrap();
    let by_name = app.history("地区生产总值", "长沙市", "2024年").await.unwrap();
    assert_eq!((by_code.len(), by_name), (1, by_code));
    assert!(app.history("GDPX", "长沙市", "2024").await.unwrap_err().to_string().contains("jili data series"));
}
