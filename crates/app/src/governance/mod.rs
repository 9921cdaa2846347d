//! Oversight: the audit log and its verification, the access log and its export, data grants
//! between departments, and backups that can be checked.

pub mod access_export;
pub mod access_log;
pub(crate) mod audit;
pub mod backup;
pub(crate) mod grants;
