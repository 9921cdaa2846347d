//! One module per subcommand.

pub mod analyst;
pub mod audit;
pub mod backup;
pub mod bench;
pub mod data;
pub mod demo;
pub mod explain;
pub mod import;
pub mod init;
pub mod lint;
pub mod map;
pub mod plan;
pub mod programme;
pub mod publish;
pub mod review;
pub mod run;
pub mod serve;
pub mod status;
pub mod units;
pub mod user;

/// Print a value as pretty JSON.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Write to stdout; a closed pipe (`jili … | head`) ends quietly instead of panicking.
pub fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}
