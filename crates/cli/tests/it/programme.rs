//! Any year's programme, from the command line: a 2025-style fixture programme (new channel
//! wording, a new unit kind, 22 measures) and the 2023 programme in its own words are checked,
//! imported, get plans, run and publish on the demo database with no code change.

use crate::common::{demo_db, jili, text_of, write_file};
use std::process::Output;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const PROGRAMME_2025: &str = include_str!("../fixtures/programme-2025.toml");
const PLAN_2025_1: &str = include_str!("../fixtures/plan-2025-measure-01.toml");
const PLAN_2023_3: &str = include_str!("../fixtures/plan-2023-measure-03.toml");
const PROGRAMME_2023: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/programmes/hunan-2023.toml");
const CHECKER: &str = "复核人";

#[track_caller]
fn ok(out: Output) -> String {
    let t = text_of(&out);
    assert!(out.status.success(), "expected success: {t}");
    t
}

#[track_caller]
fn refused(out: Output, want: &str) -> String {
    let t = text_of(&out);
    assert!(!out.status.success(), "expected a refusal containing “{want}”, got success: {t}");
    assert!(t.contains(want) && !t.contains("panicked"), "expected “{want}” in: {t}");
    t
}

/// Draft, submit, approve (four eyes), publish the plan, and run it: the run's text.
fn plan_through(db: &jili_testkit::TestDb, file: &str, measure: &str, year: &str) -> String {
    let t = ok(jili(db, &["plan", "draft", file]));
    assert!(t.contains("0 个错误"), "{t}");
    ok(jili(db, &["plan", "submit", measure, "--year", year]));
    ok(jili(db, &["--actor", CHECKER, "plan", "approve", measure, "--version", "1", "--year", year]));
    ok(jili(db, &["plan", "publish", measure, "--version", "1", "--year", year]));
    ok(jili(db, &["run", measure, "--year", year, "--samples", "0"]))
}

/// Ask for the year's publication and confirm it as a second office user: the confirmation.
fn publish(db: &jili_testkit::TestDb, year: &str) -> String {
    let asked = ok(jili(db, &["publish", "--year", year]));
    let id: String = asked
        .split("已提交发布申请 ")
        .nth(1)
        .unwrap_or_else(|| panic!("{asked}"))
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    ok(jili(db, &["--actor", CHECKER, "publish", "--confirm", &id, "--year", year]))
}

#[test]
fn a_2025_style_programme_loads_gets_plans_runs_and_publishes_without_code() {
    let db = demo_db();
    let file = format!("{FIXTURES}/programme-2025.toml");

    // Checked: a summary of its rules, nothing stored.
    let t = ok(jili(&db, &["programme", "check", &file]));
    for want in [
        "检查通过：2025年",
        "未保存",
        "措施 22 条",
        "给予一次性资金奖励",
        "县域（县市区：县、自治县、县级市）",
        "3–12 个",
    ] {
        assert!(t.contains(want), "“{want}” in: {t}");
    }
    refused(jili(&db, &["programme", "show", "2025"]), "没有 2025 年的激励方案");

    // A mistake names the file, the line and the field.
    let bad = write_file(
        &db,
        "bad-2025.toml",
        PROGRAMME_2025.replacen("channel = \"给予一次性资金奖励\"", "channel = \"现金\"", 1).as_bytes(),
    );
    let line = PROGRAMME_2025.lines().position(|l| l == "no = 1").unwrap() + 1;
    let t = refused(jili(&db, &["programme", "check", &bad]), "现金");
    assert!(t.contains("bad-2025.toml") && t.contains(&format!("第 {line} 行")) && t.contains("measures[1]"), "{t}");

    // Imported; a second import needs --replace, which works while the year has no plans.
    let t = ok(jili(&db, &["programme", "import", &file]));
    assert!(t.contains("已载入2025年激励方案") && t.contains("措施 22 条"), "{t}");
    refused(jili(&db, &["programme", "import", &file]), "--replace");
    assert!(ok(jili(&db, &["programme", "import", &file, "--replace"])).contains("已替换2025年激励方案"));
    let t = ok(jili(&db, &["programme", "show", "2025"]));
    assert!(
        t.contains("测试用虚构方案") && t.contains("县域经济") && t.contains("在省预算内基本建设投资中予以倾斜支持"),
        "{t}"
    );

    // The programme's indicator limits, not jili's: two indicators are too few this year.
    let two = PLAN_2025_1.split("[[indicators]]\nid = \"new_above_scale\"").next().unwrap().to_string()
        + "[selection]\nquota = { \"县市区\" = 10 }\n\n[[rewards]]\ngroup = \"县市区\"\namount_wan = 200\nchannel = \"给予一次性资金奖励\"\n";
    let two = two.replace("weight = 0.4", "weight = 0.5").replace("weight = 0.3", "weight = 0.5");
    let two = write_file(&db, "two.toml", two.as_bytes());
    refused(jili(&db, &["plan", "check", &two]), "3–12 个");

    // Plans for two measures (one of them for the new unit kind's measure), runs, publication.
    let plan_1 = write_file(&db, "plan-1.toml", PLAN_2025_1.as_bytes());
    let t = plan_through(&db, &plan_1, "1", "2025");
    assert!(t.contains("获得激励") && t.contains("200"), "{t}");
    let plan_21 = PLAN_2025_1
        .replace("measure = 1", "measure = 21")
        .replace("推动高质量发展", "县域经济")
        .replace("lead = \"省发展改革委\"", "lead = \"省应急管理厅\"");
    let plan_21 = write_file(&db, "plan-21.toml", plan_21.as_bytes());
    assert!(plan_through(&db, &plan_21, "21", "2025").contains("获得激励"));
    for m in ["1", "21"] {
        ok(jili(&db, &["budget", "set", m, "2000", "--basis", "测试〔2025〕2号", "--year", "2025"]));
    }
    let t = publish(&db, "2025");
    assert!(t.contains("2025年评价结果 第 1 版") && t.contains("测试〔2025〕1号"), "{t}");
    assert!(t.contains("第 1 条 推动高质量发展") && t.contains("第 21 条 县域经济"), "{t}");
    assert!(t.contains("第 22 条未发布"), "22 measures: {t}");
    // The 2024 programme is untouched.
    let t = ok(jili(&db, &["programme", "show", "2024"]));
    assert!(t.contains("湘政办发〔2024〕16号") && !t.contains("给予一次性资金奖励"), "{t}");
}

#[test]
fn the_2023_programme_runs_in_its_own_words() {
    let db = demo_db();
    let t = ok(jili(&db, &["programme", "import", PROGRAMME_2023]));
    assert!(t.contains("给予资金奖励，并在政策、项目上予以支持"), "{t}");
    let t = ok(jili(&db, &["programme", "diff", "2023", "2024"]));
    assert!(
        t.contains("奖励渠道调整")
            && t.contains("在相关专项资金安排、试点示范等事项中予以支持 → 相关专项资金、试点安排"),
        "{t}"
    );
    let plan = write_file(&db, "plan-2023-3.toml", PLAN_2023_3.as_bytes());
    assert!(plan_through(&db, &plan, "3", "2023").contains("获得激励"));
    let t = ok(jili(&db, &["plan", "show", "3", "--year", "2023"]));
    assert!(t.contains("在相关专项资金安排、试点示范等事项中予以支持"), "{t}");
    ok(jili(&db, &["budget", "set", "3", "2000", "--basis", "测试", "--year", "2023"]));
    let t = publish(&db, "2023");
    assert!(t.contains("2023年评价结果 第 1 版") && t.contains("湘政办发〔2023〕25号"), "{t}");
    // A plan paying through the 2024 wording is refused against the 2023 programme.
    let wrong = PLAN_2023_3.replace("在相关专项资金安排、试点示范等事项中予以支持", "相关专项资金、试点安排");
    let wrong = write_file(&db, "wrong.toml", wrong.as_bytes());
    refused(
        jili(&db, &["plan", "check", &wrong]),
        "与第 3 条规定的“在相关专项资金安排、试点示范等事项中予以支持”不一致",
    );
}
