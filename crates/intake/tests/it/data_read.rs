//! Reading providers' files: the shapes and spellings departments actually send.

use crate::common;
use common::{lines, parse, values};
use jili_intake::data::Severity;

#[test]
fn long_table_in_utf8() {
    let csv = "地区,指标,年份,数值\n长沙市,地区生产总值,2024,15268.8\n湘西州,GDP,2024年,\"1,001.2\"\n";
    let p = parse("gdp.csv", csv.as_bytes());
    assert_eq!(lines(&p, Severity::Error), Vec::<String>::new());
    assert_eq!(values(&p), vec!["GDP 430100 2024 15268.8", "GDP 433100 2024 1001.2"]);
}

#[test]
fn wide_table_with_title_note_and_years_across() {
    let csv =
        "2023-2024年各市州地区生产总值\n单位：万元\n地区,2023年,2024年\n长沙,142000000,152688000\n株洲市,—,40000000\n";
    let p = parse("wide.csv", csv.as_bytes());
    assert_eq!(lines(&p, Severity::Error), Vec::<String>::new(), "{:?}", p.findings);
    // GDP is kept in 亿元: 万元 values are divided by 10 000 exactly.
    assert_eq!(values(&p), vec!["GDP 430100 2023 14200", "GDP 430100 2024 15268.8", "GDP 430200 2024 4000"]);
    let notices = lines(&p, Severity::Notice).join("\n");
    assert!(notices.contains("按标题取数据项 地区生产总值（GDP）"), "{notices}");
    assert_eq!(p.missing, 1);
}
