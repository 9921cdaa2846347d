//! The results notice (通报) of a real publication of the demo: its model, and the DOCX in the
//! GB/T 9704 layout, unzipped and read back.
#![allow(clippy::unwrap_used)]

use crate::common;

use jili_app::publication::publish::notice::{DEMO_LABEL, beijing_date, build_notice, chinese_number};
use jili_app::{AnnexForm, App, Notice, Principal, Publication, UnitFilter};
use jili_model::Level;
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

/// The paragraphs of document.xml in order, each as its text (a title's lines joined).
fn paragraphs(document: &str) -> Vec<(String, String)> {
    document
        .split("<w:p>")
        .skip(1)
        .map(|p| {
            let p = p.split("</w:p>").next().unwrap();
            let text: String =
                p.split("<w:t xml:space=\"preserve\">").skip(1).map(|t| t.split("</w:t>").next().unwrap()).collect();
            (p.to_string(), text)
        })
        .collect()
}

/// Characters in ems as the writer counts them (Latin half a CJK character).
fn ems(s: &str) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}

#[tokio::test]
async fn the_notice_of_a_demo_publication_takes_the_provinces_form_with_a_name_list() {
    let (_db, app, p) = published().await;
    // Whoever may read the publication may read its notice.
    let n: Notice = app.acting_as(Principal::public()).notice(None).await.unwrap().unwrap();
    assert_eq!((n.year, n.version, n.sha256.as_str()), (2024, 1, p.sha256.as_str()));
    assert_eq!(n.annex.form, AnnexForm::Names, "the name list by default");
    assert_eq!(n.authority, "湖南省人民政府办公厅");
    assert_eq!(n.mark, "湖南省人民政府办公厅文件");
    assert_eq!(
        n.title,
        "湖南省人民政府办公厅关于对实施2024年大抓落实工作激励措施二十条成效明显的地区予以表扬激励的通报"
    );
    assert_eq!(n.annex.title, "实施2024年大抓落实工作激励措施二十条成效明显的地区名单");
    assert_eq!(n.annex_note, format!("附件：{}", n.annex.title));
    assert_eq!(n.demo_label.as_deref(), Some(DEMO_LABEL));
    let (y, m, d) = beijing_date(&p.published_at).unwrap();
    assert_eq!(n.date, format!("{y}年{m}月{d}日"));
    assert_eq!(n.doc_no, format!("湘政办发〔{y}〕　　号"), "jili leaves the number for the office");
    assert_eq!(n.remark, "（此件主动公开）");
    // A short body: the programme it rests on, the decision, encouragement; the digest is not in it.
    let body: String = n.body.iter().map(|x| x.text.as_str()).collect();
    assert!(
        body.contains("《湖南省人民政府办公厅关于实施2024年大抓落实工作激励措施二十条的通知》（湘政办发〔2024〕16号）"),
        "{body}"
    );
    assert!(body.contains("予以表扬激励") && body.contains("再接再厉") && body.contains("仅供演示"), "{body}");
    assert!(!body.contains(&p.sha256) && !body.contains("得分") && n.body.len() <= 4, "{body}");
    let provenance = n.provenance.join("\n");
    assert!(provenance.contains("第1版") && provenance.contains(&p.sha256), "{provenance}");

    let bytes = notice_docx(&n).unwrap();
    assert_eq!(bytes, notice_docx(&n).unwrap(), "the same notice gives the same file");
    let parts = unzip(&bytes);
    for part in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/settings.xml",
        "word/fontTable.xml",
        "word/_rels/document.xml.rels",
        "word/footer1.xml",
        "word/footer2.xml",
        "docProps/core.xml",
    ] {
        well_formed(part, parts.get(part).unwrap_or_else(|| panic!("{part} is missing")));
    }
    let doc = &parts["word/document.xml"];
    let paras = paragraphs(doc);
    let texts: Vec<&str> = paras.iter().map(|(_, t)| t.as_str()).collect();
    for text in [&n.mark, &n.doc_no, &n.title, &n.addressees, &n.signature, &n.date, &n.remark, &n.annex.title] {
        assert!(texts.contains(&esc(text).as_str()), "{text} is not a paragraph of the document");
    }
    assert!(doc.contains(&format!("【{DEMO_LABEL}】")));
    // Titles in lines split between words, each short enough for one line of 二号 type.
    let (title_xml, _) = paras.iter().find(|(_, t)| *t == n.title).unwrap();
    let lines: Vec<&str> =
        title_xml.split("<w:br/>").map(|l| l.split("<w:t xml:space=\"preserve\">").nth(1).unwrap()).collect();
    let lines: Vec<&str> = lines.iter().map(|l| l.split("</w:t>").next().unwrap()).collect();
    assert_eq!(
        lines,
        ["湖南省人民政府办公厅关于对实施", "2024年大抓落实工作激励措施二十条", "成效明显的地区予以表扬激励的通报"]
    );
    let (annex_xml, _) = paras.iter().find(|(_, t)| *t == n.annex.title).unwrap();
    assert!(annex_xml.contains("二十条</w:t></w:r><w:r><w:br/></w:r>"), "{annex_xml}");
    assert!(lines.iter().all(|l| ems(l) <= 20.0));

    // The annex: after 附件, under each measure with winners (in order, numbered 一、二、…) the
    // measure's own words, then the winners' names in code order joined with 、, by level.
    let units = app.units(&UnitFilter::default()).await.unwrap();
    let level = |code: &str| units.iter().find(|u| u.code == code).map(|u| u.level).unwrap();
    let programme = app.programme(Some(2024)).await.unwrap();
    let mut expected: Vec<String> = Vec::new();
    for pm in p.body.measures.iter().filter(|m| !m.winners.is_empty()) {
        let text = &programme.measure(pm.measure).unwrap().text;
        let heading = text.trim_start_matches('对').rsplit_once(',').unwrap().0.replace(',', "，");
        let heading = heading.replace('(', "（").replace(')', "）");
        // Headings are marked __ here until the end, to number them.
        let no = chinese_number(1 + expected.iter().filter(|l| l.starts_with("__")).count() as u32);
        expected.push(format!("__{no}、{heading}"));
        let mut winners: Vec<_> = pm.winners.iter().collect();
        winners.sort_by(|a, b| a.code.cmp(&b.code));
        let levels: Vec<Level> =
            Level::ALL.into_iter().filter(|l| winners.iter().any(|w| level(&w.code) == *l)).collect();
        for l in &levels {
            let names: Vec<&str> = winners.iter().filter(|w| level(&w.code) == *l).map(|w| w.name.as_str()).collect();
            let line = names.join("、");
            expected.push(if levels.len() > 1 { format!("{}：{line}", l.as_str()) } else { line });
        }
    }
    let headings = expected.iter().filter(|l| l.starts_with("__")).count();
    expected.push(format!(
        "__{}、落实重大政策部署成效明显，在国务院综合督查和省政府综合督查中有关典型经验做法被肯定的市州、县市区",
        chinese_number(headings as u32 + 1)
    ));
    expected.push("芙蓉区".to_string());
    let expected: Vec<String> = expected.into_iter().map(|l| esc(l.trim_start_matches("__"))).collect();
    let at = texts.iter().position(|t| *t == "附件").expect("the annex") + 2;
    let at = at + usize::from(texts[at].contains(DEMO_LABEL));
    let shown: Vec<&str> = texts[at..at + expected.len()].to_vec();
    assert_eq!(shown, expected);
    assert!(expected.iter().any(|l| l.starts_with("市州：")) && expected[0].starts_with("一、"), "{expected:?}");
    // Names only: no table, no score, rank or veto anywhere in the annex.
    let annex: String = texts[at..].concat();
    assert!(!doc.contains("<w:tbl>"), "no table in the name list");
    for w in p.body.measures.iter().flat_map(|m| &m.winners) {
        if let Some(score) = w.score {
            assert!(!annex.contains(&format!("{score:.2}")), "a score {score:.2} in the annex");
        }
    }
    assert!(!["得分", "名次", "否决", "万元"].iter().any(|w| annex.contains(w)), "{annex}");
    // The provenance: small, left-aligned lines at the end, the digest in a monospace face,
    // never in a justified paragraph.
    let (sha_xml, _) = paras.iter().find(|(_, t)| t.contains(&p.sha256)).unwrap();
    assert!(sha_xml.contains(r#"<w:jc w:val="left"/>"#) && sha_xml.contains(r#"w:ascii="Courier New""#), "{sha_xml}");
    assert!(!paras.iter().any(|(x, t)| t.contains(&p.sha256) && x.contains(r#"<w:jc w:val="both"/>"#)));
    assert!(texts.iter().rposition(|t| t.contains(&p.sha256)).unwrap() > at, "after the annex");

    // The fonts: each GB/T 9704 face named for Chinese text, with its fallbacks in the font table.
    for font in ["方正小标宋简体", "仿宋_GB2312", "黑体"] {
        assert!(doc.contains(&format!(r#"w:eastAsia="{font}" w:cs="{font}" w:hint="eastAsia""#)), "{font}");
    }
    let table = &parts["word/fontTable.xml"];
    for (face, alt) in [
        ("仿宋_GB2312", "仿宋"),
        ("仿宋", "FangSong"),
        ("方正小标宋简体", "华文中宋"),
        ("华文中宋", "宋体"),
        ("宋体", "SimSun"),
        ("楷体_GB2312", "楷体"),
        ("楷体", "KaiTi"),
        ("黑体", "SimHei"),
    ] {
        assert!(table.contains(&format!(r#"<w:font w:name="{face}"><w:altName w:val="{alt}"/>"#)), "{face} → {alt}");
    }
    assert!(table.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:panose1 w:val="02010609030101010101"/><w:charset w:val="86"/><w:family w:val="roman"/>"#));
    assert!(parts["word/_rels/document.xml.rels"].contains(r#"Target="fontTable.xml""#));
    assert!(parts["[Content_Types].xml"].contains("/word/fontTable.xml"));
    assert!(
        parts["word/styles.xml"].contains(r#"w:eastAsia="仿宋_GB2312""#)
            && parts["word/styles.xml"].contains(r#"w:eastAsia="zh-CN""#)
    );
    // The layout of GB/T 9704.
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(doc.contains(r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1985" w:left="1588""#));
    assert!(doc.contains(r#"w:line="579" w:lineRule="exact""#) && doc.contains(r#"w:firstLineChars="200""#));
    assert!(doc.contains(r#"<w:color w:val="FF0000"/>"#), "the red mark");
    assert!(doc.contains(r#"<w:bottom w:val="single" w:sz="12" w:space="11" w:color="FF0000"/>"#), "the red rule");
    for footer in ["word/footer1.xml", "word/footer2.xml"] {
        let f = &parts[footer];
        assert!(f.contains(" PAGE ") && f.contains("— ") && f.contains(r#"w:eastAsia="宋体""#), "{f}");
    }
    assert!(parts["docProps/core.xml"].contains(&esc(&n.title)));
}

#[tokio::test]
async fn the_score_annex_is_an_option_with_every_winner_in_balanced_tables() {
    let (_db, app, p) = published().await;
    let n = app.notice_in(Some(2024), AnnexForm::Scores).await.unwrap().unwrap();
    assert_eq!(n.annex.form, AnnexForm::Scores);
    assert_eq!(n.annex.title, "实施2024年大抓落实工作激励措施二十条成效明显的地区名单及评价得分");
    assert_eq!(n.title, app.notice(Some(2024)).await.unwrap().unwrap().title, "the same notice, another annex");
    let doc = &unzip(&notice_docx(&n).unwrap())["word/document.xml"];
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
    // Columns sized from their cells: each grid sums to the type area, 分组 never narrower than
    // its longest group name needs (12 pt a character at 五号 plus the cell's margins).
    for grid in doc.split("<w:tblGrid>").skip(1).map(|g| g.split("</w:tblGrid>").next().unwrap()) {
        let widths: Vec<u32> =
            grid.split("w:w=\"").skip(1).map(|w| w.split('"').next().unwrap().parse().unwrap()).collect();
        assert_eq!(widths.iter().sum::<u32>(), 11906 - 1474 - 1588, "{widths:?}");
    }
    let longest_group =
        p.body.measures.iter().flat_map(|m| &m.winners).filter_map(|w| w.group.as_deref()).map(ems).fold(0.0, f64::max);
    let first_grid = doc.split("<w:tblGrid>").nth(1).unwrap();
    let group_width: f64 = first_grid.split("w:w=\"").nth(2).unwrap().split('"').next().unwrap().parse().unwrap();
    assert!(group_width >= longest_group * 210.0, "分组 {group_width} twips for {longest_group} ems");
    // The practice's <, >, &, " and ' are escaped, never raw.
    assert!(doc.contains("“一件事一次办”&lt;改革&gt; &amp; &apos;A&apos; &quot;B&quot; 经验"), "escaped");
    assert!(!doc.contains("<改革>") && !doc.contains("& 'A'"));
}

#[tokio::test]
async fn the_title_and_document_word_come_from_the_programme() {
    let (_db, app, p) = published().await;
    let mut programme = app.programme(Some(2024)).await.unwrap();
    programme.notice.doc_word = "函".to_string();
    programme.notice.title = "{issuer}关于{year}年度{name}结果的通报".to_string();
    programme.notice.annex_title = "{year}年度受激励地区".to_string();
    let units = app.units(&UnitFilter::default()).await.unwrap();
    let n = build_notice(&p, &programme, &units, AnnexForm::Names);
    let (y, _, _) = beijing_date(&p.published_at).unwrap();
    assert_eq!(n.doc_no, format!("湘政办函〔{y}〕　　号"));
    assert_eq!(n.title, "湖南省人民政府办公厅关于2024年度2024年大抓落实工作激励措施二十条结果的通报");
    assert_eq!((n.annex.title.as_str(), n.annex_note.as_str()), ("2024年度受激励地区", "附件：2024年度受激励地区"));
}

#[tokio::test]
async fn a_correction_says_why_and_real_data_carries_no_demo_label() {
    let (_db, app, first) = published().await;
    app.commend(2024, "430100", "国务院综合督查", "营商环境").await.unwrap();
    let second = common::publish(&app, Some(2024), "补充通报表扬长沙市").await.unwrap();
    let n = app.notice(Some(2024)).await.unwrap().unwrap();
    assert_eq!(n.version, 2);
    let body: String = n.body.iter().map(|x| x.text.as_str()).collect();
    assert!(body.contains("本通报为更正版（第2版），更正事由：补充通报表扬长沙市"), "{body}");
    let commended = n.annex.name_sections().pop().unwrap();
    assert!(commended.lines[0].contains("长沙市") && commended.lines[0].contains("芙蓉区"), "{commended:?}");
    let provenance = n.provenance.join("\n");
    assert!(!provenance.contains(&first.sha256) && provenance.contains(&second.sha256), "{provenance}");

    // The same results without the demo flag: no label anywhere.
    let programme = app.programme(Some(2024)).await.unwrap();
    let mut real = second.clone();
    std::sync::Arc::make_mut(&mut real.body).demo = false;
    let units = app.units(&UnitFilter::default()).await.unwrap();
    for form in [AnnexForm::Names, AnnexForm::Scores] {
        let n = build_notice(&real, &programme, &units, form);
        assert_eq!(n.demo_label, None);
        let doc = &unzip(&notice_docx(&n).unwrap())["word/document.xml"];
        assert!(!doc.contains("演示") && !doc.contains("示例方案和虚构数据"));
    }
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
