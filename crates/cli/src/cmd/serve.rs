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
}

/// Serve until Ctrl-C; requests in flight are finished before the process exits.
pub async fn run(app: &App, args: &ServeArgs) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(&args.addr).await.map_err(|e| {
        anyhow::anyhow!("无法监听 {}：{e}。请换一个端口（--addr 127.0.0.1:8081）或关闭占用它的程序", args.addr)
    })?;
    let addr = listener.local_addr()?;
    println!("网站已启动：http://{addr}/  （按 Ctrl-C 停止）");
    let state = jili_web::AppState::behind_proxies(app.clone(), args.secure_cookies, args.trusted_proxies.clone());
    jili_web::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    println!("网站已停止");
    Ok(())
}
