//! The words (key, 中文, English) of the account page, the password reset on the users page
//! and the access log.

/// This module's words for `t(...)`.
pub const WORDS: &[(&str, &str, &str)] = &[
    // The dashboard's cards.
    ("work_account", "我的账号", "My account"),
    (
        "work_account_desc",
        "修改自己的密码；在别处忘了退出时，退出全部登录。",
        "Change your password; log out everywhere if you forgot to log out somewhere.",
    ),
    ("work_access", "访问日志", "Access log"),
    (
        "work_access_desc",
        "登录与登录失败、退出、修改和重置密码、被拒绝的操作、只校验的导入：谁、何时、从哪里、结果如何。",
        "Logins and failed logins, logouts, password changes and resets, refused requests, dry-run imports: who, when, from where, and how it ended.",
    ),
    // My account.
    ("account", "我的账号", "My account"),
    ("account_change_password", "修改密码", "Change password"),
    (
        "account_change_password_help",
        "须输入当前密码。修改后，您在其他浏览器和脚本中的登录全部退出，本页的登录保留。15 分钟内当前密码连续输错 5 次，将暂停登录和修改密码。",
        "Your current password is required. Afterwards every other login of yours (other browsers, scripts) ends; this one stays. Five wrong current passwords within 15 minutes pause logins and changes.",
    ),
    ("account_current_password", "当前密码", "Current password"),
    ("account_new_password", "新密码", "New password"),
    ("account_new_password_again", "再次输入新密码", "New password again"),
    ("account_logout_all", "退出全部登录", "Log out everywhere"),
    (
        "account_logout_all_help",
        "结束您在所有浏览器和脚本（接口令牌）中的登录，包括本页。适用于在别人的电脑上忘了退出，或怀疑账号被他人使用（此时请同时修改密码）。",
        "Ends every login of yours in every browser and script (API tokens), this one included: for a computer where you forgot to log out, or if you think someone else used your account (change your password too).",
    ),
    ("login_logged_out_all", "已退出全部登录。", "You have been logged out everywhere."),
    // The office resets a password.
    ("account_reset", "重置用户密码", "Reset a user's password"),
    (
        "account_reset_help",
        "用户忘记密码时由办公厅重置：该用户的全部登录立即结束。请通过安全途径把新密码告诉本人，并请其登录后在“我的账号”中修改。办公厅人员修改自己的密码请用“我的账号”。",
        "For a user who forgot their password: all their logins end at once. Tell them the new password safely and ask them to change it under My account. To change your own, use My account.",
    ),
    ("account_reset_button", "重置密码", "Reset the password"),
    // The access log.
    ("access_log", "访问日志", "Access log"),
    (
        "access_log_intro",
        "登录（含失败及原因）、退出、退出全部登录、修改和重置密码、已登录用户被拒绝的操作、只校验不入库的导入。时间为北京时间；日志全部保留（等级保护要求至少保存六个月）。未登录访问者被拒绝的请求不记录；登录失败受次数限制。",
        "Logins (failed ones with the reason), logouts, password changes and resets, refused requests of logged-in users, dry-run imports. Times in Beijing time; everything is kept (at least six months are required). Refusals of visitors who are not logged in are not recorded; failed logins are rate-limited.",
    ),
    ("access_user", "用户", "User"),
    ("access_event", "事件", "Event"),
    ("access_outcome", "结果", "Outcome"),
    ("access_client", "客户端地址", "Client address"),
    ("access_client_help", "完整地址，或地址开头（如 10.0.）", "A full address, or its start (10.0.)"),
    ("access_from", "起始日期", "From"),
    ("access_to", "截止日期（含）", "To (inclusive)"),
    (
        "access_export_help",
        "按当前检索条件，时间先后排列，一次最多 10 万条",
        "the current search, oldest first, at most 100,000 rows",
    ),
    ("access_rows", "记录", "Rows"),
    ("access_time", "时间（北京时间）", "Time (Beijing)"),
    ("access_none", "没有符合条件的记录。", "No matching rows."),
];
