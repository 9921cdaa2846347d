//! Write every hostile file of the test suite, and a 6,000-indicator plan, into a directory —
//! for `scripts/hostile-load.sh`, which sends them to a running server.
//!
//! `cargo run --release -p jili-testkit --example hostile_files -- DIR`

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "hostile".into());
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir)?;
    for h in jili_testkit::hostile::files() {
        std::fs::write(dir.join(&h.file), &h.bytes)?;
        println!("{}\t{}", h.file, h.what);
    }
    std::fs::write(dir.join("plan-6000.toml"), jili_testkit::hostile::plan_with_indicators(6000))?;
    println!("plan-6000.toml\t6,000 个指标的方案");
    Ok(())
}
