//! `jili serve`: the web portal and work pages on this database until Ctrl-C. Every setting
//! comes from its flag, else its environment variable, else the configuration file
//! (`--config`), else the default — the table in docs/operations.md.

use crate::config::ConfigFile;
use crate::logging::{self, LogFormat};
use clap::builder::BoolishValueParser;
use jili_app::App;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// 配置文件（TOML，设置项见 docs/operations.md；命令行参数和环境变量优先）/ the configuration file.
    #[arg(long, env = "JILI_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// 监听地址（默认 127.0.0.1:8080）/ address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "JILI_ADDR")]
    pub addr: Option<String>,
    /// 会话 Cookie 加 Secure 标记（经 https 反向代理对外服务时打开）/ mark cookies Secure (behind https).
    #[arg(long, env = "JILI_SECURE_COOKIES", num_args = 0..=1, require_equals = true,
          default_missing_value = "true", value_parser = BoolishValueParser::new(), value_name = "BOOL")]
    pub secure_cookies: Option<bool>,
    /// 可信的反向代理或负载均衡地址（可重复；环境变量用逗号分隔）：来自这些地址的请求按 X-Forwarded-For 认定用户地址，
    /// 用于登录失败限制 / a reverse proxy whose X-Forwarded-For names the client (repeatable).
    #[arg(long = "trusted-proxy", value_name = "IP", env = "JILI_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// 导入、试算、评价、发布、文件生成和审计核验等繁重计算最多同时占用的线程数（默认：核数减一，至少 1，
    /// 留一个核给网页请求）/ threads for heavy work (default: cores − 1, at least 1).
    #[arg(long, value_name = "N", env = "JILI_HEAVY_THREADS")]
    pub heavy_threads: Option<usize>,
    /// 繁重计算排队最多等待的秒数，超过即答复“系统繁忙，请稍后再试”（默认 10）/ seconds heavy work
    /// may wait for its turn before the answer is "busy, try again" (default 10).
    #[arg(long, value_name = "SECS", env = "JILI_QUEUE_WAIT")]
    pub queue_wait: Option<u64>,
    /// 监控端口：在这个地址另开 /metrics（Prometheus）、/healthz、/readyz，只给监控网络（默认不开）
    /// / a second listener for /metrics and the probes (default: none).
    #[arg(long, value_name = "ADDR", env = "JILI_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// 日志格式：json（默认，每行一个 JSON 对象）或 text，写到标准错误 / log format: json (default) or text.
    #[arg(long, value_name = "FORMAT", env = "JILI_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// 日志级别：error、warn、info（默认，每个请求一行）、debug、trace、off / log level (default info).
    #[arg(long, value_name = "LEVEL", env = "JILI_LOG")]
    pub log_level: Option<String>,
    /// 统一身份认证（OpenID Connect 单点登录）配置文件，见 docs/deploy.md；不给则只有本系统账号登录 /
    /// single sign-on settings (TOML; see docs/deploy.md); without it, local accounts only.
    #[arg(long, value_name = "FILE", env = "JILI_SSO_CONFIG")]
    pub sso_config: Option<std::path::PathBuf>,
}

/// The longest queue wait accepted: a request should not hang for longer than this.
const MAX_QUEUE_WAIT: u64 = 600;

/// The settings in force, from flags, environment, file and defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub addr: String,
    pub secure_cookies: bool,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub heavy_threads: Option<usize>,
    pub queue_wait: Option<u64>,
    pub metrics_listen: Option<String>,
    pub log_format: LogFormat,
    pub log_level: tracing_subscriber::filter::LevelFilter,
}

impl ServeArgs {
    /// The configuration file named, read and checked (an empty one when none is named).
    pub fn config_file(&self) -> anyhow::Result<ConfigFile> {
        match &self.config {
            Some(path) => ConfigFile::load(path),
            None => Ok(ConfigFile::default()),
        }
    }

    /// Each setting: flag or environment, else the file, else the default.
    pub fn settings(&self, file: &ConfigFile) -> anyhow::Result<Settings> {
        let s = &file.server;
        let queue_wait = self.queue_wait.or(s.queue_wait);
        if queue_wait.is_some_and(|q| q > MAX_QUEUE_WAIT) {
            anyhow::bail!("queue_wait（--queue-wait）最多 {MAX_QUEUE_WAIT} 秒：请求不应等待更久");
        }
        let format = self.log_format.clone().or_else(|| file.log.format.clone());
        let level = self.log_level.clone().or_else(|| file.log.level.clone());
        Ok(Settings {
            addr: self.addr.clone().or_else(|| s.addr.clone()).unwrap_or_else(|| "127.0.0.1:8080".into()),
            secure_cookies: self.secure_cookies.or(s.secure_cookies).unwrap_or(false),
            trusted_proxies: if self.trusted_proxies.is_empty() {
                s.trusted_proxies.clone().unwrap_or_default()
            } else {
                self.trusted_proxies.clone()
            },
            heavy_threads: self.heavy_threads.or(s.heavy_threads),
            queue_wait,
            metrics_listen: self.metrics_listen.clone().or_else(|| file.metrics.listen.clone()),
            log_format: format.as_deref().map_or(Ok(LogFormat::Json), LogFormat::parse)?,
            log_level: level
                .as_deref()
                .map_or(Ok(tracing_subscriber::filter::LevelFilter::INFO), logging::parse_level)?,
        })
    }
}

async fn bind(addr: &str, flag: &str) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("无法监听 {addr}：{e}。请换一个端口（{flag} 127.0.0.1:8081）或关闭占用它的程序"))
}

/// Serve until Ctrl-C or SIGTERM; requests in flight are finished before the process exits.
pub async fn run(app: &App, args: &ServeArgs) -> anyhow::Result<()> {
    let file = args.config_file()?;
    let settings = args.settings(&file)?;
    logging::init(settings.log_format, settings.log_level);
    // The single sign-on settings and secret are read before listening: a mistake stops the start.
    let sso_config = match (&args.sso_config, file.sso) {
        (Some(path), _) => Some(jili_app::sso::SsoConfig::load(path)?),
        // Checked when the file was read.
        (None, Some(inline)) => Some(inline),
        (None, None) => None,
    };
    let sso = sso_config.map(jili_app::sso::Sso::new).transpose()?;
    let listener = bind(&settings.addr, "--addr").await?;
    let addr = listener.local_addr()?;
    let ops = match &settings.metrics_listen {
        Some(a) => Some(bind(a, "--metrics-listen").await?),
        None => None,
    };
    println!("网站已启动：http://{addr}/  （按 Ctrl-C 停止）");
    if let Some(ops) = &ops {
        println!("监控端口：http://{}/metrics （另有 /healthz、/readyz）", ops.local_addr()?);
    }
    let mut limits = jili_app::Capacity::server();
    if let Some(n) = settings.heavy_threads {
        limits.threads = n.max(1);
    }
    if let Some(secs) = settings.queue_wait {
        limits.queue_wait = std::time::Duration::from_secs(secs);
    }
    let mut state = jili_web::AppState::with_capacity(
        app.clone(),
        settings.secure_cookies,
        settings.trusted_proxies.clone(),
        limits,
    );
    if let Some(sso) = sso {
        let issuer = sso.config().issuer.clone();
        // The provider not answering now does not stop the site: local accounts still log in,
        // and single sign-on works once it answers.
        match sso.check_provider().await {
            Ok(_) => println!("统一身份认证：{issuer}（登录页显示“统一身份认证登录”）"),
            Err(e) => eprintln!("注意：{e}（网站照常启动，本系统账号仍可登录）"),
        }
        state = state.with_sso(sso);
    }
    jili_web::serve_with_ops(listener, ops, state, stop_requested()).await?;
    println!("网站已停止");
    Ok(())
}

/// Ctrl-C at a terminal, or SIGTERM from systemd (`systemctl stop jili`) or a container runtime:
/// either one ends the server gracefully, finishing the requests in flight.
async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
                return;
            }
            Err(e) => eprintln!("注意：无法接收 SIGTERM（{e}），只能用 Ctrl-C 停止"),
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Wrapper {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn args(argv: &[&str]) -> ServeArgs {
        let mut all = vec!["jili"];
        all.extend_from_slice(argv);
        Wrapper::try_parse_from(all).unwrap().serve
    }

    #[test]
    fn a_flag_beats_the_file_and_the_file_beats_the_default() {
        let file: ConfigFile = toml::from_str(
            "[server]\naddr = \"0.0.0.0:9000\"\nsecure_cookies = true\nqueue_wait = 30\n[log]\nformat = \"text\"\n",
        )
        .unwrap();
        let s = args(&[]).settings(&file).unwrap();
        assert_eq!((s.addr.as_str(), s.secure_cookies, s.queue_wait), ("0.0.0.0:9000", true, Some(30)));
        assert_eq!(s.log_format, LogFormat::Text);
        let s = args(&["--addr", "127.0.0.1:1", "--secure-cookies=false"]).settings(&file).unwrap();
        assert_eq!((s.addr.as_str(), s.secure_cookies), ("127.0.0.1:1", false));
        let d = args(&[]).settings(&ConfigFile::default()).unwrap();
        assert_eq!((d.addr.as_str(), d.secure_cookies, d.metrics_listen), ("127.0.0.1:8080", false, None));
        assert_eq!((d.log_format, d.log_level), (LogFormat::Json, tracing_subscriber::filter::LevelFilter::INFO));
        assert!(args(&["--secure-cookies"]).secure_cookies.unwrap());
        assert!(args(&["--log-level", "loud"]).settings(&file).is_err());
        assert!(args(&["--queue-wait", "100000"]).settings(&file).is_err());
    }
}
