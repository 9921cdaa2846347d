//! Who may do what: every permission check of jili, in one place. Deny by default — an action
//! is allowed only by a line below that names the role (and, for scoped roles, the scope).

use crate::error::{AppError, Result};
use serde::Serialize;

/// A role, with its scope where it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Role {
    /// 省政府办公厅: programmes, plan review, runs, publication, users.
    Office,
    /// A lead department (by code): drafts, trials and submits its own measures' plans.
    Lead(String),
    /// A providing department (by code): imports data for the series it owns.
    Provider(String),
    /// 纪检监察: reads everything, verifies the audit chain, changes nothing.
    Auditor,
    /// A 市州, county or park (by code): reads its own results and explanations.
    Unit(String),
    /// Not logged in: reads what is published.
    Public,
}

impl Role {
    /// The stored name of the role.
    pub fn kind(&self) -> &'static str {
        match self {
            Role::Office => "office",
            Role::Lead(_) => "lead",
            Role::Provider(_) => "provider",
            Role::Auditor => "auditor",
            Role::Unit(_) => "unit",
            Role::Public => "public",
        }
    }

    /// The role in Chinese.
    pub fn label(&self) -> &'static str {
        match self {
            Role::Office => "省政府办公厅",
            Role::Lead(_) => "牵头单位",
            Role::Provider(_) => "数据提供部门",
            Role::Auditor => "纪检监察",
            Role::Unit(_) => "评价对象",
            Role::Public => "公众",
        }
    }

    /// The scope (department or unit code), empty for unscoped roles.
    pub fn scope(&self) -> &str {
        match self {
            Role::Lead(s) | Role::Provider(s) | Role::Unit(s) => s,
            _ => "",
        }
    }

    /// A role from its stored name and scope.
    pub fn from_parts(kind: &str, scope: &str) -> Result<Role> {
        let scoped = |make: fn(String) -> Role, what: &str| {
            if scope.trim().is_empty() {
                Err(AppError::Invalid(format!("角色 {kind} 需要用 --scope 指定{what}")))
            } else {
                Ok(make(scope.trim().to_string()))
            }
        };
        let unscoped = |role: Role| {
            if scope.trim().is_empty() {
                Ok(role)
            } else {
                Err(AppError::Invalid(format!("角色 {kind} 不分范围，请去掉 --scope {}", scope.trim())))
            }
        };
        match kind {
            "office" => unscoped(Role::Office),
            "lead" => scoped(Role::Lead, "所属牵头部门的代码（如 FGW）"),
            "provider" => scoped(Role::Provider, "所属数据提供部门的代码（如 TJJ）"),
            "auditor" => unscoped(Role::Auditor),
            "unit" => scoped(Role::Unit, "评价对象的代码（如 430100）"),
            other => Err(AppError::Invalid(format!(
                "没有角色“{other}”：可用 office、lead、provider、auditor、unit（public 是未登录的访问者，不需要账号）"
            ))),
        }
    }
}

/// Someone acting: a user, or the office at the command line, or the public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    /// The name recorded on every change.
    pub name: String,
    pub role: Role,
}

impl Principal {
    /// The office acting locally (the CLI).
    pub fn office(name: &str) -> Principal {
        Principal { name: name.to_string(), role: Role::Office }
    }

    /// Anyone not logged in.
    pub fn public() -> Principal {
        Principal { name: "公众".into(), role: Role::Public }
    }
}

/// Everything a use-case may ask permission for, with the object it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// Published results, published indicator data, published plans.
    ReadPublished,
    /// One unit's own results and explanations (its gap to the cut-off, what held it back).
    ReadUnitResults { unit: &'a str },
    /// Any run's full results and ranking.
    ReadResults,
    /// The runs and results of the measures led by `lead` (a department code), with every
    /// unit's explanation: the lead department reads what the office ran on its plan.
    ReadMeasureResults { lead: &'a str },
    /// Stored data, batches, revisions and flags (confidential series included).
    ReadData,
    /// Plans of a measure led by `lead` (a department code), drafts included.
    ReadPlans { lead: &'a str },
    /// Draft, edit, trial or submit a plan of a measure led by `lead`.
    DraftPlan { lead: &'a str },
    /// Approve, return or publish a submitted plan.
    ReviewPlan,
    /// Give, decline or revoke a data grant on a series owned by `owner` (a department code):
    /// that department's users, or the office recording the department's letter.
    DecideGrant { owner: &'a str },
    /// Import data for series owned by `owner` (a department code).
    Import { owner: &'a str },
    /// Reference data, the programme, check rules and budget lines.
    Configure,
    /// Evaluate measures and record runs.
    Run,
    /// Publish, correct publications, commend units, override a result.
    Publish,
    /// Read the audit log, verify and export it; read and export the access log.
    Audit,
    /// Add, list and disable users, reset their passwords.
    ManageUsers,
    /// Follow a job (long work started from the web): the one who started it, the office and
    /// the auditor.
    ReadJob { started_by: &'a str },
    /// Change one's own password, log out one's own sessions everywhere: every user, nobody
    /// who is not logged in.
    ManageOwnAccount,
    /// Re-check the stored data (every check, and the cross-source rules) and record the flags.
    Recheck,
    /// Make and correct data releases (定期通报主要指标数据), set their calendar. Reading a
    /// release made is [`Action::ReadPublished`].
    Release,
    /// Read the verification cases (核查案件) put to the department `provider`, with their
    /// flags, queries and answers: that department's own users, the office and the auditor.
    ReadCases { provider: &'a str },
    /// Open, query and resolve verification cases, and record why results are published while
    /// a material case is open: the office.
    ManageCases,
    /// Answer a verification case put to the department `provider`: its users, or the office
    /// recording an answer received in writing.
    AnswerCase { provider: &'a str },
    /// The watch list: open flags ranked by how much they move scores and cut-offs (which
    /// names unpublished ranks): the office and the auditor.
    Watch,
    /// The progress board (进度看板): the office and the auditor read it whole; a lead its own
    /// measures' plans; a provider the series and periods it owes. Which rows is decided in
    /// the use-case by the role's scope.
    ReadBoard,
    /// Record a disbursement (资金下达) or a use report (资金使用情况) of an award: the office,
    /// and the finance department `finance` (a department code; it pays the awards out).
    RecordFunds { finance: &'a str },
    /// Read the funds ledger (awards, disbursements, uses, recoveries): the office, the
    /// auditor (纪检监察 follows recovered money) and the finance department `finance`.
    ReadFunds { finance: &'a str },
}

impl Action<'_> {
    /// What the action is, in Chinese, for refusals.
    pub fn label(&self) -> String {
        match self {
            Action::ReadPublished => "查看已公布的结果".into(),
            Action::ReadUnitResults { unit } => format!("查看 {unit} 的评价结果与说明"),
            Action::ReadResults => "查看全部评价结果与排名".into(),
            Action::ReadMeasureResults { lead } => format!("查看 {lead} 牵头措施的评价结果与说明"),
            Action::ReadData => "查看库中数据（含不公开数据）".into(),
            Action::ReadPlans { lead } => format!("查看 {lead} 牵头措施的实施方案（含草稿）"),
            Action::DraftPlan { lead } => format!("起草、试算或提交 {lead} 牵头措施的实施方案"),
            Action::ReviewPlan => "审核（批准、退回、公布）实施方案".into(),
            Action::DecideGrant { owner } => format!("同意、拒绝或撤销 {owner} 数据项的使用授权"),
            Action::Import { owner } => format!("导入 {owner} 负责的数据"),
            Action::Configure => "维护基础数据、年度方案、校验规则和预算额度".into(),
            Action::Run => "运行评价".into(),
            Action::Publish => "发布结果、通报表扬或更正结果".into(),
            Action::Audit => "查看、核验和导出审计日志与访问日志".into(),
            Action::ManageUsers => "管理用户".into(),
            Action::ReadJob { started_by } => format!("查看 {started_by} 提交的后台任务"),
            Action::ManageOwnAccount => "修改自己的密码或退出自己的全部登录（请先登录）".into(),
            Action::Release => "通报或更正主要指标数据、修改通报日程".into(),
            Action::ReadCases { provider } => format!("查看向 {provider} 提出的数据核查案件"),
            Action::ManageCases => "立案、询问、办结数据核查案件".into(),
            Action::AnswerCase { provider } => format!("答复向 {provider} 提出的数据核查案件"),
            Action::Watch => "查看数据疑点关注清单（含对得分和入选的影响）".into(),
            Action::Recheck => "复查库中数据并记录异常提示".into(),
            Action::ReadBoard => "查看工作进度看板".into(),
            Action::RecordFunds { .. } => "登记资金下达或资金使用情况".into(),
            Action::ReadFunds { .. } => "查看资金台账".into(),
        }
    }
}

/// Whether `who` may do `action`. The one place permissions are decided.
pub fn allows(who: &Principal, action: &Action<'_>) -> bool {
    use Action as A;
    use Role as R;
    match (&who.role, action) {
        (_, A::ReadPublished) => true,
        (
            R::Office | R::Auditor,
            A::ReadUnitResults { .. }
            | A::ReadResults
            | A::ReadMeasureResults { .. }
            | A::ReadData
            | A::ReadPlans { .. },
        ) => true,
        (R::Office | R::Auditor, A::Audit) => true,
        (
            R::Office,
            A::DraftPlan { .. }
            | A::DecideGrant { .. }
            | A::ReviewPlan
            | A::Import { .. }
            | A::Configure
            | A::Recheck
            | A::Run
            | A::Publish,
        ) => true,
        (R::Office, A::ManageUsers) => true,
        (R::Office, A::Release) => true,
        (R::Office | R::Auditor, A::ReadCases { .. } | A::Watch) => true,
        (R::Office, A::ManageCases | A::AnswerCase { .. }) => true,
        (R::Provider(d), A::ReadCases { provider } | A::AnswerCase { provider }) => d == provider,
        (R::Office | R::Auditor, A::ReadJob { .. }) => true,
        (R::Office | R::Auditor | R::Lead(_) | R::Provider(_), A::ReadBoard) => true,
        (R::Public, A::ReadJob { .. }) => false,
        (_, A::ReadJob { started_by }) => who.name == *started_by,
        (R::Office | R::Lead(_) | R::Provider(_) | R::Auditor | R::Unit(_), A::ManageOwnAccount) => true,
        (R::Lead(d), A::ReadPlans { lead } | A::DraftPlan { lead } | A::ReadMeasureResults { lead }) => d == lead,
        (R::Provider(d), A::Import { owner }) => d == owner,
        (R::Lead(d) | R::Provider(d), A::DecideGrant { owner }) => d == owner,
        (R::Unit(code), A::ReadUnitResults { unit }) => code == unit,
        (R::Office, A::RecordFunds { .. }) => true,
        (R::Office | R::Auditor, A::ReadFunds { .. }) => true,
        (R::Lead(d) | R::Provider(d), A::RecordFunds { finance } | A::ReadFunds { finance }) => d == finance,
        _ => false,
    }
}

/// [`allows`], as an error that says who was refused what.
pub fn check(who: &Principal, action: &Action<'_>) -> Result<()> {
    if allows(who, action) {
        return Ok(());
    }
    let scope = who.role.scope();
    let scope = if scope.is_empty() { String::new() } else { format!("，{scope}") };
    Err(AppError::Denied(format!(
        "无权限：{}（{}{scope}）不能{}。如需此权限，请联系省政府办公厅的系统管理员",
        who.name,
        who.role.label(),
        action.label()
    )))
}
