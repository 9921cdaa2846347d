//! The results notice (通报) of a publication: the formal document the office issues, built
//! from the frozen publication and the year's programme. One model serves both the DOCX
//! ([`jili_report::notice::docx::notice_docx`]) and the printable HTML page, so the two never disagree.

use super::Publication;
use crate::App;
use crate::error::Result;
use jili_model::{Level, NoticeForm, Programme, Unit, achievement};

pub use jili_report::notice::*;

impl App {
    /// The results notice of the newest publication of a year (the newest year when `None`)
    /// in its default form (the name list the province publishes); `None` before anything is
    /// published. Readable by whoever may read the publication.
    pub async fn notice(&self, year: Option<i32>) -> Result<Option<Notice>> {
        self.notice_in(year, AnnexForm::Names).await
    }

    /// The results notice with the annex in `form`: the name list, or the longer score tables.
    pub async fn notice_in(&self, year: Option<i32>, form: AnnexForm) -> Result<Option<Notice>> {
        let Some(p) = self.published(year).await? else { return Ok(None) };
        let programme = self.programme(Some(p.year)).await?;
        let units = self.store.units().await?;
        Ok(Some(build_notice(&p, &programme, &units, form)))
    }

    /// The notice as a Word document in the GB/T 9704 layout ([`jili_report::notice::docx::notice_docx`]),
    /// built as heavy work (see [`crate::workers`]).
    pub async fn notice_file(&self, notice: &Notice) -> Result<Vec<u8>> {
        let notice = notice.clone();
        self.heavy(crate::Work::Export, move |_| async move { Ok(jili_report::notice::docx::notice_docx(&notice)?) })
            .await
    }
}

/// Build the notice of publication `p` under `programme`, with the annex in `form`; `units`
/// gives each winner's level (市州, 县市区 …) for the name list. Pure: the same input, the same
/// notice.
pub fn build_notice(p: &Publication, programme: &Programme, units: &[Unit], form: AnnexForm) -> Notice {
    let b = &p.body;
    let name = programme_name(programme);
    let wording = &programme.notice;
    let (y, m, d) = beijing_date(&p.published_at).unwrap_or((p.year + 1, 1, 1));
    let prefix = programme.doc_no.split('〔').next().unwrap_or_default().trim_end_matches('发');
    let measures: Vec<AnnexMeasure> = b.measures.iter().map(|pm| annex_measure(pm, programme, units)).collect();
    let commendations: Vec<Commended> = b
        .commendations
        .iter()
        .map(|c| Commended { unit: c.name.clone(), inspection: c.inspection.clone(), practice: c.practice.clone() })
        .collect();
    let overrides: usize = b.measures.iter().map(|m| m.overrides.len()).sum();
    let fill = |pattern: &str| NoticeForm::fill(pattern, &programme.issuer, programme.year, &name);
    let names_title = fill(&wording.annex_title);
    let annex_title = match form {
        AnnexForm::Names => names_title,
        AnnexForm::Scores => format!("{names_title}及评价得分"),
    };

    // The body as the province writes it: why, what was decided, encouragement; the names are
    // in the annex. What jili must also say (a demo, a correction, what is still to come)
    // follows in short sentences.
    let text = |t: String| Paragraph { kind: Kind::Text, text: t };
    let government = format!("{}人民政府", programme.province);
    let mut body = vec![text(format!(
        "为强化正向激励，营造创先争优、担当作为的浓厚氛围，根据《{}{}》（{}）精神，{government}决定，对实施{name}成效明显的地区予以表扬激励，并按通知规定兑现相应激励措施。希望受到表扬激励的地区珍惜荣誉、再接再厉，取得新的更大成绩。",
        programme.issuer, programme.title, programme.doc_no
    ))];
    body.push(text(
        "各地各部门要以受到表扬激励的地区为榜样，对标先进、比学赶超，持续用力、狠抓落实，推动各项重点任务落地见效。"
            .to_string(),
    ));
    let mut notes = String::new();
    if !b.omitted.is_empty() {
        let nos: Vec<String> = b.omitted.iter().map(|(n, _)| n.to_string()).collect();
        notes.push_str(&format!("第{}条措施的评价工作尚未完成，结果另行通报。", nos.join("、")));
    }
    if overrides > 0 {
        notes.push_str(&format!("经复核更正的{overrides}项评价结果及其理由，与评价结果一并公开。"));
    }
    if p.version > 1 {
        let why = p.reason.trim_end_matches('。');
        notes.push_str(&format!(
            "本通报为更正版（第{}版），更正事由：{why}。与此前版本不一致的，以本版为准。",
            p.version
        ));
    }
    if b.demo {
        notes.push_str("本件使用示例方案和虚构数据生成，仅供演示，不得作为正式评价结果引用。");
    }
    if !notes.is_empty() {
        body.push(text(notes));
    }

    let mut provenance = vec![
        format!("评价结果：{}年度第{}版，{y}年{m}月{d}日发布", p.year, p.version),
        format!("SHA-256：{}", p.sha256),
    ];
    if let Some(r) = &b.data_release {
        let on = beijing_date(&r.released_at).map_or_else(String::new, |(y, m, d)| format!("，{y}年{m}月{d}日发布"));
        provenance.push(format!("所依据的主要指标数据通报：《{}》{on}", r.title()));
        provenance.push(format!("SHA-256：{}", r.sha256));
    }
    let commended_heading = programme
        .commendation
        .as_ref()
        .map_or_else(|| "落实重大政策部署成效明显、典型经验做法被肯定的地区".to_string(), |c| achievement(&c.text));
    Notice {
        year: p.year,
        version: p.version,
        sha256: p.sha256.clone(),
        published_at: p.published_at.clone(),
        demo_label: b.demo.then(|| DEMO_LABEL.to_string()),
        authority: programme.issuer.clone(),
        mark: format!("{}文件", programme.issuer),
        doc_no: format!("{prefix}{}〔{y}〕　　号", wording.doc_word.trim()),
        title: fill(&wording.title),
        addressees: "各市州、县市区人民政府，省政府各厅委、各直属机构：".to_string(),
        body,
        annex_note: format!("附件：{annex_title}"),
        signature: programme.issuer.clone(),
        date: format!("{y}年{m}月{d}日"),
        remark: "（此件主动公开）".to_string(),
        annex: Annex { form, title: annex_title, measures, commendations, commended_heading },
        provenance,
    }
}

/// A unit's level by its code, from the unit table; a code not in it (a unit retired since)
/// by the shape of its code: a park's YQ code, a 市州's …00, else a county.
fn level_of(code: &str, units: &[Unit]) -> Level {
    match units.iter().find(|u| u.code == code) {
        Some(u) => u.level,
        None if code.starts_with("YQ") => Level::Park,
        None if code.len() == 6 && code.ends_with("00") => Level::City,
        None => Level::County,
    }
}

fn annex_measure(pm: &super::PublishedMeasure, programme: &Programme, units: &[Unit]) -> AnnexMeasure {
    let measure = programme.measure(pm.measure);
    let name = measure.map_or(pm.title.as_str(), |m| m.short.as_str());
    let lead = measure
        .map(|m| {
            let leads: Vec<&str> = std::iter::once(&m.lead).chain(&m.co_leads).map(String::as_str).collect();
            format!("（牵头单位：{}）", leads.join("、"))
        })
        .unwrap_or_default();
    // Group by group (in the order the groups first appear), then by rank, as a reader looks
    // for a county among the counties.
    let mut groups: Vec<Option<&String>> = Vec::new();
    for w in &pm.winners {
        if !groups.contains(&w.group.as_ref()) {
            groups.push(w.group.as_ref());
        }
    }
    let mut winners: Vec<&crate::publication::publish::PublishedUnit> = pm.winners.iter().collect();
    winners.sort_by_key(|w| (groups.iter().position(|g| *g == w.group.as_ref()), w.rank.unwrap_or(u32::MAX)));
    let rows: Vec<AnnexRow> = winners
        .into_iter()
        .map(|w| AnnexRow {
            unit: w.name.clone(),
            group: w.group.clone(),
            score: w.score,
            rank: w.rank,
            award_wan: w.award_wan,
            items: w.items.clone(),
        })
        .collect();
    let mut notes: Vec<String> = pm
        .vetoed
        .iter()
        .map(|v| match v.note.trim_end_matches('。') {
            "" => format!("一票否决：{}", v.name),
            why => format!("一票否决：{}，{why}", v.name),
        })
        .collect();
    if pm.vetoed.is_empty() && pm.vetoed_total() > 0 {
        notes.push(format!("{} 个单位因一票否决未参加评选", pm.vetoed_total()));
    }
    for o in &pm.overrides {
        let what = if o.outcome == "winner" { "列入" } else { "不列入" };
        notes.push(format!("更正：{}{what}激励名单，理由：{}", o.name, o.reason.trim_end_matches('。')));
    }
    let mut by_code: Vec<(&str, &str)> = pm.winners.iter().map(|w| (w.code.as_str(), w.name.as_str())).collect();
    by_code.sort();
    by_code.dedup();
    let names: Vec<NameList> = Level::ALL
        .into_iter()
        .map(|level| NameList {
            level: level.as_str().to_string(),
            names: by_code
                .iter()
                .filter(|(code, _)| level_of(code, units) == level)
                .map(|(_, name)| name.to_string())
                .collect(),
        })
        .filter(|l| !l.names.is_empty())
        .collect();
    AnnexMeasure {
        achievement: measure.map_or_else(|| pm.title.clone(), |m| achievement(&m.text)),
        names,
        no: pm.measure,
        heading: format!("{}、{name}{lead}", chinese_number(pm.measure)),
        basis: format!("评价依据：《{}》第{}版", pm.title, pm.plan_version),
        total_wan: rows.iter().filter_map(|r| r.award_wan).sum(),
        rows,
        notes,
    }
}

/// The programme's name as the notice cites it, from its title: 关于实施2024年大抓落实工作激励
/// 措施二十条的通知 → 2024年大抓落实工作激励措施二十条.
fn programme_name(p: &Programme) -> String {
    let year = format!("{}年", p.year);
    let Some(at) = p.title.find(&year) else { return format!("{year}度督查激励措施") };
    let name = p.title[at..].trim_end_matches("的通知").trim_end_matches("有关工作");
    if name.contains("措施") { name.to_string() } else { format!("{name}措施") }
}

/// The Beijing-time (UTC+8) calendar date of a `YYYY-MM-DDTHH:MM:SSZ` stamp: a notice dated
/// in the small hours is dated the Chinese day it was issued, not the UTC one.
pub fn beijing_date(stamp: &str) -> Option<(i32, u32, u32)> {
    let local = crate::clock::format_utc(crate::clock::parse_utc(stamp)? + 8 * 3600);
    let num = |r: std::ops::Range<usize>| local.get(r).and_then(|s| s.parse::<u32>().ok());
    Some((i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?))
}
