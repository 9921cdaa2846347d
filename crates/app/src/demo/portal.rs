//! The demo, ready for the web: one account per role (all labelled 演示, with a password that
//! is printed for anyone to use), the regular data releases (one corrected) and a first
//! publication of the demo results, so that the portal has something to show. Only for demo
//! databases.

use crate::App;
use crate::access::Role;
use crate::error::{AppError, Result};
use crate::users::NewUser;

/// The password of every demo account. It is public: demo databases hold no real data.
pub const DEMO_PASSWORD: &str = "jili-demo-2024";

/// A demo account: (user name, display name, role, scope).
pub const DEMO_ACCOUNTS: &[(&str, &str, &str, &str)] = &[
    ("demo-office", "省政府办公厅（演示）", "office", ""),
    // A second office user: approves plans and confirms publications the first one asked for.
    ("demo-checker", "省政府办公厅复核人（演示）", "office", ""),
    ("demo-fgw", "省发展改革委（演示）", "lead", "FGW"),
    ("demo-gxt", "省工业和信息化厅（演示）", "lead", "GXT"),
    ("demo-tjj", "省统计局（演示）", "provider", "TJJ"),
    ("demo-audit", "省纪委监委驻厅纪检监察组（演示）", "auditor", ""),
    ("demo-changsha", "长沙市（演示）", "unit", "430100"),
];

/// A demo practice commended, so that the commendations page has an entry (invented).
const DEMO_COMMENDATION: (&str, &str, &str) =
    ("430100", "省政府综合督查", "演示：优化营商环境“一件事一次办”（虚构事例）");

impl App {
    /// Add the demo accounts and publish the demo results (a commendation included). Refused
    /// on a database without demo data. Accounts that exist already are kept.
    pub async fn prepare_demo_portal(&self) -> Result<()> {
        if !self.has_demo_data().await? {
            return Err(AppError::Invalid("这不是演示数据库：演示账号只建在 jili demo 建成的数据库里".into()));
        }
        let existing: Vec<String> = self.users().await?.into_iter().map(|u| u.name).collect();
        for (name, display, kind, scope) in DEMO_ACCOUNTS {
            if existing.iter().any(|e| e == name) {
                continue;
            }
            let role = Role::from_parts(kind, scope)?;
            self.add_user(&NewUser { name, display, role, password: DEMO_PASSWORD }).await?;
        }
        let year = self.programme(None).await?.year;
        if self.store.commendations(year).await?.is_empty() {
            let (unit, inspection, practice) = DEMO_COMMENDATION;
            self.commend(year, unit, inspection, practice).await?;
        }
        // The regular data releases first: the results publication cites the newest.
        self.demo_releases().await?;
        if self.published(Some(year)).await?.is_none() {
            // Four eyes: the demo office asks, its second user confirms.
            let id = self.request_publication(Some(year), "").await?;
            self.acting_as(crate::Principal::office(super::DEMO_CHECKER)).confirm_publication(id).await?;
        }
        Ok(())
    }
}
