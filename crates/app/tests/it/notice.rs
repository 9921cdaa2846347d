//! The results notice (通报) of a real publication of the demo: its model, and the DOCX in the
//! GB/T 9704 layout, unzipped and read back.
#![allow(clippy::unwrap_used)]

use crate::common;

use jili_app::publication::publish::notice::{DEMO_LABEL, beijing_date, build_notice, chinese_number};
use jili_app::{App, Notice, Principal, Publication};
use jili_report::notice::docx::{esc, notice_docx};
use std::collections::BTreeMap;
use std::io::Read;

/// Characters XML must escape, in a commendation's practice text.
const PRACTICE: &str = r#"“一件事一次办”<改革> & 'A' "B" 经验"#;

/// Every part of a .docx by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        parts.insert(file.name().unwrap().to_string(), text);
    }
    parts
}

/// Well-formed enough for Word: one root, tags nested and closed, quotes paired in tags, and
/// every `&` starts an entity.
fn well_formed(name: &str, xml: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = xml.strip_prefix(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#).unwrap();
    while let Some(at) = rest.find(['<', '&']) {
        if rest[at..].starts_with('&') {
            let entity = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| rest[at..].starts_with(e));
            assert!(entity, "{name}: a bare & at {:?}", &rest[at..(at + 20).min(rest.len())]);
            rest = &rest[at + 1..];
            continue;
        }
        let end = at + rest[at..].find('>').unwrap_or_else(|| panic!("{name}: an unclosed tag"));
        let tag = &rest[at + 1..end];
        assert!(tag.matches('"').count().is_multiple_of(2) && !tag.contains('<'), "{name}: a broken tag <{tag}>");
        if let Some(closing) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(closing), "{name}: </{closing}> closes the wrong element");
        } else {
            if stack.is_empty() {
                roots += 1;
            }
            if !tag.ends_with('/') {
                stack.push(tag.split([' ', '/']).next().unwrap());
            }
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty() && roots == 1, "{name}: {stack:?} left open, {roots} roots");
}

/// The tables of document.xml in order, each as rows of cell texts (the header row first).
fn tables(document: &str) -> Vec<Vec<Vec<String>>> {
    let text = |cell: &str| -> String {
        cell.split("<w:t xml:space=\"preserve\">").skip(1).map(|t| t.split("</w:t>").next().unwrap()).collect()
    };
    let rows = |table: &str| -> Vec<Vec<String>> {
        let table = table.split("</w:tbl>").next().unwrap();
        table.split("<w:tr>").skip(1).map(|row| row.split("<w:tc>").skip(1).map(text).collect()).collect()
    };
    document.split("<w:tbl>").skip(1).map(rows).collect()
}

async fn published() -> (jili_testkit::TestDb, App, Publication) {
    let db = common::demo_db().await;
    let app = App::open(&db.url(), "测试").await.unwrap();
    assert_eq!(app.notice(Some(2024)).await.unwrap(), None, "no notice before anything is published");
    app.commend(2024, "430102", "省政府综合督查", PRACTICE).await.unwrap();
    let p = common::publish(&app, Some(2024), "").await.unwrap();
    (db, app, p)
}

#[tokio::test]
async fn the_notice_of_a_demo_publication_lists_every_winner_in_the_official_layout() {
    let (_db, app, p) = published().await;
    // Whoever may read the publication may read its notice.
    let n: Notice = app.acting_as(Principal::public()).notice(None).await.unwrap().unwrap();
    assert_eq!((n.year, n.version, n.sha256.as_str()), (2024, 1, p.sha256.as_str()));
    assert_eq!(n.authority, "湖南省人民政府办公厅");
    assert_eq!(n.mark, "湖南省人民政府办公厅文件");
    assert_eq!(n.title, "湖南省人民政府办公厅关于2024年大抓落实工作激励措施二十条落实情况的通报");
    assert_eq!(n.demo_label.as_deref(), Some(DEMO_LABEL));
    let (y, m, d) = beijing_date(&p.published_at).unwrap();
    assert_eq!(n.date, format!("{y}年{m}月{d}日"));
    assert_eq!(n.doc_no, format!("湘政办通〔{y}〕　　号"), "jili leaves the number for the office");
    let body: String = n.body.iter().map(|x| x.text.as_str()).collect();
    assert!(body.contains("无扰") && body.contains("客观数据") && body.contains("主要指标数据"), "{body}");
    assert!(body.contains("第1版") && body.contains(&p.sha256), "{body}");
    assert_eq!(n.annex.measures.len(), p.body.measures.len());
    let total: u64 = p.body.measures.iter().flat_map(|m| &m.winners).filter_map(|w| w.award_wan).sum();
    assert!(total > 0 && body.contains(&format!("奖励资金共计{total}万元")), "{body}");
    assert_eq!(n.annex.commendations.len(), 1);

    let bytes = notice_docx(&n).unwrap();
    assert_eq!(bytes, notice_docx(&n).unwrap(), "the same notice gives the same file");
    let parts = unzip(&bytes);
    for part in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/settings.xml",
        "word/_rels/document.xml.rels",
        "word/footer1.xml",
        "word/footer2.xml",
        "docProps/core.xml",
    ] {
        well_formed(part, parts.get(part).unwrap_or_else(|| panic!("{part} is missing")));
    }
    let doc = &parts["word/document.xml"];
    for text in [&n.mark, &n.doc_no, &n.title, &n.addressees, &n.signature, &n.date, &n.annex.title] {
        assert!(doc.contains(&format!(">{}</w:t>", esc(text))), "{text} is not in the document");
    }
    assert!(doc.contains(&format!("【{DEMO_LABEL}】")));
    // Every winner, with its group and award, is a row of its measure's table, in order.
    let tables = tables(doc);
    let with_winners: Vec<_> = p.body.measures.iter().filter(|m| !m.winners.is_empty()).collect();
    assert_eq!(tables.len(), with_winners.len() + 1, "a table per measure with winners, and the commendations");
    for (m, table) in with_winners.iter().zip(&tables) {
        assert_eq!(table[0], ["单位", "分组", "得分", "名次", "奖励（万元）", "奖励内容"]);
        let shown: Vec<(&str, &str, &str)> =
            table[1..].iter().map(|r| (r[0].as_str(), r[1].as_str(), r[4].as_str())).collect();
        // By group (in the order groups first appear), then by rank.
        let mut groups: Vec<Option<String>> = Vec::new();
        for w in &m.winners {
            if !groups.contains(&w.group) {
                groups.push(w.group.clone());
            }
        }
        let mut winners: Vec<_> = m.winners.iter().collect();
        winners.sort_by_key(|w| (groups.iter().position(|g| *g == w.group), w.rank.unwrap_or(u32::MAX)));
        let expected: Vec<(String, String, String)> = winners
            .iter()
            .map(|w| {
                let award = w.award_wan.filter(|a| *a > 0).map_or("—".to_string(), |a| a.to_string());
                (esc(&w.name), w.group.clone().unwrap_or("—".into()), award)
            })
            .collect();
        let expected: Vec<(&str, &str, &str)> =
            expected.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
        assert_eq!(shown, expected, "第{}条", m.measure);
    }
    let commended = tables.last().unwrap();
    assert_eq!(commended[1][0], "芙蓉区");
    // The typefaces, size and spacing of GB/T 9704.
    for font in ["方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"] {
        assert!(doc.contains(&format!(r#"w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}""#)), "{font}");
    }
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(doc.contains(r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1985" w:left="1588""#));
    assert!(doc.contains(r#"w:line="579" w:lineRule="exact""#) && doc.contains(r#"w:firstLineChars="200""#));
    assert!(doc.contains(r#"<w:color w:val="FF0000"/>"#), "the red mark");
    assert!(doc.contains(r#"<w:bottom w:val="single" w:sz="12" w:space="11" w:color="FF0000"/>"#), "the red rule");
    for footer in ["word/footer1.xml", "word/footer2.xml"] {
        let f = &parts[footer];
        assert!(f.contains(" PAGE ") && f.contains("— ") && f.contains(r#"w:eastAsia="宋体""#), "{f}");
    }
    assert!(parts["word/_rels/document.xml.rels"].contains("footer1.xml"));
    assert!(parts["docProps/core.xml"].contains(&esc(&n.title)));
    // The practice's <, >, &, " and ' are escaped, never raw.
    assert!(doc.contains("“一件事一次办”&lt;改革&gt; &amp; &apos;A&apos; &quot;B&quot; 经验"), "escaped");
    assert!(!doc.contains("<改革>") && !doc.contains("& 'A'"));
}

#[tokio::test]
async fn a_correction_says_why_and_real_data_carries_no_demo_label() {
    let (_db, app, first) = published().await;
    app.commend(2024, "430100", "国务院综合督查", "营商环境").await.unwrap();
    let second = common::publish(&app, Some(2024), "补充通报表扬长沙市").await.unwrap();
    let n = app.notice(Some(2024)).await.unwrap().unwrap();
    assert_eq!(n.version, 2);
    let body: String = n.body.iter().map(|x| x.text.as_str()).collect();
    assert!(body.contains("本版为更正版，更正事由：补充通报表扬长沙市") && body.contains("长沙市"), "{body}");
    assert!(!body.contains(&first.sha256) && body.contains(&second.sha256));

    // The same results without the demo flag: no label anywhere.
    let programme = app.programme(Some(2024)).await.unwrap();
    let mut real = second.clone();
    std::sync::Arc::make_mut(&mut real.body).demo = false;
    let n = build_notice(&real, &programme);
    assert_eq!(n.demo_label, None);
    let doc = &unzip(&notice_docx(&n).unwrap())["word/document.xml"];
    assert!(!doc.contains("演示") && !doc.contains("示例方案和虚构数据"));
}

#[test]
fn measure_numerals_and_beijing_dates() {
    let n: Vec<String> = [1, 10, 12, 20, 21].into_iter().map(chinese_number).collect();
    assert_eq!(n, ["一", "十", "十二", "二十", "二十一"]);
    // A notice published in the small hours of Beijing time is dated that Beijing day.
    assert_eq!(beijing_date("2025-03-01T02:00:00Z"), Some((2025, 3, 1)));
    assert_eq!(beijing_date("2025-02-28T16:00:00Z"), Some((2025, 3, 1)));
    assert_eq!(beijing_date("2024-02-28T16:00:00Z"), Some((2024, 2, 29)));
    assert_eq!(beijing_date("2024-12-31T23:59:59Z"), Some((2025, 1, 1)));
    assert_eq!(beijing_date("nonsense"), None);
}

#[test]
fn xml_special_characters_are_escaped() {
    assert_eq!(esc(r#"a<b>&"c" 'd'"#), "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;");
    assert_eq!(esc("控制\u{1}字符\t"), "控制字符\t", "characters XML 1.0 cannot hold are dropped");
}
