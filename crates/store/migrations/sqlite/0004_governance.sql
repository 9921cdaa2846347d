-- Governance (issue 5): users and their roles, the review trail of plans, reward budgets,
-- publications, commendations and result overrides. Audit events now seal what they changed:
-- `content` lists the record's fields (or digests of them) as stored, `content_hash` is its
-- sha256 and is covered by the event's own hash, so `jili audit verify` can re-hash the
-- records and say what was edited behind the application's back.
CREATE TABLE users (
    name       TEXT PRIMARY KEY,
    display    TEXT NOT NULL,
    role       TEXT NOT NULL,          -- office / lead / provider / auditor / unit
    scope      TEXT NOT NULL,          -- department code (lead, provider), unit code (unit), or ''
    password   TEXT NOT NULL,          -- argon2id, PHC string
    disabled   INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

-- Each step of a plan version: submitted, returned (with the office's comment), approved,
-- published. The plan row carries the current status; this is the history.
CREATE TABLE plan_reviews (
    id      INTEGER PRIMARY KEY,
    year    INTEGER NOT NULL,
    measure INTEGER NOT NULL,
    version INTEGER NOT NULL,
    step    TEXT NOT NULL,
    comment TEXT NOT NULL,
    actor   TEXT NOT NULL,
    at      TEXT NOT NULL,
    FOREIGN KEY (year, measure, version) REFERENCES plans(year, measure, version)
);
CREATE INDEX plan_reviews_plan ON plan_reviews (year, measure, version);

-- The budget line of a measure (万元, exact decimal as text) that its rewards must fit.
CREATE TABLE budgets (
    year       INTEGER NOT NULL,
    measure    INTEGER NOT NULL,
    amount_wan TEXT NOT NULL,
    basis      TEXT NOT NULL,          -- where the figure comes from (a budget document)
    PRIMARY KEY (year, measure)
);

-- A publication: a frozen set of runs with the main indicator data of a period. Never
-- changed; a correction is a new version with its reason.
CREATE TABLE publications (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    body         TEXT NOT NULL,        -- JSON: runs, winners, rewards, indicator data
    sha256       TEXT NOT NULL,
    published_at TEXT NOT NULL,
    actor        TEXT NOT NULL,
    UNIQUE (year, version)
);

-- 通报表扬: a unit whose practice an inspection affirmed.
CREATE TABLE commendations (
    id         INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL,
    unit       TEXT NOT NULL REFERENCES units(code),
    inspection TEXT NOT NULL,          -- 国务院综合督查 / 省政府综合督查
    practice   TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL
);

-- The office overriding one unit's outcome in a run: always with a reason, always public.
CREATE TABLE overrides (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES runs(id),
    unit    TEXT NOT NULL REFERENCES units(code),
    outcome TEXT NOT NULL,             -- winner / not
    reason  TEXT NOT NULL,
    actor   TEXT NOT NULL,
    at      TEXT NOT NULL
);

ALTER TABLE runs ADD COLUMN engine TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN content TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX observations_batch ON observations (batch_id);
