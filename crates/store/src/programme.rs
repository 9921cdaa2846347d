//! The yearly programme and its measures.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::on;
use crate::error::{Result, StoreError};
use jili_model::{Level, Programme};

impl Store {
    /// Store (or replace) a year's programme and its measures in one transaction.
    pub async fn put_programme(&self, who: &Actor, p: &Programme) -> Result<()> {
        let body = serde_json::to_string(p).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.write().await?;
        // Measures kept are updated in place rather than deleted and inserted again: the plans
        // of a year refer to its measures, and a programme stored again with the same measures
        // (a changed `[recovery]` rule, say) must not trip over them. Measures dropped are
        // deleted, which the plans still referring to them refuse.
        on!(tx.conn(), |c| sqlx::query("DELETE FROM measures WHERE year = $1 AND no > $2")
            .bind(p.year)
            .bind(i64::try_from(p.measures.len()).unwrap_or(i64::MAX))
            .execute(c)
            .await?
            .rows_affected());
        on!(tx.conn(), |c| sqlx::query(
            "INSERT INTO programmes (year, doc_no, title, body) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (year) DO UPDATE SET doc_no = excluded.doc_no, title = excluded.title, body = excluded.body"
        )
        .bind(p.year)
        .bind(&p.doc_no)
        .bind(&p.title)
        .bind(&body)
        .execute(c)
        .await?
        .rows_affected());
        for m in &p.measures {
            let levels: Vec<&str> = m.levels.iter().map(|l| Level::as_str(*l)).collect();
            on!(tx.conn(), |c| sqlx::query(
                "INSERT INTO measures (year, no, short, lead, levels, channel) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (year, no) DO UPDATE SET short = excluded.short, lead = excluded.lead, \
                 levels = excluded.levels, channel = excluded.channel",
            )
            .bind(p.year)
            .bind(i64::from(m.no))
            .bind(&m.short)
            .bind(&m.lead)
            .bind(levels.join("、"))
            .bind(&m.channel)
            .execute(c)
            .await?
            .rows_affected());
        }
        let detail = format!("{}（{}），措施 {} 条", p.title, p.doc_no, p.measures.len());
        let object = format!("programme/{}", p.year);
        audit::append(&mut tx, who, "programme.load", &object, &detail, std::slice::from_ref(&object)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The programme of `year`, if loaded.
    pub async fn programme(&self, year: i32) -> Result<Option<Programme>> {
        let body: Option<String> =
            on!(self.pool.get(), |p| sqlx::query_scalar("SELECT body FROM programmes WHERE year = $1")
                .bind(year)
                .fetch_optional(p)
                .await?);
        body.map(|b| serde_json::from_str(&b).map_err(|e| StoreError::Corrupt(format!("{year}年激励方案：{e}"))))
            .transpose()
    }

    /// The years with a programme, newest first.
    pub async fn programme_years(&self) -> Result<Vec<i32>> {
        let years: Vec<i64> =
            on!(self.pool.get(), |p| sqlx::query_scalar("SELECT year FROM programmes ORDER BY year DESC")
                .fetch_all(p)
                .await?);
        years
            .into_iter()
            .map(|y| i32::try_from(y).map_err(|_| StoreError::Corrupt(format!("年度 {y} 超出范围"))))
            .collect()
    }
}
