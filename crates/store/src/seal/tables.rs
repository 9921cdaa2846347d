//! Every table jili writes, with the object its rows belong to and how they are sealed. A test
//! in `seal` compares this list with the schema, so a column added by a migration cannot be
//! left out.

/// How a table's rows appear in its object's seal.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Section {
    /// One row per object: each column is its own section `table.column`.
    Fields,
    /// Many rows per object: one section `table`, the row count and a digest.
    Rows,
    /// Many rows per object, split by a column's value: sections `table:value`.
    RowsBy(&'static str),
}

/// A sealed table.
#[derive(Debug)]
pub(crate) struct Table {
    pub name: &'static str,
    /// Every column, in schema order.
    pub columns: &'static [&'static str],
    /// The object's kind (`batch`, `plan` …).
    pub kind: &'static str,
    /// The columns naming the object after its kind, each with a prefix (`v` for versions).
    pub keys: &'static [(&'static str, &'static str)],
    pub section: Section,
    /// The row order digests are taken in (the primary key).
    pub order: &'static str,
}

/// Every table jili writes, except the audit log itself (the chain covers it).
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "departments",
        columns: &["code", "name", "full_name", "lead", "provider"],
        kind: "reference",
        keys: &[],
        section: Section::Rows,
        order: "code",
    },
    Table {
        name: "units",
        columns: &[
            "code",
            "name",
            "short_name",
            "level",
            "kind",
            "parent",
            "plate",
            "valid_from",
            "valid_to",
            "source",
        ],
        kind: "reference",
        keys: &[],
        section: Section::Rows,
        order: "code",
    },
    Table {
        name: "series",
        columns: &["code", "name", "unit", "frequency", "owner", "public", "nature", "additive", "description"],
        kind: "reference",
        keys: &[],
        section: Section::Rows,
        order: "code",
    },
    Table {
        name: "programmes",
        columns: &["year", "doc_no", "title", "body"],
        kind: "programme",
        keys: &[("", "year")],
        section: Section::Fields,
        order: "year",
    },
    Table {
        name: "measures",
        columns: &["year", "no", "short", "lead", "levels", "channel"],
        kind: "programme",
        keys: &[("", "year")],
        section: Section::Rows,
        order: "year, no",
    },
    Table {
        name: "plans",
        columns: &["id", "year", "measure", "version", "status", "example", "source_name", "toml", "sha256"],
        kind: "plan",
        keys: &[("", "year"), ("", "measure"), ("v", "version")],
        section: Section::Fields,
        order: "year, measure, version",
    },
    Table {
        name: "plan_reviews",
        columns: &["id", "year", "measure", "version", "step", "comment", "actor", "at"],
        kind: "plan",
        keys: &[("", "year"), ("", "measure"), ("v", "version")],
        section: Section::Rows,
        order: "id",
    },
    Table {
        name: "batches",
        columns: &["id", "provider", "source", "demo", "rows", "sha256", "imported_at", "actor", "reason", "revised"],
        kind: "batch",
        keys: &[("", "id")],
        section: Section::Fields,
        order: "id",
    },
    Table {
        name: "observations",
        columns: &["series", "unit", "period", "revision", "value", "status", "batch_id"],
        kind: "batch",
        keys: &[("", "batch_id")],
        section: Section::RowsBy("series"),
        order: "series, unit, period, revision",
    },
    Table {
        name: "flags",
        columns: &["id", "batch_id", "series", "unit", "period", "code", "message", "prominent"],
        kind: "batch",
        keys: &[("", "batch_id")],
        section: Section::Rows,
        order: "id",
    },
    Table {
        name: "mappings",
        columns: &["provider", "signature", "mapping", "saved_at", "actor"],
        kind: "mapping",
        keys: &[("", "provider"), ("", "signature")],
        section: Section::Fields,
        order: "provider, signature",
    },
    Table {
        name: "settings",
        columns: &["key", "value"],
        kind: "setting",
        keys: &[("", "key")],
        section: Section::Fields,
        order: "key",
    },
    Table {
        name: "runs",
        columns: &[
            "id",
            "year",
            "measure",
            "plan_version",
            "plan_sha256",
            "data_sha256",
            "seed",
            "samples",
            "result",
            "result_sha256",
            "run_at",
            "actor",
            "data_batch",
            "engine",
        ],
        kind: "run",
        keys: &[("", "year"), ("", "measure"), ("", "id")],
        section: Section::Fields,
        order: "id",
    },
    Table {
        name: "users",
        columns: &["name", "display", "role", "scope", "password", "disabled", "created_at"],
        kind: "user",
        keys: &[("", "name")],
        section: Section::Fields,
        order: "name",
    },
    Table {
        name: "budgets",
        columns: &["year", "measure", "amount_wan", "basis"],
        kind: "budget",
        keys: &[("", "year"), ("", "measure")],
        section: Section::Fields,
        order: "year, measure",
    },
    Table {
        name: "publications",
        columns: &["id", "year", "version", "reason", "body", "sha256", "published_at", "actor"],
        kind: "publication",
        keys: &[("", "year"), ("v", "version")],
        section: Section::Fields,
        order: "id",
    },
    Table {
        name: "data_releases",
        columns: &[
            "id",
            "calendar",
            "cutoff",
            "version",
            "title",
            "demo",
            "reason",
            "body",
            "sha256",
            "released_at",
            "actor",
        ],
        kind: "release",
        keys: &[("", "calendar"), ("", "cutoff"), ("v", "version")],
        section: Section::Fields,
        order: "id",
    },
    Table {
        name: "commendations",
        columns: &["id", "year", "unit", "inspection", "practice", "actor", "at"],
        kind: "commendation",
        keys: &[("", "id")],
        section: Section::Fields,
        order: "id",
    },
    Table {
        name: "data_grants",
        columns: &[
            "id",
            "year",
            "measure",
            "series",
            "owner",
            "grantee",
            "status",
            "reason",
            "basis",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
        ],
        kind: "grant",
        keys: &[("", "id")],
        section: Section::Fields,
        order: "id",
    },
    Table {
        name: "publication_requests",
        columns: &["id", "year", "reason", "requested_by", "requested_at", "status", "decided_by", "decided_at"],
        kind: "publication_request",
        keys: &[("", "id")],
        section: Section::Fields,
        order: "id",
    },
    Table {
        name: "overrides",
        columns: &["id", "run_id", "unit", "outcome", "reason", "actor", "at"],
        kind: "override",
        keys: &[("", "id")],
        section: Section::Fields,
        order: "id",
    },
    Table {
        name: "rechecks",
        columns: &["id", "at", "actor", "scope", "as_of", "last_batch", "checked", "added"],
        kind: "recheck",
        keys: &[("", "id")],
        section: Section::Fields,
        order: "id",
    },
    Table {
        name: "recheck_flags",
        columns: &["flag_id", "recheck_id", "office_only"],
        kind: "recheck",
        keys: &[("", "recheck_id")],
        section: Section::Rows,
        order: "flag_id",
    },
    Table {
        name: "flag_notes",
        columns: &["id", "flag_id", "note", "actor", "at"],
        kind: "flagnote",
        keys: &[("", "id")],
        section: Section::Fields,
        order: "id",
    },
    // Verification cases (issue 22): a case, its flags and its steps are one object.
    Table {
        name: "cases",
        columns: &["id", "title", "provider", "status", "opened_by", "opened_at", "closed_by", "closed_at"],
        kind: "case",
        keys: &[("", "id")],
        section: Section::Fields,
        order: "id",
    },
    Table {
        name: "case_flags",
        columns: &["case_id", "flag_id"],
        kind: "case",
        keys: &[("", "case_id")],
        section: Section::Rows,
        order: "case_id, flag_id",
    },
    Table {
        name: "case_steps",
        columns: &["id", "case_id", "step", "text", "batch_id", "request_id", "evidence", "actor", "at"],
        kind: "case",
        keys: &[("", "case_id")],
        section: Section::Rows,
        order: "id",
    },
    // The office's calendar (issue 18): a year's dates are one object.
    Table {
        name: "calendar_dates",
        columns: &["year", "kind", "subject", "period", "due", "note", "actor", "at"],
        kind: "calendar",
        keys: &[("", "year")],
        section: Section::Rows,
        order: "kind, subject, period",
    },
    // The funds journal (issue 18): each entry is its own object, never changed.
    Table {
        name: "fund_entries",
        columns: &[
            "id",
            "year",
            "measure",
            "unit",
            "kind",
            "amount_wan",
            "doc_no",
            "date",
            "channel",
            "note",
            "case_id",
            "run_id",
            "award_wan",
            "refill",
            "actor",
            "at",
        ],
        kind: "fund",
        keys: &[("", "id")],
        section: Section::Fields,
        order: "id",
    },
];

/// Tables of operational state that are not records and so are not sealed: web sessions and
/// failed logins change on every login, the access log grows with every login and refusal,
/// and none says anything about the programme's results; jobs say where long work stands (what
/// it did is recorded by the use-case it ran); single sign-ons under way are used once, and the
/// link of a provider's subject to its user changes at every login (the user row it names is
/// sealed). Their columns are still checked against the schema.
pub(crate) const UNSEALED: &[(&str, &[&str])] = &[
    (
        "jobs",
        &[
            "id",
            "kind",
            "title",
            "started_by",
            "status",
            "done_steps",
            "total_steps",
            "message",
            "link",
            "result",
            "runner",
            "created_at",
            "started_at",
            "finished_at",
            "heartbeat",
        ],
    ),
    ("web_sessions", &["token_hash", "user_name", "csrf", "created_at", "expires_at"]),
    ("login_failures", &["id", "client", "at"]),
    ("sso_logins", &["state_hash", "nonce", "verifier", "next", "created_at", "expires_at"]),
    ("sso_identities", &["issuer", "subject", "user_name", "created_at", "last_login"]),
    ("access_log", &["id", "at", "user_name", "role", "scope", "client", "event", "target", "outcome", "detail"]),
];

/// What a column holds, where the backends spell it differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    /// SQLite INTEGER, PostgreSQL BIGINT.
    Integer,
    /// SQLite INTEGER 0/1, PostgreSQL BOOLEAN; sealed and copied as 0/1 on both.
    Boolean,
}

/// Yes/no columns (`table.column`).
const BOOLEANS: &[&str] = &[
    "departments.lead",
    "departments.provider",
    "series.public",
    "series.additive",
    "plans.example",
    "batches.demo",
    "flags.prominent",
    "recheck_flags.office_only",
    "users.disabled",
    "data_releases.demo",
];

/// Integer columns (`table.column`); every column not listed here or in [`BOOLEANS`] is text.
/// A test compares both lists with the schema of each backend.
const INTEGERS: &[&str] = &[
    "programmes.year",
    "measures.year",
    "measures.no",
    "plans.id",
    "plans.year",
    "plans.measure",
    "plans.version",
    "plan_reviews.id",
    "plan_reviews.year",
    "plan_reviews.measure",
    "plan_reviews.version",
    "batches.id",
    "batches.rows",
    "batches.revised",
    "observations.revision",
    "observations.batch_id",
    "flags.id",
    "flags.batch_id",
    "runs.id",
    "runs.year",
    "runs.measure",
    "runs.plan_version",
    "runs.seed",
    "runs.samples",
    "runs.data_batch",
    "budgets.year",
    "budgets.measure",
    "publications.id",
    "publications.year",
    "publications.version",
    "data_releases.id",
    "data_releases.version",
    "commendations.id",
    "commendations.year",
    "data_grants.id",
    "data_grants.year",
    "data_grants.measure",
    "publication_requests.id",
    "publication_requests.year",
    "overrides.id",
    "overrides.run_id",
    "flag_notes.id",
    "flag_notes.flag_id",
    "cases.id",
    "case_flags.case_id",
    "case_flags.flag_id",
    "case_steps.id",
    "case_steps.case_id",
    "case_steps.batch_id",
    "case_steps.request_id",
    "calendar_dates.year",
    "fund_entries.id",
    "fund_entries.year",
    "fund_entries.measure",
    "fund_entries.case_id",
    "fund_entries.run_id",
    "rechecks.id",
    "rechecks.last_batch",
    "rechecks.checked",
    "rechecks.added",
    "recheck_flags.flag_id",
    "recheck_flags.recheck_id",
    "web_sessions.created_at",
    "web_sessions.expires_at",
    "login_failures.id",
    "login_failures.at",
    "sso_logins.created_at",
    "sso_logins.expires_at",
    "access_log.id",
    "audit_events.seq",
    "jobs.id",
    "jobs.done_steps",
    "jobs.total_steps",
    "jobs.heartbeat",
];

/// The kind of `table.column`.
pub(crate) fn kind(table: &str, column: &str) -> Kind {
    let name = format!("{table}.{column}");
    if BOOLEANS.contains(&name.as_str()) {
        Kind::Boolean
    } else if INTEGERS.contains(&name.as_str()) {
        Kind::Integer
    } else {
        Kind::Text
    }
}

/// The audit log's columns, in schema order (the chain itself covers them).
pub(crate) const AUDIT_COLUMNS: &[&str] =
    &["seq", "at", "actor", "action", "subject", "detail", "prev_hash", "hash", "content", "content_hash"];
