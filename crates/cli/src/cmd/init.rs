//! `jili init`: a database for real data: reference data, the programme and example plans.

use jili_app::App;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    seal: SealArg,
}

/// `--seal`: the hash of a new database's audit chain and seals, chosen once.
#[derive(Debug, clap::Args)]
pub struct SealArg {
    /// 审计链、记录封存和内容指纹的摘要算法：sha256（默认）或 sm3（国密 GB/T 32905）；建库时选定，之后不能更改
    /// / the hash of the audit chain and seals: sha256 (default) or sm3; chosen when the database is created.
    #[arg(long = "seal", value_name = "ALGORITHM", default_value = "sha256")]
    seal: String,
}

impl SealArg {
    /// The algorithm named, or a message listing the choices.
    pub fn algorithm(&self) -> anyhow::Result<jili_app::SealAlgorithm> {
        jili_app::SealAlgorithm::parse(&self.seal)
            .ok_or_else(|| anyhow::anyhow!("--seal 只能是 sha256 或 sm3（国密 GB/T 32905），收到“{}”", self.seal))
    }
}

pub async fn run(app: &App, db: &str, args: Args) -> anyhow::Result<()> {
    let s = app.init_sealed(args.seal.algorithm()?).await?;
    println!("数据库已初始化：{db}（审计链与记录封存的摘要算法：{}）", s.seal_algorithm);
    println!("  参考数据：部门 {} 个，单位 {} 个（含已撤销的旧代码），数据项 {} 个", s.departments, s.units, s.series);
    println!("  年度激励方案 {} 个，示例实施方案 {} 份（示例，正式方案由牵头单位制定）", s.programmes, s.plans);
    println!("下一步：jili import 文件.xlsx --provider TJJ 导入数据提供部门的数据（--dry-run 只校验不入库）");
    Ok(())
}
