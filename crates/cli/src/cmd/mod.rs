//! One module per subcommand.

pub mod bench;
pub mod demo;
pub mod plan;
pub mod programme;
pub mod status;
pub mod units;

/// Print a value as pretty JSON.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
