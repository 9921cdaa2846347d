//! Departments, units and series.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::on;
use crate::error::{Result, StoreError};
use jili_model::{Department, Level, Nature, Plate, Series, Unit};
use sqlx::FromRow;

#[derive(FromRow)]
struct DepartmentRow {
    code: String,
    name: String,
    full_name: String,
    lead: bool,
    provider: bool,
}

#[derive(FromRow)]
struct UnitRow {
    code: String,
    name: String,
    short_name: String,
    level: String,
    kind: String,
    parent: Option<String>,
    plate: Option<String>,
    valid_from: String,
    valid_to: Option<String>,
    source: String,
}

#[derive(FromRow)]
struct SeriesRow {
    code: String,
    name: String,
    unit: String,
    frequency: String,
    owner: String,
    public: bool,
    nature: String,
    additive: bool,
    description: String,
}

impl Store {
    /// Store a full set of reference data in one transaction, replacing what was there for the
    /// same codes. All or nothing.
    pub async fn put_reference(
        &self,
        who: &Actor,
        departments: &[Department],
        units: &[Unit],
        series: &[Series],
    ) -> Result<()> {
        let mut tx = self.write().await?;
        for d in departments {
            on!(tx.conn(), |c| {
                sqlx::query(
                "INSERT INTO departments (code, name, full_name, lead, provider) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, full_name = excluded.full_name, lead = excluded.lead, provider = excluded.provider"
            )
            .bind(&d.code)
            .bind(&d.name)
            .bind(&d.full_name)
            .bind(d.lead)
            .bind(d.provider)
            .execute(c)
            .await?.rows_affected()
            });
        }
        for u in units {
            on!(tx.conn(), |c| {
                sqlx::query(
                "INSERT INTO units (code, name, short_name, level, kind, parent, plate, valid_from, valid_to, source) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, short_name = excluded.short_name, level = excluded.level, kind = excluded.kind, parent = excluded.parent, plate = excluded.plate, valid_from = excluded.valid_from, valid_to = excluded.valid_to, source = excluded.source",
            )
            .bind(&u.code)
            .bind(&u.name)
            .bind(&u.short_name)
            .bind(u.level.as_str())
            .bind(&u.kind)
            .bind(&u.parent)
            .bind(u.plate.map(Plate::as_str))
            .bind(&u.valid_from)
            .bind(&u.valid_to)
            .bind(&u.source)
            .execute(c)
            .await?.rows_affected()
            });
        }
        for s in series {
            on!(tx.conn(), |c| {
                sqlx::query(
                "INSERT INTO series (code, name, unit, frequency, owner, public, nature, additive, description) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, unit = excluded.unit, frequency = excluded.frequency, owner = excluded.owner, public = excluded.public, nature = excluded.nature, additive = excluded.additive, description = excluded.description",
            )
            .bind(&s.code)
            .bind(&s.name)
            .bind(&s.unit)
            .bind(&s.frequency)
            .bind(&s.owner)
            .bind(s.public)
            .bind(s.nature.as_str())
            .bind(s.additive)
            .bind(&s.description)
            .execute(c)
            .await?.rows_affected()
            });
        }
        let detail = format!("部门 {} 个，单位 {} 个，数据项 {} 个", departments.len(), units.len(), series.len());
        audit::append(&mut tx, who, "reference.load", "reference", &detail, &["reference".to_string()]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// All departments in code order.
    pub async fn departments(&self) -> Result<Vec<Department>> {
        let rows =
            on!(self.pool.get(), |p| sqlx::query_as::<_, DepartmentRow>("SELECT * FROM departments ORDER BY code")
                .fetch_all(p)
                .await?);
        Ok(rows
            .into_iter()
            .map(|r| Department {
                code: r.code,
                name: r.name,
                full_name: r.full_name,
                lead: r.lead,
                provider: r.provider,
            })
            .collect())
    }

    /// All units (the province, divisions and parks) in code order.
    pub async fn units(&self) -> Result<Vec<Unit>> {
        let rows = on!(self.pool.get(), |p| sqlx::query_as::<_, UnitRow>("SELECT * FROM units ORDER BY code")
            .fetch_all(p)
            .await?);
        rows.into_iter()
            .map(|r| {
                Ok(Unit {
                    level: r.level.parse::<Level>().map_err(StoreError::Corrupt)?,
                    plate: r.plate.map(|p| p.parse::<Plate>()).transpose().map_err(StoreError::Corrupt)?,
                    code: r.code,
                    name: r.name,
                    short_name: r.short_name,
                    kind: r.kind,
                    parent: r.parent,
                    valid_from: r.valid_from,
                    valid_to: r.valid_to,
                    source: r.source,
                })
            })
            .collect()
    }

    /// The series catalogue in code order.
    pub async fn series(&self) -> Result<Vec<Series>> {
        let rows = on!(self.pool.get(), |p| sqlx::query_as::<_, SeriesRow>("SELECT * FROM series ORDER BY code")
            .fetch_all(p)
            .await?);
        rows.into_iter()
            .map(|r| {
                Ok(Series {
                    nature: match r.nature.as_str() {
                        "outcome" => Nature::Outcome,
                        "process" => Nature::Process,
                        other => return Err(StoreError::Corrupt(format!("数据项 {} 的性质“{other}”", r.code))),
                    },
                    code: r.code,
                    name: r.name,
                    unit: r.unit,
                    frequency: r.frequency,
                    owner: r.owner,
                    public: r.public,
                    additive: r.additive,
                    description: r.description,
                })
            })
            .collect()
    }
}
