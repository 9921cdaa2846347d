//! One module per subcommand.

pub mod analyst;
pub mod audit;
pub mod backup;
pub mod bench;
pub mod calendar;
pub mod case;
pub mod data;
pub mod demo;
pub mod explain;
pub mod funds;
pub mod grant;
pub mod import;
pub mod init;
pub mod limits;
pub mod lint;
pub mod map;
pub mod plan;
pub mod programme;
pub mod publish;
pub mod release;
pub mod review;
pub mod run;
pub mod serve;
pub mod status;
pub mod units;
pub mod user;

/// A file's bytes, refused with a clear message naming the limit (`key`) when it is larger than
/// `max` — read no further than that, so a mistaken path to a huge file costs nothing.
pub fn read_bounded(path: &std::path::Path, max: u64, key: &str) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| anyhow::anyhow!("无法读取文件“{}”：{e}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| anyhow::anyhow!("无法读取文件“{}”：{e}", path.display()))?;
    if bytes.len() as u64 > max {
        anyhow::bail!(
            "文件“{}”超过上限 {}（{key}）：请检查是否选错了文件；上限见 jili limits show",
            path.display(),
            jili_model::show_amount(max, true)
        );
    }
    Ok(bytes)
}

/// A plan or programme file, read within the plan size limit.
pub async fn read_plan_file(app: &jili_app::App, path: &std::path::Path) -> anyhow::Result<String> {
    let bytes = read_bounded(path, app.limits().await?.plan_bytes, "plan_bytes")?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("“{}”不是 UTF-8 文本：请另存为 UTF-8 编码", path.display()))
}

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
