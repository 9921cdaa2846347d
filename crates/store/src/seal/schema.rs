//! What `audit verify` checks of the schema itself: a trigger, a view, a rewrite rule, a table
//! or a column jili does not know, or a column whose type was changed, could alter records
//! without the application.

use super::{AUDIT_COLUMNS, Kind, TABLES, UNSEALED, kind};
use crate::db::{Db, Tx};
use crate::error::Result;

/// What in the schema could change records without the application: a trigger, a view, a
/// rewrite rule, a table or column jili does not know. jili creates none of these, so any is
/// reported.
pub(crate) async fn schema_problems(tx: &mut Tx) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let catalogue = catalogue(tx).await?;
    let known = |name: &str| -> Option<&'static [&'static str]> {
        let sealed = TABLES.iter().find(|t| t.name == name).map(|t| t.columns);
        let unsealed = UNSEALED.iter().find(|(t, _)| *t == name).map(|(_, c)| *c);
        sealed.or(unsealed).or((name == "audit_events").then_some(AUDIT_COLUMNS))
    };
    for (kind, name) in &catalogue {
        match kind.as_str() {
            "trigger" => {
                out.push(format!("数据库中有触发器“{name}”：本系统从不创建触发器，它可能在写入时暗中改动记录"))
            }
            "rule" => out.push(format!("数据库中有改写规则“{name}”：本系统从不创建规则，它可能在写入时暗中改动记录")),
            "view" => out.push(format!("数据库中有视图“{name}”：本系统从不创建视图")),
            _ if name == "_sqlx_migrations" => {}
            _ => match known(name) {
                None => out.push(format!("数据库中有本系统不认识的表“{name}”")),
                Some(columns) => {
                    let cols = table_columns(tx, name).await?;
                    let names: Vec<&str> = cols.iter().map(|(c, _)| c.as_str()).collect();
                    if names != columns {
                        out.push(format!("表“{name}”的列被改动：现为 {}", names.join("、")));
                    }
                    for (col, declared) in &cols {
                        if !declared_as(tx.is_postgres(), declared, self::kind(name, col)) {
                            out.push(format!("表“{name}”的列“{col}”类型被改动：现为 {declared}"));
                        }
                    }
                }
            },
        }
    }
    let mut expected: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
    expected.extend(UNSEALED.iter().map(|(t, _)| *t));
    expected.push("audit_events");
    for name in expected {
        if !catalogue.iter().any(|(kind, n)| kind == "table" && n == name) {
            out.push(format!("数据库中缺少表“{name}”"));
        }
    }
    Ok(out)
}

/// Whether a column's declared type is the one jili gives a column of this kind.
fn declared_as(postgres: bool, declared: &str, kind: Kind) -> bool {
    let declared = declared.to_ascii_lowercase();
    match (postgres, kind) {
        (false, Kind::Text) => declared == "text",
        (false, Kind::Integer | Kind::Boolean) => declared == "integer",
        (true, Kind::Text) => declared == "text",
        (true, Kind::Integer) => declared == "bigint",
        (true, Kind::Boolean) => declared == "boolean",
    }
}

/// The tables, views, triggers and rules of jili's schema: (kind, name), by name.
pub(crate) async fn catalogue(tx: &mut Tx) -> Result<Vec<(String, String)>> {
    Ok(match tx.conn() {
        Db::Sqlite(c) => {
            sqlx::query_as(
                "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') \
                 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
            )
            .fetch_all(c)
            .await?
        }
        // The standard catalogue (information_schema) for tables, views and triggers (the
        // triggers PostgreSQL makes for foreign keys are internal and not listed; a trigger on
        // several events is listed once per event, hence DISTINCT); rewrite rules, which
        // PostgreSQL also has, from pg_rules.
        Db::Postgres(c) => {
            sqlx::query_as(
                "SELECT CASE table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END, CAST(table_name AS TEXT) \
                 FROM information_schema.tables WHERE table_schema = current_schema() \
                 UNION ALL SELECT DISTINCT 'trigger', CAST(trigger_name AS TEXT) FROM information_schema.triggers \
                 WHERE trigger_schema = current_schema() \
                 UNION ALL SELECT 'rule', CAST(rulename AS TEXT) FROM pg_rules WHERE schemaname = current_schema() \
                 ORDER BY 2",
            )
            .fetch_all(c)
            .await?
        }
    })
}

/// A table's columns in schema order, each with its declared type.
pub(crate) async fn table_columns(tx: &mut Tx, table: &str) -> Result<Vec<(String, String)>> {
    Ok(match tx.conn() {
        Db::Sqlite(c) => {
            sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid").bind(table).fetch_all(c).await?
        }
        Db::Postgres(c) => {
            sqlx::query_as(
                "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(c)
            .await?
        }
    })
}
