//! The configuration file of `jili serve --config /etc/jili/jili.toml` (or `JILI_CONFIG`):
//! TOML, one section per concern, every key optional. A flag or environment variable given
//! beats the file; the file beats the built-in default (docs/operations.md lists every setting
//! once: flag, key, variable, default). A key jili does not know is refused with the file and
//! the line, so a misspelt setting is never silently ignored. Secrets (a database password) are
//! never written here: they come from the environment or from a file of their own
//! (`database.url_file`), which can be readable by jili alone.
//!
//! A new section is a field of [`ConfigFile`] with a struct of its own that denies unknown
//! fields, like the ones below.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// The largest configuration file read (it is a few hundred bytes).
const MAX_CONFIG: u64 = 256 * 1024;
/// The largest secret file read (a URL or a token).
const MAX_SECRET: u64 = 8 * 1024;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub database: DatabaseSection,
    #[serde(default)]
    pub server: ServerSection,
    #[serde(default)]
    pub log: LogSection,
    #[serde(default)]
    pub metrics: MetricsSection,
    /// Single sign-on written in place (the same keys as a `--sso-config` file, docs/deploy.md).
    #[serde(default)]
    pub sso: Option<jili_app::sso::SsoConfig>,
}

/// `[database]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSection {
    /// The database: a SQLite path or `postgres://user@host/db` — without a password.
    pub url: Option<String>,
    /// A file holding the database URL (with its password), read at start.
    pub url_file: Option<PathBuf>,
}

/// `[server]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSection {
    pub addr: Option<String>,
    pub secure_cookies: Option<bool>,
    pub trusted_proxies: Option<Vec<IpAddr>>,
    pub heavy_threads: Option<usize>,
    pub queue_wait: Option<u64>,
    /// The name recorded as actor of what the server itself writes.
    pub actor: Option<String>,
}

/// `[log]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSection {
    pub format: Option<String>,
    pub level: Option<String>,
}

/// `[metrics]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSection {
    /// The operator's listener (`/metrics`, `/healthz`, `/readyz`); none when unset.
    pub listen: Option<String>,
}

impl ConfigFile {
    /// Read and check the file at `path`.
    pub fn load(path: &Path) -> anyhow::Result<ConfigFile> {
        let bytes = crate::cmd::read_bounded(path, MAX_CONFIG, "配置文件")?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("配置文件“{}”不是 UTF-8 文本：请用 UTF-8 保存", path.display()))?;
        let file: ConfigFile = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("配置文件“{}”有误（设置项见 docs/operations.md）：{e}", path.display()))?;
        file.check(path)?;
        Ok(file)
    }

    /// What serde cannot say: no password in the file, one database source only.
    fn check(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(url) = &self.database.url {
            if self.database.url_file.is_some() {
                bail!("配置文件“{}”：[database] 的 url 和 url_file 只能写一个", path.display());
            }
            if jili_app::redact(url) != *url || url.to_ascii_lowercase().contains("password=") {
                bail!(
                    "配置文件“{}”：[database] url 含密码。密码不写在配置文件里：把完整地址放进只有 jili 能读的文件，\
                     写 url_file = \"/etc/jili/database-url\"，或用环境变量 JILI_DATABASE_URL",
                    path.display()
                );
            }
        }
        if let Some(sso) = &self.sso {
            sso.check().map_err(|reason| anyhow::anyhow!("配置文件“{}”的 [sso]：{reason}", path.display()))?;
        }
        Ok(())
    }
}

/// The database URL: the flag or `JILI_DATABASE_URL` (`given`), else the file named by
/// `JILI_DATABASE_URL_FILE`, else the configuration file's, else `jili.db`.
pub fn database_url(given: Option<String>, file: &ConfigFile) -> anyhow::Result<String> {
    if let Some(url) = given {
        return Ok(url);
    }
    if let Some(path) = std::env::var_os("JILI_DATABASE_URL_FILE") {
        return read_secret(Path::new(&path), "JILI_DATABASE_URL_FILE");
    }
    if let Some(path) = &file.database.url_file {
        return read_secret(path, "[database] url_file");
    }
    Ok(file.database.url.clone().unwrap_or_else(|| "jili.db".to_string()))
}

/// A secret kept in a file of its own: its first line, trimmed.
fn read_secret(path: &Path, setting: &str) -> anyhow::Result<String> {
    let bytes = crate::cmd::read_bounded(path, MAX_SECRET, setting)?;
    let text = String::from_utf8(bytes).with_context(|| format!("{setting} 指定的文件“{}”不是文本", path.display()))?;
    let line = text.lines().next().unwrap_or("").trim().to_string();
    if line.is_empty() {
        bail!("{setting} 指定的文件“{}”是空的：应写一行数据库地址", path.display());
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(text: &str) -> anyhow::Result<ConfigFile> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jili.toml");
        std::fs::write(&path, text).unwrap();
        ConfigFile::load(&path)
    }

    #[test]
    fn every_section_reads() {
        let c = parse(
            "[database]\nurl = \"postgres://jili@db/jili\"\n[server]\naddr = \"0.0.0.0:8080\"\nsecure_cookies = true\n\
             trusted_proxies = [\"10.0.0.1\"]\nheavy_threads = 3\nqueue_wait = 20\nactor = \"网站\"\n\
             [log]\nformat = \"json\"\nlevel = \"warn\"\n[metrics]\nlisten = \"127.0.0.1:9100\"\n",
        )
        .unwrap();
        assert_eq!(c.server.addr.as_deref(), Some("0.0.0.0:8080"));
        assert_eq!(c.server.trusted_proxies.as_ref().map(Vec::len), Some(1));
        assert_eq!(c.metrics.listen.as_deref(), Some("127.0.0.1:9100"));
        assert_eq!(database_url(None, &c).unwrap(), "postgres://jili@db/jili");
        assert_eq!(database_url(Some("x.db".into()), &c).unwrap(), "x.db", "a flag beats the file");
        assert_eq!(database_url(None, &ConfigFile::default()).unwrap(), "jili.db");
    }

    #[test]
    fn an_unknown_key_is_refused_naming_the_key_and_the_file() {
        let e = parse("[server]\nadress = \"0.0.0.0:80\"\n").unwrap_err().to_string();
        assert!(e.contains("adress") && e.contains("jili.toml") && e.contains("line 2"), "{e}");
        let e = parse("[serve]\naddr = \"x\"\n").unwrap_err().to_string();
        assert!(e.contains("serve") && e.contains("jili.toml"), "{e}");
    }

    #[test]
    fn single_sign_on_reads_in_place_and_refuses_a_secret_written_there() {
        let sso = "[sso]\nissuer = \"https://idp.example.gov.cn\"\nclient_id = \"jili\"\n\
                   client_secret_env = \"JILI_SSO_SECRET\"\nredirect_url = \"https://jili.example.gov.cn/sso/callback\"\n\
                   role_claim = \"dept\"\n[[sso.map]]\nvalue = \"office\"\nrole = \"office\"\n";
        let c = parse(sso).unwrap();
        assert_eq!(c.sso.as_ref().map(|s| s.client_id.as_str()), Some("jili"));
        let e = parse(&sso.replace("client_secret_env = \"JILI_SSO_SECRET\"", "client_secret = \"s3cret\""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("[sso]") && e.contains("client_secret") && !e.contains("s3cret"), "{e}");
    }

    #[test]
    fn a_password_in_the_file_is_refused_and_a_secret_file_is_read() {
        let e = parse("[database]\nurl = \"postgres://jili:secret@db/jili\"\n").unwrap_err().to_string();
        assert!(e.contains("url_file") && !e.contains("secret@"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("database-url");
        std::fs::write(&secret, "postgres://jili:secret@db/jili\n").unwrap();
        let c = parse(&format!("[database]\nurl_file = {:?}\n", secret.display().to_string())).unwrap();
        assert_eq!(database_url(None, &c).unwrap(), "postgres://jili:secret@db/jili");
    }
}
