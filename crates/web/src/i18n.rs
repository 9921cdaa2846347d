//! Chinese first, English on request: the words of the pages' frame and headings. Data (names
//! of units, measures, departments) stay in Chinese, as they are official names.

use serde::Serialize;
use std::sync::OnceLock;

/// The language a page is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// From a `lang` query value or cookie: `en` is English, anything else Chinese.
    pub fn parse(s: &str) -> Lang {
        if s.eq_ignore_ascii_case("en") { Lang::En } else { Lang::Zh }
    }

    /// The code used in `lang=` and `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// The frame's words (key, 中文, English); each page module has its own list. Keys are what
/// templates pass to `t(...)`; a test checks every key used in a template has an entry.
pub const WORDS: &[(&str, &str, &str)] = &[
    ("site", "湖南省大抓落实工作激励措施", "Hunan incentive measures"),
    ("map_sources", "地图与图表来源", "Sources of the map and charts"),
    (
        "time_rule",
        "页面上的时间均为北京时间（UTC+8）；数据下载、SDMX 与接口中的时间为协调世界时（UTC，ISO 8601，以 Z 结尾）。",
        "Times on pages are Beijing time (UTC+8); in downloads, SDMX and the API they are UTC (ISO 8601, ending in Z).",
    ),
    ("home", "首页", "Home"),
    ("programme", "激励措施", "Measures"),
    ("data", "主要指标数据", "Indicator data"),
    ("commendations", "通报表扬", "Commendations"),
    ("notice", "结果通报", "Results notice"),
    ("method", "评价方法", "Method"),
    ("units", "评价对象", "Units"),
    ("login", "登录", "Log in"),
    ("login_sso", "统一身份认证登录", "Log in with single sign-on"),
    ("login_local", "或用本系统账号登录", "Or log in with a jili account"),
    ("logout", "退出", "Log out"),
    ("work", "工作台", "Workspace"),
    ("username", "用户名", "User name"),
    ("password", "密码", "Password"),
    ("language", "English", "中文"),
    (
        "demo_banner",
        "演示数据，非真实统计：示例方案与虚构数据，不得作为正式结果引用",
        "Demo data, not real statistics: example plans and invented data; not to be cited as results",
    ),
    (
        "map_sketch",
        "示意图，非正式地图：正式使用的地图须经审图并标注审图号。",
        "Sketch map, not an official map (official maps need a map review number).",
    ),
    ("not_published", "尚未发布评价结果", "No results published yet"),
    ("measure", "措施", "Measure"),
    ("lead", "牵头单位", "Lead department"),
    ("unit_kinds", "评价对象类别", "Units evaluated"),
    ("reward", "激励方式", "Reward"),
    ("status", "状态", "Status"),
    ("winners", "入选名单", "Winners"),
    ("ranking", "排名", "Ranking"),
    ("score", "得分", "Score"),
    ("rank", "名次", "Rank"),
    ("group", "分组", "Group"),
    ("award", "奖励", "Award"),
    ("vetoes", "一票否决", "Vetoes"),
    ("reason", "理由", "Reason"),
    ("indicators", "评价指标", "Indicators"),
    ("weight", "权重", "Weight"),
    ("source", "数据来源", "Source"),
    ("robustness", "稳健性", "Robustness"),
    ("download", "下载", "Download"),
    ("period", "时期", "Period"),
    ("value", "数值", "Value"),
    ("series", "数据项", "Series"),
    ("unit", "单位", "Unit"),
    ("city", "市州", "City"),
    ("county", "县市区", "County"),
    ("total_rewards", "奖励合计", "Total rewards"),
    ("submit", "提交", "Submit"),
    ("cancel", "取消", "Cancel"),
    ("confirm", "确认", "Confirm"),
    ("save", "保存", "Save"),
    ("error", "出错了", "Something went wrong"),
    ("back_home", "返回首页", "Back to the home page"),
    ("skip_to_content", "跳到正文", "Skip to content"),
    ("version", "版本", "Version"),
    ("published_at", "发布时间", "Published"),
    ("overrides", "结果更正", "Overrides"),
    ("explanation", "说明", "Explanation"),
    ("api", "数据接口", "API"),
];

/// Words: a list of (key, 中文, English).
pub type WordSet = &'static [(&'static str, &'static str, &'static str)];

/// Every module's words, registered when the router is built (see [`register`]).
static WORD_SETS: OnceLock<Vec<WordSet>> = OnceLock::new();

/// Use these words (the page modules' lists) from now on; later calls keep the first. Until
/// then only the frame's words ([`WORDS`]) are known.
pub fn register(sets: &[WordSet]) {
    WORD_SETS.get_or_init(|| sets.to_vec());
}

/// The word for `key` in `lang`; the key itself when it has no entry (a test catches that).
pub fn word(lang: Lang, key: &str) -> &str {
    let sets = WORD_SETS.get().map_or(&[WORDS][..], Vec::as_slice);
    match sets.iter().flat_map(|set| set.iter()).find(|(k, _, _)| *k == key) {
        Some((_, zh, en)) => match lang {
            Lang::Zh => zh,
            Lang::En => en,
        },
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_the_default_and_english_on_request() {
        assert_eq!(Lang::parse("en"), Lang::En);
        assert_eq!(Lang::parse(""), Lang::Zh);
        assert_eq!(word(Lang::Zh, "login"), "登录");
        assert_eq!(word(Lang::En, "login"), "Log in");
        assert_eq!(word(Lang::En, "no-such-key"), "no-such-key");
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = crate::pages::WORD_SETS.iter().flat_map(|s| s.iter()).map(|w| w.0).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}
