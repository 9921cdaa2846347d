//! The audit chain: changes made behind the application's back, through a connection of
//! their own, are reported alike; writers on two handles at once serialise.

use crate::*;
use jili_store::AuditProblem;
use sqlx::Connection;

/// Run SQL on the test database through a connection of its own, as someone with the
/// database's password could.
pub(crate) async fn behind_the_back(db: &TestBackend, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match db {
        TestBackend::Sqlite(file) => {
            let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", file.path().display())).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
            c.close().await.unwrap();
        }
        TestBackend::Postgres(pg) => {
            let mut c = sqlx::PgConnection::connect(&pg.url()).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
            c.close().await.unwrap();
        }
    }
}

/// A trigger that quietly rewrites a value, in each backend's dialect.
fn trigger_sql(db: &TestBackend) -> &'static str {
    match db {
        TestBackend::Sqlite(_) => {
            "CREATE TRIGGER quiet_edit AFTER INSERT ON observations BEGIN \
             UPDATE observations SET value = '0' WHERE series = NEW.series AND unit = NEW.unit; END;"
        }
        TestBackend::Postgres(_) => {
            "CREATE FUNCTION quiet_edit_fn() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN NEW.value := '0'; RETURN NEW; END $$; \
             CREATE TRIGGER quiet_edit BEFORE INSERT ON observations FOR EACH ROW EXECUTE FUNCTION quiet_edit_fn();"
        }
    }
}

/// Tamper with a freshly populated database, then verify it.
async fn tampered(db: &TestBackend, sql: &str) -> Vec<AuditProblem> {
    let store = open(db).await;
    populate(&store).await;
    assert!(store.verify_audit().await.unwrap().is_intact());
    behind_the_back(db, sql).await;
    let report = store.verify_audit().await.unwrap();
    store.close().await;
    report.problems
}

#[tokio::test]
async fn an_edited_value_is_reported_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let sql = "UPDATE observations SET value = '999' WHERE series = 'GDP' AND unit = '430200'";
        let problems = tampered(&db, sql).await;
        assert_eq!(problems.len(), 1, "{}: {problems:?}", db.name());
        assert_eq!(problems[0].object, "batch/1");
        assert!(problems[0].what.starts_with("observations:GDP：记录为 2 行 sha256:"), "{}: {problems:?}", db.name());
        seen.push((db.name(), problems));
    }
    same("the problems an edited value causes", &seen);
}

#[tokio::test]
async fn a_deleted_audit_event_is_reported_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let problems = tampered(&db, "DELETE FROM audit_events WHERE seq = 3").await;
        let chain: Vec<_> = problems.iter().filter(|p| p.object == "event/4").collect();
        assert!(chain.iter().any(|p| p.what.contains("事件序号不连续")), "{}: {problems:?}", db.name());
        assert!(chain.iter().any(|p| p.what.contains("前一事件的哈希")), "{}: {problems:?}", db.name());
        seen.push((db.name(), problems));
    }
    same("the problems a deleted event causes", &seen);
}

#[tokio::test]
async fn a_trigger_is_reported_alike_and_what_it_did_too() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        populate(&store).await;
        behind_the_back(&db, trigger_sql(&db)).await;
        let b = batch("TJJ", "t.csv", vec![obs("GDP", "430300", "2023", "55", Status::Final)]);
        let id = store.import_batch(&me(), &b).await.unwrap().batch_id;
        assert_eq!(store.observations_of(&["GDP"]).await.unwrap()[2].observation.value.to_string(), "0");
        let problems = store.verify_audit().await.unwrap().problems;
        let objects: Vec<&str> = problems.iter().map(|p| p.object.as_str()).collect();
        assert_eq!(objects, ["schema", &format!("batch/{id}")], "{}: {problems:?}", db.name());
        assert_eq!(problems[0].what, "数据库中有触发器“quiet_edit”：本系统从不创建触发器，它可能在写入时暗中改动记录");
        seen.push((db.name(), problems));
        store.close().await;
    }
    same("the problems a trigger causes", &seen);
}

#[tokio::test]
async fn a_trigger_on_several_events_is_reported_once() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        let sql = match db {
            TestBackend::Sqlite(_) => "CREATE TRIGGER watch AFTER UPDATE ON users BEGIN SELECT 1; END;",
            TestBackend::Postgres(_) => {
                "CREATE FUNCTION watch_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; \
                 CREATE TRIGGER watch BEFORE INSERT OR UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION watch_fn();"
            }
        };
        behind_the_back(&db, sql).await;
        let problems = store.verify_audit().await.unwrap().problems;
        assert_eq!(problems.len(), 1, "{}: {problems:?}", db.name());
        seen.push((db.name(), problems));
        store.close().await;
    }
    same("the problems a trigger causes", &seen);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_on_two_handles_at_once_serialise() {
    let mut seen = Vec::new();
    for db in backends().await {
        let a = seeded(&db).await;
        let b = open(&db).await;
        let big: Vec<Observation> = (0..2000)
            .map(|i| obs("GDP", "430100", &format!("{}-M{:02}", 2000 + i / 12, i % 12 + 1), "1", Status::Final))
            .collect();
        let big = batch("TJJ", "并发.csv", big);
        let small = batch("CZT", "并发2.csv", vec![obs("GEN_BUDGET_REV", "430200", "2023", "2", Status::Final)]);
        let (who, ua, ub) = (me(), user("a", "office"), user("b", "office"));
        let (u1, u2, i1, i2, s) = tokio::join!(
            a.add_user(&who, &ua),
            b.add_user(&who, &ub),
            a.import_batch(&who, &big),
            b.import_batch(&who, &small),
            b.put_setting(&who, "checks", "x"),
        );
        let (i1, i2) = (i1.unwrap(), i2.unwrap());
        u1.unwrap();
        u2.unwrap();
        s.unwrap();
        let mut ids = [i1.batch_id, i2.batch_id];
        ids.sort_unstable();
        assert_eq!(ids, [1, 2], "{}", db.name());
        assert_eq!(a.users().await.unwrap().len(), 2);
        assert_eq!(b.observations().await.unwrap().len(), 2001);
        let report = b.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{}: {:?}", db.name(), report.problems);
        assert_eq!(report.events, 7);
        let mut actions: Vec<String> = a.audit_events().await.unwrap().into_iter().map(|e| e.action).collect();
        actions.sort();
        seen.push((db.name(), actions));
        a.close().await;
        b.close().await;
    }
    same("the events written at once", &seen);
}
