//! Provincial departments: lead departments write plans, providers own series.

use serde::{Deserialize, Serialize};

/// A provincial department (省直部门). Localities are never departments: they are units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// jili's short ASCII code (`TJJ` for 省统计局).
    pub code: String,
    /// The name used in the notice and in plans (`省统计局`).
    pub name: String,
    /// The full official name (`湖南省统计局`).
    pub full_name: String,
    /// Leads at least one measure this programme.
    pub lead: bool,
    /// May own series and import data (统计局 and the competent departments).
    pub provider: bool,
}
