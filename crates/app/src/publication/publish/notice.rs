//! The results notice (通报) of a publication: the formal document the office issues, built
//! from the frozen publication and the year's programme. One model serves both the DOCX
//! ([`jili_report::notice::docx::notice_docx`]) and the printable HTML page, so the two never disagree.

use super::Publication;
use crate::App;
use crate::error::Result;
use jili_model::Programme;

pub use jili_report::notice::*;

impl App {
    /// The results notice of the newest publication of a year (the newest year when `None`);
    /// `None` before anything is published. Readable by whoever may read the publication.
    pub async fn notice(&self, year: Option<i32>) -> Result<Option<Notice>> {
        let Some(p) = self.published(year).await? else { return Ok(None) };
        let programme = self.programme(Some(p.year)).await?;
        Ok(Some(build_notice(&p, &programme)))
    }

    /// The notice as a Word document in the GB/T 9704 layout ([`jili_report::notice::docx::notice_docx`]),
    /// built as heavy work (see [`crate::workers`]).
    pub async fn notice_file(&self, notice: &Notice) -> Result<Vec<u8>> {
        let notice = notice.clone();
        self.heavy(crate::Work::Export, move |_| async move { Ok(jili_report::notice::docx::notice_docx(&notice)?) })
            .await
    }
}

/// Build the notice of publication `p` under `programme`. Pure: the same input, the same notice.
pub fn build_notice(p: &Publication, programme: &Programme) -> Notice {
    let b = &p.body;
    let name = programme_name(programme);
    let (y, m, d) = beijing_date(&p.published_at).unwrap_or((p.year + 1, 1, 1));
    let prefix = programme.doc_no.split('〔').next().unwrap_or_default().trim_end_matches('发');
    let measures: Vec<AnnexMeasure> = b.measures.iter().map(|pm| annex_measure(pm, programme)).collect();
    let commendations: Vec<Commended> = b
        .commendations
        .iter()
        .map(|c| Commended { unit: c.name.clone(), inspection: c.inspection.clone(), practice: c.practice.clone() })
        .collect();
    let winners: usize = measures.iter().map(|m| m.rows.len()).sum();
    let total: u64 = measures.iter().map(|m| m.total_wan).sum();
    let vetoed: usize = b.measures.iter().map(|m| m.vetoed_total()).sum();
    let overrides: usize = b.measures.iter().map(|m| m.overrides.len()).sum();

    let text = |t: String| Paragraph { kind: Kind::Text, text: t };
    let h1 = |t: &str| Paragraph { kind: Kind::Heading1, text: t.to_string() };
    let h2 = |t: &str| Paragraph { kind: Kind::Heading2, text: t.to_string() };
    let mut body = vec![text(format!(
        "为激励各地担当作为、大抓落实，根据《{}{}》（{}）要求，省人民政府组织各牵头单位对{name}落实情况进行了评价。现将有关情况通报如下：",
        programme.issuer, programme.title, programme.doc_no
    ))];
    body.push(h1("一、评价情况"));
    let mut how = format!(
        "本次评价采取“无扰”方式进行，依据统计部门和相关主管部门直接采集的客观数据，按照经审定并公布的各项措施实施方案计算得出，不增加基层报送材料和迎接检查的负担。评价结果经审核后发布，共有{}项措施纳入本次通报",
        measures.len()
    );
    if !b.omitted.is_empty() {
        let nos: Vec<String> = b.omitted.iter().map(|(n, _)| n.to_string()).collect();
        how.push_str(&format!("；第{}条措施评价工作尚未完成，另行通报", nos.join("、")));
    }
    how.push('。');
    body.push(text(how));
    body.push(h1("二、评价结果"));
    let money = if total > 0 { format!("，安排奖励资金共计{total}万元") } else { String::new() };
    body.push(text(format!("根据评价结果，对{winners}个（次）成效明显的地方予以督查激励{money}，具体名单见附件。")));
    if !commendations.is_empty() {
        let mut names: Vec<&str> = Vec::new();
        for c in &commendations {
            if !names.contains(&c.unit.as_str()) {
                names.push(&c.unit);
            }
        }
        body.push(text(format!(
            "对落实重大政策部署成效明显，在国务院综合督查和省政府综合督查中有关典型经验做法被肯定的{}予以通报表扬。",
            names.join("、")
        )));
    }
    if vetoed > 0 {
        let named = b.measures.iter().any(|m| !m.vetoed.is_empty());
        let see = if named {
            "具体情形见附件。"
        } else {
            "按激励方案的公开要求，不公布具体名单。"
        };
        body.push(text(format!("{vetoed}个（次）地方因一票否决事项未参加评选，{see}")));
    }
    if overrides > 0 {
        body.push(text(format!("经复核，对{overrides}项评价结果作了更正，更正情况及理由见附件。")));
    }
    body.push(h1("三、有关说明"));
    body.push(h2("（一）数据公开。"));
    let mut open = format!(
        "各项措施评价所用主要指标数据（共{}项，不含不宜公开的数据项）已随评价结果一并公开，接受社会监督。",
        b.data.len()
    );
    if let Some(r) = &b.data_release {
        let on = beijing_date(&r.released_at).map_or_else(String::new, |(y, m, d)| format!("，{y}年{m}月{d}日发布"));
        open.push_str(&format!(
            "评价时最新的主要指标数据通报为《{}》（内容校验值SHA-256：{}{on}）。",
            r.title(),
            r.sha256
        ));
    }
    body.push(text(open));
    body.push(h2("（二）版本说明。"));
    let mut version = format!(
        "本通报依据{}年度评价结果第{}版（{y}年{m}月{d}日发布，内容校验值SHA-256：{}）编制。",
        p.year, p.version, p.sha256
    );
    if p.version > 1 {
        let why = p.reason.trim_end_matches('。');
        version.push_str(&format!("本版为更正版，更正事由：{why}。与此前版本不一致的，以本版为准。"));
    }
    if b.demo {
        version.push_str("本件使用示例方案和虚构数据生成，仅供演示，不得作为正式评价结果引用。");
    }
    body.push(text(version));
    body.push(text(
        "希望受到激励的地方珍惜荣誉、再接再厉，继续发挥示范带动作用。各地各部门要对标先进、比学赶超，进一步抓好各项重点任务落实，推动全省经济社会高质量发展。"
            .to_string(),
    ));
    let annex_title = format!("{name}落实情况评价结果");
    Notice {
        year: p.year,
        version: p.version,
        sha256: p.sha256.clone(),
        published_at: p.published_at.clone(),
        demo_label: b.demo.then(|| DEMO_LABEL.to_string()),
        authority: programme.issuer.clone(),
        mark: format!("{}文件", programme.issuer),
        doc_no: format!("{prefix}通〔{y}〕　　号"),
        title: format!("{}关于{name}落实情况的通报", programme.issuer),
        addressees: "各市州、县市区人民政府，省政府各厅委、各直属机构：".to_string(),
        body,
        annex_note: format!("附件：{annex_title}"),
        signature: programme.issuer.clone(),
        date: format!("{y}年{m}月{d}日"),
        remark: "（此件主动公开）".to_string(),
        annex: Annex { title: annex_title, measures, commendations },
    }
}

fn annex_measure(pm: &super::PublishedMeasure, programme: &Programme) -> AnnexMeasure {
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
    AnnexMeasure {
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
