//! `cargo bench -p jili-bench --bench store`: a 100,000-value batch stored in one transaction, on
//! SQLite and, when `JILI_BENCH_PG_URL` names a PostgreSQL server, on PostgreSQL too (issue 7's
//! floor there is 200,000 values/s, 500 ms for the batch). Each sample stores into a fresh,
//! initialised database; `jili bench --pg URL` prints the same step beside the other backend.

use divan::Bencher;
use jili_app::schemas;
use jili_bench::backend::{BATCH, batch};
use jili_bench::store::{initialised_store, store_batch};
use std::sync::atomic::{AtomicUsize, Ordering};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let divan = divan::Divan::from_args();
    if std::env::var_os("JILI_BENCH_PG_URL").is_some() {
        divan.main();
    } else {
        eprintln!(
            "注意：未设置 JILI_BENCH_PG_URL，只测 SQLite / PostgreSQL skipped; to time it too: \
             JILI_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench -p jili-bench --bench store"
        );
        divan.skip_regex("postgres").main();
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime")
}

/// Time the store of the batch into fresh databases opened by `fresh(i)`.
fn store(b: Bencher, rt: &tokio::runtime::Runtime, fresh: impl Fn(usize) -> String + Sync) {
    let n = AtomicUsize::new(0);
    b.with_inputs(|| {
        let url = fresh(n.fetch_add(1, Ordering::Relaxed));
        rt.block_on(async {
            let (store, catalogue) = initialised_store(&url).await.expect("a fresh, initialised database");
            let batch = batch(&catalogue, BATCH);
            (store, batch)
        })
    })
    .bench_local_values(|(store, batch)| {
        rt.block_on(async {
            store_batch(&store, &batch).await.expect("the batch is stored");
        });
        // Returned, so the database is closed after the timing.
        store
    });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn store_100k_sqlite(b: Bencher) {
    let rt = runtime();
    let dir = tempfile::tempdir().expect("a temporary directory");
    store(b, &rt, |i| dir.path().join(format!("store-{i}.db")).display().to_string());
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn store_100k_postgres(b: Bencher) {
    let base = std::env::var("JILI_BENCH_PG_URL").expect("main() skips this bench without JILI_BENCH_PG_URL");
    let rt = runtime();
    let names = std::sync::Mutex::new(Vec::new());
    store(b, &rt, |i| {
        let name = format!("jili_divan_{}_{i}", std::process::id());
        let url = rt.block_on(schemas::create_schema(&base, &name)).expect("a temporary schema");
        names.lock().expect("schema list").push(name);
        url
    });
    for name in names.into_inner().expect("schema list") {
        rt.block_on(schemas::drop_schema(&base, &name)).expect("the temporary schema is dropped");
    }
}
