//! The server's log: every `tracing` event (one per request from the web's request log, and
//! the server's warnings and errors) written to standard error, as JSON lines by default — one
//! object per line with `timestamp`, `level`, `target` and the event's fields, which a log
//! shipper reads without parsing text — or as plain text for a person at a terminal. Standard
//! output stays for the messages jili prints itself. Only the server installs it.

use tracing_subscriber::filter::LevelFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Text,
}

impl LogFormat {
    /// `json` or `text`.
    pub fn parse(s: &str) -> anyhow::Result<LogFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(LogFormat::Json),
            "text" => Ok(LogFormat::Text),
            other => anyhow::bail!("日志格式“{other}”不认识：可选 json（默认）或 text"),
        }
    }
}

/// `error`, `warn`, `info` (default: every request), `debug`, `trace`, or `off`.
pub fn parse_level(s: &str) -> anyhow::Result<LevelFilter> {
    s.trim().parse::<LevelFilter>().map_err(|_| {
        anyhow::anyhow!("日志级别“{s}”不认识：可选 error、warn、info（默认，每个请求一行）、debug、trace 或 off")
    })
}

/// Install the subscriber for this process (a second call changes nothing).
pub fn init(format: LogFormat, level: LevelFilter) {
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(level).with_ansi(false);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
