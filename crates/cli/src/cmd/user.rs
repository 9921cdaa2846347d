//! `jili user add|list|disable|enable|password|reset-password`: accounts for the web pages. The
//! command line itself acts as the office and needs no login; passwords are read from standard
//! input, one per line, never from the command line (where `ps` and the shell history see them).

use crate::table;
use jili_app::App;
use jili_app::access::Role;
use jili_app::users::NewUser;
use std::io::{BufRead, IsTerminal};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// 新增用户；密码从标准输入读一行（echo 密码 | jili user add …）/ add a user; password on stdin.
    Add {
        /// 用户名 / login name.
        name: String,
        /// 角色：office、lead、provider、auditor、unit / the role.
        #[arg(long)]
        role: String,
        /// 范围：lead/provider 填部门代码或名称（如 FGW 或 省发展改革委），unit 填单位代码（如 430100）/ scope.
        #[arg(long, default_value = "", hide_default_value = true)]
        scope: String,
        /// 姓名或说明 / display name.
        #[arg(long, default_value = "", hide_default_value = true)]
        display: String,
    },
    /// 列出用户 / list users.
    List,
    /// 停用用户（不删除：审计日志记着他）/ disable a user.
    Disable {
        /// 用户名 / login name.
        name: String,
    },
    /// 重新启用用户 / enable a user again.
    Enable {
        /// 用户名 / login name.
        name: String,
    },
    /// 修改自己的密码：标准输入第一行为当前密码，第二行为新密码；其全部会话结束 / change one's own password (current, then new, on stdin).
    Password {
        /// 用户名 / login name.
        name: String,
    },
    /// 重置用户的密码（忘记密码时）：新密码从标准输入读一行；其全部会话结束 / reset a user's password (new one on stdin).
    ResetPassword {
        /// 用户名 / login name.
        name: String,
    },
}

/// One line of standard input (a password), prompting on a terminal.
fn read_password(prompt: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{prompt}");
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Add { name, role, scope, display } => {
            let role = Role::from_parts(&role, &scope)?;
            let password =
                read_password(&format!("为 {name} 设置密码（至少 {} 个字符）：", jili_app::users::MIN_PASSWORD))?;
            let display = if display.is_empty() { name.clone() } else { display };
            app.add_user(&NewUser { name: &name, display: &display, role: role.clone(), password: &password }).await?;
            let scope = if role.scope().is_empty() { String::new() } else { format!("（{}）", role.scope()) };
            println!("已新增用户 {name}：{}{scope}", role.label());
        }
        Command::List => {
            let rows: Vec<Vec<String>> = app
                .users()
                .await?
                .into_iter()
                .map(|u| {
                    vec![
                        u.name,
                        u.display,
                        u.role.label().to_string(),
                        u.role.scope().to_string(),
                        if u.disabled { "已停用" } else { "启用" }.to_string(),
                        u.created_at,
                    ]
                })
                .collect();
            if rows.is_empty() {
                println!("还没有用户：用 jili user add 新增");
            } else {
                table::print(&["用户名", "姓名", "角色", "范围", "状态", "创建时间"], &rows);
            }
        }
        Command::Disable { name } => {
            app.set_user_disabled(&name, true).await?;
            println!("已停用 {name}");
        }
        Command::Enable { name } => {
            app.set_user_disabled(&name, false).await?;
            println!("已启用 {name}（停用前的登录已失效，须重新登录）");
        }
        Command::Password { name } => {
            // The user acts for themself, as on the web: the current password is checked.
            let user = app.acting_as(app.user_principal(&name).await?);
            let current = read_password(&format!("{name} 的当前密码："))?;
            let new = read_password(&format!("新密码（至少 {} 个字符）：", jili_app::users::MIN_PASSWORD))?;
            let ended = user.change_password(&current, &new, None).await?;
            println!("已修改 {name} 的密码；结束其网页和接口的登录 {ended} 个");
        }
        Command::ResetPassword { name } => {
            let password =
                read_password(&format!("{name} 的新密码（至少 {} 个字符）：", jili_app::users::MIN_PASSWORD))?;
            app.reset_password(&name, &password).await?;
            println!("已重置 {name} 的密码，其全部登录已结束；请通过安全途径告知本人，并请其登录后修改");
        }
    }
    Ok(())
}
