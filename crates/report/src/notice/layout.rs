//! Layout decisions the writer makes itself rather than leave to the word processor: where a
//! title breaks (GB/T 9704 §7.3.1: 回行时要做到词意完整，排列对称，长短适宜) and how wide each
//! column of a table is.

/// Width of a character in ems: a Latin letter or digit is half a CJK character.
fn em(c: char) -> f64 {
    if c.is_ascii() { 0.5 } else { 1.0 }
}

/// The width of `s` in ems.
pub fn width(s: &str) -> f64 {
    s.chars().map(em).sum()
}

const OPENING: &str = "（《“‘〔［【(";
const CLOSING: &str = "，。、；：）》”’！？〕］】…)";

/// How good a break is between `before` and `after` (0 good, 10 acceptable, 100 poor), or
/// `None` where a line may not break at all: inside a number or a Latin word, before closing
/// or after opening punctuation (避头尾).
fn break_cost(before: &[char], after: &[char], lead: usize) -> Option<u32> {
    let (Some(&b), Some(&a)) = (before.last(), after.first()) else { return None };
    if (b.is_ascii_alphanumeric() && a.is_ascii_alphanumeric()) || CLOSING.contains(a) || OPENING.contains(b) {
        return None;
    }
    let starts = |w: &str| after.iter().take(w.chars().count()).copied().eq(w.chars());
    if before.len() == lead
        || a.is_ascii_digit()
        || ["关于", "成效", "予以", "实施"].iter().any(|w| starts(w))
        || "》”".contains(b)
    {
        Some(0)
    } else if "的、，".contains(b) {
        Some(10)
    } else {
        Some(100)
    }
}

/// Split a title into lines of at most `max_em` ems, as few as fit, breaking where the words
/// allow and keeping the lines near one length. `lead` is a prefix after which a break is good
/// (the issuer's name in 湖南省人民政府办公厅关于…). A title that fits is one line; one too long
/// to split well is returned whole, for the word processor to wrap.
pub fn title_lines(title: &str, max_em: f64, lead: &str) -> Vec<String> {
    let chars: Vec<char> = title.chars().collect();
    let total = width(title);
    if total <= max_em || chars.len() > 120 {
        return vec![title.to_string()];
    }
    let lead = if title.starts_with(lead) { lead.chars().count() } else { 0 };
    let fewest = (total / max_em).ceil() as usize;
    let mut best: Option<(f64, Vec<usize>)> = None;
    for lines in fewest..=fewest + 1 {
        let mut breaks = Vec::new();
        search(&chars, lead, max_em, lines, 0, &mut breaks, &mut best, 30.0 * (lines - fewest) as f64);
    }
    match best {
        Some((_, breaks)) => {
            let mut out = Vec::new();
            let mut from = 0;
            for &at in breaks.iter().chain(std::iter::once(&chars.len())) {
                out.push(chars[from..at].iter().collect());
                from = at;
            }
            out
        }
        None => vec![title.to_string()],
    }
}

/// Try every way of ending the remaining `lines` lines after `from`; keep the cheapest: the
/// spread of line widths around their mean plus the cost of each break.
#[allow(clippy::too_many_arguments)]
fn search(
    chars: &[char],
    lead: usize,
    max_em: f64,
    lines: usize,
    from: usize,
    breaks: &mut Vec<usize>,
    best: &mut Option<(f64, Vec<usize>)>,
    extra: f64,
) {
    let rest: f64 = chars[from..].iter().copied().map(em).sum();
    if lines == 1 {
        if rest > max_em {
            return;
        }
        let mut widths = Vec::new();
        let mut penalty = extra;
        let mut start = 0;
        for &at in breaks.iter() {
            widths.push(chars[start..at].iter().copied().map(em).sum::<f64>());
            penalty += f64::from(break_cost(&chars[..at], &chars[at..], lead).unwrap_or(1000));
            start = at;
        }
        widths.push(rest);
        let mean = widths.iter().sum::<f64>() / widths.len() as f64;
        let cost = penalty + widths.iter().map(|w| (w - mean).powi(2)).sum::<f64>();
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            *best = Some((cost, breaks.clone()));
        }
        return;
    }
    let mut w = 0.0;
    for at in from + 1..chars.len() {
        w += em(chars[at - 1]);
        if w > max_em {
            break;
        }
        if break_cost(&chars[..at], &chars[at..], lead).is_some() {
            breaks.push(at);
            search(chars, lead, max_em, lines - 1, at, breaks, best, extra);
            breaks.pop();
        }
    }
}

/// Column widths (twips) summing to `total` for a table of `rows` under `head`, from what the
/// cells hold: each column gets its widest cell (text at `char_twips` an em, plus `padding`);
/// if that is too wide, the widest columns give way first (their cells wrap), never below
/// their heading; room to spare is shared equally (a wide column does not grow wider).
pub fn column_widths(head: &[&str], rows: &[Vec<String>], total: u32, char_twips: u32, padding: u32) -> Vec<u32> {
    let fit = |s: &str| (width(s) * f64::from(char_twips)).ceil() as u32 + padding;
    let floor: Vec<u32> = head.iter().map(|h| fit(h)).collect();
    let natural: Vec<u32> = (0..head.len())
        .map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| fit(c)).fold(floor[i], u32::max))
        .collect();
    let sum: u32 = natural.iter().sum();
    let mut widths = if sum <= total {
        let spare = (total - sum) / (natural.len() as u32).max(1);
        natural.iter().map(|n| n + spare).collect()
    } else {
        // The largest cap at which the capped widths still fit, by bisection over twips.
        let capped =
            |cap: u32| -> Vec<u32> { natural.iter().zip(&floor).map(|(n, f)| (*n).min(cap.max(*f))).collect() };
        let (mut lo, mut hi) = (0, *natural.iter().max().unwrap_or(&0));
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if capped(mid).iter().sum::<u32>() <= total { lo = mid } else { hi = mid - 1 }
        }
        capped(lo)
    };
    // Rounding: the last column takes what is left, so the grid is exactly the table's width.
    let used: u32 = widths.iter().take(widths.len().saturating_sub(1)).sum();
    if let Some(last) = widths.last_mut() {
        *last = total.saturating_sub(used);
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_break_between_words_into_even_lines() {
        let title = "湖南省人民政府办公厅关于对实施2024年大抓落实工作激励措施二十条成效明显的地区予以表扬激励的通报";
        let lines = title_lines(title, 20.0, "湖南省人民政府办公厅");
        assert_eq!(lines.concat(), title);
        assert!(lines.iter().all(|l| width(l) <= 20.0), "{lines:?}");
        assert_eq!(
            lines,
            ["湖南省人民政府办公厅关于对实施", "2024年大抓落实工作激励措施二十条", "成效明显的地区予以表扬激励的通报"]
        );
        let annex = title_lines("实施2024年大抓落实工作激励措施二十条成效明显的地区名单", 20.0, "");
        assert_eq!(annex, ["实施2024年大抓落实工作激励措施二十条", "成效明显的地区名单"]);
        assert_eq!(title_lines("短标题", 20.0, ""), ["短标题"]);
    }

    #[test]
    fn a_number_is_never_split_and_no_line_starts_with_a_comma() {
        let lines = title_lines("一二三四五六七八九十一二三四五六七八2024年，一二三四五六七八九十", 10.0, "");
        assert_eq!(lines.concat(), "一二三四五六七八九十一二三四五六七八2024年，一二三四五六七八九十");
        assert!(
            lines.iter().all(|l| !l.starts_with('，') && !l.starts_with("024") && !l.starts_with('4')),
            "{lines:?}"
        );
    }

    #[test]
    fn columns_fit_their_cells_and_the_widest_wraps_first() {
        let rows = vec![
            vec![
                "长沙市".to_string(),
                "市州".to_string(),
                "一项很长很长很长很长很长很长很长很长很长很长的奖励内容".to_string(),
            ],
            vec!["浏阳市".to_string(), "县市区".to_string(), "—".to_string()],
        ];
        let w = column_widths(&["单位", "分组", "奖励内容"], &rows, 6000, 200, 100);
        assert_eq!(w.iter().sum::<u32>(), 6000);
        assert!(w[1] >= 3 * 200 + 100, "分组 does not wrap: {w:?}");
        assert!(w[2] > w[0] && w[2] < 27 * 200, "the long column wraps: {w:?}");
        let roomy = column_widths(&["单位", "分组"], &rows, 6000, 200, 100);
        assert_eq!(roomy.iter().sum::<u32>(), 6000);
        assert_eq!(roomy[0], roomy[1], "spare room shared equally: {roomy:?}");
        let uneven = column_widths(&["单位", "奖励（万元）"], &rows[..1], 6000, 200, 100);
        assert_eq!(uneven[1] - uneven[0], (6 - 3) * 200, "the difference is the content's: {uneven:?}");
    }
}
