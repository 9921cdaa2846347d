//! The data releases' words (key, 中文, English). Keys start with `rl_` so they cannot clash
//! with another module's.

/// Every word the release templates pass to `t(...)`.
pub const WORDS: &[(&str, &str, &str)] = &[
    ("rl_releases", "数据通报", "Data releases"),
    (
        "rl_intro",
        "省政府办公厅按通报日程定期通报主要指标数据（只含可公开的数据项），与年度评价结果分开发布。每次通报不可更改；数据修订后的更正是新版本并写明原因，旧版本保留，标为“已更正”。",
        "The General Office releases the main indicator data on its calendar (public series only), apart from the yearly results. A release never changes; a correction is a new version with its reason, and the older version stays, marked corrected.",
    ),
    ("rl_calendar", "通报日程", "Release calendar"),
    ("rl_calendar_source", "日程来源", "Calendar from"),
    ("rl_frequency", "频度", "Frequency"),
    ("rl_years", "收录年数", "Years covered"),
    ("rl_due_days", "截止期结束后通报天数", "Days after the cut-off"),
    ("rl_cutoff", "截止期", "Cut-off"),
    ("rl_due", "应通报日期", "Due"),
    ("rl_state", "状态", "State"),
    ("rl_made", "已通报", "Released"),
    ("rl_all", "全部通报", "All releases"),
    ("rl_none", "尚未通报主要指标数据。", "No data have been released yet."),
    ("rl_name", "通报", "Release"),
    ("rl_released_at", "通报时间", "Released"),
    ("rl_reason", "说明", "Note"),
    ("rl_current", "现行", "Current"),
    ("rl_corrected", "已更正", "Corrected"),
    ("rl_superseded_before", "本版已由", "This version was replaced by"),
    ("rl_superseded_after", "取代，请以最新版本为准。", "; use the newest version."),
    ("rl_versions", "版本记录", "Versions"),
    ("rl_this", "本版", "this version"),
    ("rl_downloads", "下载本次通报的全部数据", "Download all data of this release"),
    ("rl_preliminary", "初步数，以后可能修订", "preliminary, may be revised"),
    ("rl_series_count", "数据项", "Series"),
    ("rl_rests_on", "所依据的数据通报", "Data release the results rest on"),
    ("rl_view", "查看", "View"),
];
