//! What the office decides and publishes: reward budgets, publications (immutable, versioned),
//! commendations and result overrides. Each write is one transaction with its audit event.

use crate::Store;
use crate::audit::{self, Actor, hex};
use crate::db::on;
use crate::error::Result;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

/// A stored publication.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredPublication {
    pub id: i64,
    #[sqlx(try_from = "i64")]
    pub year: i32,
    pub version: i64,
    /// Why this version exists (for a correction, what was corrected).
    pub reason: String,
    /// JSON written by the app.
    pub body: String,
    pub sha256: String,
    pub published_at: String,
    pub actor: String,
}

/// A stored commendation (通报表扬).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredCommendation {
    pub id: i64,
    #[sqlx(try_from = "i64")]
    pub year: i32,
    pub unit: String,
    pub inspection: String,
    pub practice: String,
    pub actor: String,
    pub at: String,
}

/// A stored override of one unit's outcome in a run.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredOverride {
    pub id: i64,
    pub run_id: i64,
    pub unit: String,
    pub outcome: String,
    pub reason: String,
    pub actor: String,
    pub at: String,
}

impl Store {
    /// What a demo rebuild would erase besides demo data: users, publications, commendations,
    /// overrides and plans that are not jili's examples (name, count), non-zero ones only. The
    /// demo's own accounts (`demo-…`, see the app's `DEMO_ACCOUNTS`), publications of demo data
    /// and commendations marked 演示 are part of the demo.
    pub async fn office_records(&self) -> Result<Vec<(&'static str, i64)>> {
        let mut out = Vec::new();
        for (what, sql) in [
            (
                "用户",
                "SELECT COUNT(*) FROM users WHERE name NOT IN ('demo-office', 'demo-fgw', 'demo-gxt', 'demo-tjj', 'demo-audit', 'demo-changsha')",
            ),
            ("通报表扬", "SELECT COUNT(*) FROM commendations WHERE practice NOT LIKE '演示：%'"),
            ("结果更正", "SELECT COUNT(*) FROM overrides"),
            // A verification case is the office's record of a doubt and what came of it (a
            // referral to discipline inspection above all): never wiped with the demo.
            ("核查案件", "SELECT COUNT(*) FROM cases"),
            // Money disbursed and recovered is the finance record of the year: never wiped either.
            ("资金台账", "SELECT COUNT(*) FROM fund_entries"),
            ("正式实施方案", "SELECT COUNT(*) FROM plans WHERE example = FALSE"),
        ] {
            let n: i64 = on!(self.pool.get(), |p| sqlx::query_scalar(sql).fetch_one(p).await?);
            if n > 0 {
                out.push((what, n));
            }
        }
        // Whether a publication is of demo data is in its body (JSON); read here rather than
        // with a JSON function, whose spelling differs between the backends.
        let bodies: Vec<String> =
            on!(self.pool.get(), |p| sqlx::query_scalar("SELECT body FROM publications").fetch_all(p).await?);
        let real = bodies
            .iter()
            .filter(|b| {
                let demo = serde_json::from_str::<serde_json::Value>(b).ok().and_then(|v| v.get("demo")?.as_bool());
                demo != Some(true)
            })
            .count();
        if real > 0 {
            // After the users, as the office reads the list.
            let at = out.iter().take_while(|(what, _)| *what == "用户").count();
            out.insert(at, ("发布", real as i64));
        }
        // Data releases likewise: those of demo data are part of the demo.
        let releases = self.real_release_count().await?;
        if releases > 0 {
            out.push(("数据通报", releases));
        }
        Ok(out)
    }

    /// Set a measure's budget line (万元, exact decimal text).
    /// Setting the same line again changes nothing and records nothing.
    pub async fn put_budget(&self, who: &Actor, year: i32, measure: u32, amount_wan: &str, basis: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let now: Option<(String, String)> = on!(tx.conn(), |c| sqlx::query_as(
            "SELECT amount_wan, basis FROM budgets WHERE year = $1 AND measure = $2"
        )
        .bind(year)
        .bind(i64::from(measure))
        .fetch_optional(c)
        .await?);
        if now.is_some_and(|(a, b)| a == amount_wan && b == basis) {
            return Ok(());
        }
        on!(tx.conn(), |c| sqlx::query(
            "INSERT INTO budgets (year, measure, amount_wan, basis) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (year, measure) DO UPDATE SET amount_wan = excluded.amount_wan, basis = excluded.basis",
        )
        .bind(year)
        .bind(i64::from(measure))
        .bind(amount_wan)
        .bind(basis)
        .execute(c)
        .await?
        .rows_affected());
        let object = format!("budget/{year}/{measure}");
        audit::append(
            &mut tx,
            who,
            "budget.set",
            &object,
            &format!("{amount_wan} 万元，依据：{basis}"),
            std::slice::from_ref(&object),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A measure's budget line and its basis.
    pub async fn budget(&self, year: i32, measure: u32) -> Result<Option<(String, String)>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as(
            "SELECT amount_wan, basis FROM budgets WHERE year = $1 AND measure = $2"
        )
        .bind(year)
        .bind(i64::from(measure))
        .fetch_optional(p)
        .await?))
    }

    /// Store a publication as the next version for its year. Returns (id, version).
    pub async fn add_publication(&self, who: &Actor, year: i32, reason: &str, body: &str) -> Result<(i64, i64)> {
        let sha = hex(&Sha256::digest(body.as_bytes()));
        let mut tx = self.write().await?;
        let version: i64 = on!(tx.conn(), |c| sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM publications WHERE year = $1"
        )
        .bind(year)
        .fetch_one(c)
        .await?);
        let id: i64 = on!(tx.conn(), |c| sqlx::query_scalar(
            "INSERT INTO publications (id, year, version, reason, body, sha256, published_at, actor) \
             VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM publications), $1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(year)
        .bind(version)
        .bind(reason)
        .bind(body)
        .bind(&sha)
        .bind(&who.at)
        .bind(&who.name)
        .fetch_one(c)
        .await?);
        let object = format!("publication/{year}/v{version}");
        let detail = format!("第 {version} 版，sha256={sha}，{reason}");
        audit::append(&mut tx, who, "publish", &object, &detail, std::slice::from_ref(&object)).await?;
        tx.commit().await?;
        Ok((id, version))
    }

    /// `year/version/sha256` of every publication, newest version of each year last: a cheap
    /// fingerprint of what is published, for caches.
    pub async fn publication_heads(&self) -> Result<Vec<String>> {
        Ok(on!(self.pool.get(), |p| {
            sqlx::query_scalar(
            "SELECT CAST(year AS TEXT) || '/' || CAST(version AS TEXT) || '/' || sha256 FROM publications ORDER BY year, version",
        )
        .fetch_all(p)
        .await?
        }))
    }

    /// Every publication of a year, oldest version first.
    pub async fn publications(&self, year: i32) -> Result<Vec<StoredPublication>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM publications WHERE year = $1 ORDER BY version")
            .bind(year)
            .fetch_all(p)
            .await?))
    }

    /// The newest publication of a year (what the public sees), without reading the others.
    pub async fn latest_publication(&self, year: i32) -> Result<Option<StoredPublication>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as(
            "SELECT * FROM publications WHERE year = $1 ORDER BY version DESC LIMIT 1"
        )
        .bind(year)
        .fetch_optional(p)
        .await?))
    }

    /// The newest publication's version of a year, without reading its body.
    pub async fn latest_publication_version(&self, year: i32) -> Result<Option<i64>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_scalar("SELECT MAX(version) FROM publications WHERE year = $1")
            .bind(year)
            .fetch_one(p)
            .await?))
    }

    /// Record a commendation. Returns its id.
    pub async fn add_commendation(
        &self,
        who: &Actor,
        year: i32,
        unit: &str,
        inspection: &str,
        practice: &str,
    ) -> Result<i64> {
        let mut tx = self.write().await?;
        let id: i64 = on!(tx.conn(), |c| {
            sqlx::query_scalar(
            "INSERT INTO commendations (id, year, unit, inspection, practice, actor, at) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM commendations), $1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(year)
        .bind(unit)
        .bind(inspection)
        .bind(practice)
        .bind(&who.name)
        .bind(&who.at)
        .fetch_one(c)
        .await?
        });
        let object = format!("commendation/{id}");
        audit::append(
            &mut tx,
            who,
            "commend",
            &object,
            &format!("{unit}：{inspection}，{practice}"),
            std::slice::from_ref(&object),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The commendations of a year.
    pub async fn commendations(&self, year: i32) -> Result<Vec<StoredCommendation>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM commendations WHERE year = $1 ORDER BY id")
            .bind(year)
            .fetch_all(p)
            .await?))
    }

    /// Record an override of one unit's outcome in a run. Returns its id.
    pub async fn add_override(&self, who: &Actor, run_id: i64, unit: &str, outcome: &str, reason: &str) -> Result<i64> {
        let mut tx = self.write().await?;
        let id = insert_override(&mut tx, who, run_id, unit, outcome, reason).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The overrides of a run, oldest first.
    pub async fn overrides(&self, run_id: i64) -> Result<Vec<StoredOverride>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM overrides WHERE run_id = $1 ORDER BY id")
            .bind(run_id)
            .fetch_all(p)
            .await?))
    }
}

/// Insert an override of `unit`'s outcome in run `run_id`, with its audit event, inside the
/// caller's transaction (a recovery corrects the result in the same transaction as its ledger
/// entry). Returns the override's id.
pub(crate) async fn insert_override(
    tx: &mut crate::db::Tx,
    who: &Actor,
    run_id: i64,
    unit: &str,
    outcome: &str,
    reason: &str,
) -> Result<i64> {
    let id: i64 = on!(tx.conn(), |c| {
        sqlx::query_scalar(
        "INSERT INTO overrides (id, run_id, unit, outcome, reason, actor, at) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM overrides), $1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(run_id)
    .bind(unit)
    .bind(outcome)
    .bind(reason)
    .bind(&who.name)
    .bind(&who.at)
    .fetch_one(c)
    .await?
    });
    let object = format!("override/{id}");
    let what = if outcome == "winner" { "列入入选" } else { "取消入选" };
    let detail = format!("运行 {run_id}，{unit} {what}：{reason}");
    audit::append(tx, who, "result.override", &object, &detail, std::slice::from_ref(&object)).await?;
    Ok(id)
}
