//! `jili serve`: the web portal and work pages on this database until Ctrl-C.

use jili_app::App;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// 监听地址 / address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// 会话 Cookie 加 Secure 标记（经 https 反向代理对外服务时打开）/ mark cookies Secure (behind https).
    #[arg(long)]
    pub secure_cookies: bool,
    /// 可信的反向代理或负载均衡地址（可重复）：来自这些地址的请求按 X-Forwarded-For 认定用户地址，
    /// 用于登录失败限制 / a reverse proxy whose X-Forwarded-For names the client (repeatable).
    #[arg(long = "trusted-proxy", value_name = "IP")]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// 导入、试算、评价、发布、文件生成和审计核验等繁重计算最多同时占用的线程数（默认：核数减一，至少 1，
    /// 留一个核给网页请求）/ threads for heavy work (default: cores − 1, at least 1).
    #[arg(long, value_name = "N")]
    pub heavy_threads: Option<usize>,
    /// 繁重计算排队最多等待的秒数，超过即答复“系统繁忙，请稍后再试”（默认 10）/ seconds heavy work
    /// may wait for its turn before the answer is "busy, try again" (default 10).
    #[arg(long, value_name = "SECS")]
    pub queue_wait: Option<u64>,
    /// 统一身份认证（OpenID Connect 单点登录）配置文件，见 docs/deploy.md；不给则只有本系统账号登录 /
    /// single sign-on settings (TOML; see docs/deploy.md); without it, local accounts only.
    #[arg(long, value_name = "FILE")]
    pub sso_config: Option<std::path::PathBuf>,
}

/// Serve until Ctrl-C; requests in flight are finished before the process exits.
pub async fn run(app: &App, args: &ServeArgs) -> anyhow::Result<()> {
    // The settings and the secret are read before listening: a mistake stops the start.
    let sso = match &args.sso_config {
        Some(path) => Some(jili_app::sso::Sso::new(jili_app::sso::SsoConfig::load(path)?)?),
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(&args.addr).await.map_err(|e| {
        anyhow::anyhow!("无法监听 {}：{e}。请换一个端口（--addr 127.0.0.1:8081）或关闭占用它的程序", args.addr)
    })?;
    let addr = listener.local_addr()?;
    println!("网站已启动：http://{addr}/  （按 Ctrl-C 停止）");
    let mut limits = jili_app::Capacity::server();
    if let Some(n) = args.heavy_threads {
        limits.threads = n.max(1);
    }
    if let Some(secs) = args.queue_wait {
        limits.queue_wait = std::time::Duration::from_secs(secs);
    }
    let mut state =
        jili_web::AppState::with_capacity(app.clone(), args.secure_cookies, args.trusted_proxies.clone(), limits);
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
    jili_web::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    println!("网站已停止");
    Ok(())
}
