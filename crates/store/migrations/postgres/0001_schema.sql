-- jili's schema on PostgreSQL (and PostgreSQL-derived databases): the same tables and columns,
-- in the same order, as the SQLite migrations 0001–0005 leave them. Plain SQL only: no
-- extensions. Text columns compare and sort byte-wise (COLLATE "C"), as SQLite does, so that
-- orders, and the audit seals digested in those orders, are the same on both backends.
-- Integers are BIGINT (SQLite's INTEGER), yes/no columns BOOLEAN.

CREATE TABLE departments (
    code      TEXT COLLATE "C" PRIMARY KEY,
    name      TEXT COLLATE "C" NOT NULL UNIQUE,
    full_name TEXT COLLATE "C" NOT NULL,
    lead      BOOLEAN NOT NULL,
    provider  BOOLEAN NOT NULL
);

CREATE TABLE units (
    code       TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    short_name TEXT COLLATE "C" NOT NULL,
    level      TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    parent     TEXT COLLATE "C" REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,
    plate      TEXT COLLATE "C",
    valid_from TEXT COLLATE "C" NOT NULL,
    valid_to   TEXT COLLATE "C",
    source     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX units_parent ON units(parent);

CREATE TABLE series (
    code        TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT COLLATE "C" NOT NULL,
    unit        TEXT COLLATE "C" NOT NULL,
    frequency   TEXT COLLATE "C" NOT NULL,
    owner       TEXT COLLATE "C" NOT NULL REFERENCES departments(code),
    public      BOOLEAN NOT NULL,
    nature      TEXT COLLATE "C" NOT NULL,
    additive    BOOLEAN NOT NULL,
    description TEXT COLLATE "C" NOT NULL
);

CREATE TABLE programmes (
    year   BIGINT PRIMARY KEY,
    doc_no TEXT COLLATE "C" NOT NULL,
    title  TEXT COLLATE "C" NOT NULL,
    body   TEXT COLLATE "C" NOT NULL
);

CREATE TABLE measures (
    year    BIGINT NOT NULL REFERENCES programmes(year) ON DELETE CASCADE,
    no      BIGINT NOT NULL,
    short   TEXT COLLATE "C" NOT NULL,
    lead    TEXT COLLATE "C" NOT NULL REFERENCES departments(name),
    levels  TEXT COLLATE "C" NOT NULL,
    channel TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (year, no)
);

CREATE TABLE plans (
    id          BIGSERIAL PRIMARY KEY,
    year        BIGINT NOT NULL,
    measure     BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    status      TEXT COLLATE "C" NOT NULL,
    example     BOOLEAN NOT NULL,
    source_name TEXT COLLATE "C" NOT NULL,
    toml        TEXT COLLATE "C" NOT NULL,
    sha256      TEXT COLLATE "C" NOT NULL,
    UNIQUE (year, measure, version),
    FOREIGN KEY (year, measure) REFERENCES measures(year, no)
);

CREATE TABLE batches (
    id          BIGSERIAL PRIMARY KEY,
    provider    TEXT COLLATE "C" NOT NULL REFERENCES departments(code),
    source      TEXT COLLATE "C" NOT NULL,
    demo        BOOLEAN NOT NULL,
    rows        BIGINT NOT NULL,
    sha256      TEXT COLLATE "C" NOT NULL,
    imported_at TEXT COLLATE "C" NOT NULL,
    actor       TEXT COLLATE "C" NOT NULL DEFAULT '',
    reason      TEXT COLLATE "C" NOT NULL DEFAULT '',
    revised     BIGINT NOT NULL DEFAULT 0
);

-- Observations come in batches of up to millions of rows. PostgreSQL checks a foreign key
-- with a trigger per row (locking the parent row each time), which took three quarters of a
-- bulk load; the import checks the batch's series and units against their tables once, in the
-- same transaction, before writing (see the store's bulk.rs), on both backends. Observations
-- are never deleted, nor are series and units.
-- Ids: every insert takes one past the largest id (writers hold the write lock), as SQLite
-- hands them out, so that a rolled-back insert leaves no gap and the audit subjects (batch/7,
-- run/2024/3/12 …) are the same on both backends. BIGSERIAL stays for login_failures only.
CREATE TABLE observations (
    series   TEXT COLLATE "C" NOT NULL,
    unit     TEXT COLLATE "C" NOT NULL,
    period   TEXT COLLATE "C" NOT NULL,
    revision BIGINT NOT NULL,
    value    TEXT COLLATE "C" NOT NULL,
    status   TEXT COLLATE "C" NOT NULL,
    batch_id BIGINT NOT NULL,
    PRIMARY KEY (series, unit, period, revision)
);
CREATE INDEX observations_batch ON observations (batch_id);

CREATE TABLE audit_events (
    seq          BIGINT PRIMARY KEY,
    at           TEXT COLLATE "C" NOT NULL,
    actor        TEXT COLLATE "C" NOT NULL,
    action       TEXT COLLATE "C" NOT NULL,
    subject      TEXT COLLATE "C" NOT NULL,
    detail       TEXT COLLATE "C" NOT NULL,
    prev_hash    TEXT COLLATE "C" NOT NULL,
    hash         TEXT COLLATE "C" NOT NULL,
    content      TEXT COLLATE "C" NOT NULL DEFAULT '',
    content_hash TEXT COLLATE "C" NOT NULL DEFAULT ''
);

CREATE TABLE runs (
    id            BIGSERIAL PRIMARY KEY,
    year          BIGINT NOT NULL,
    measure       BIGINT NOT NULL,
    plan_version  BIGINT NOT NULL,
    plan_sha256   TEXT COLLATE "C" NOT NULL,
    data_sha256   TEXT COLLATE "C" NOT NULL,
    seed          BIGINT NOT NULL,
    samples       BIGINT NOT NULL,
    result        TEXT COLLATE "C" NOT NULL,
    result_sha256 TEXT COLLATE "C" NOT NULL,
    run_at        TEXT COLLATE "C" NOT NULL,
    actor         TEXT COLLATE "C" NOT NULL,
    data_batch    BIGINT,
    engine        TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX runs_measure ON runs (year, measure, id);

CREATE TABLE flags (
    id        BIGSERIAL PRIMARY KEY,
    batch_id  BIGINT NOT NULL REFERENCES batches(id),
    series    TEXT COLLATE "C" NOT NULL,
    unit      TEXT COLLATE "C" NOT NULL,
    period    TEXT COLLATE "C" NOT NULL,
    code      TEXT COLLATE "C" NOT NULL,
    message   TEXT COLLATE "C" NOT NULL,
    prominent BOOLEAN NOT NULL
);
CREATE INDEX flags_batch ON flags (batch_id);

CREATE TABLE mappings (
    provider  TEXT COLLATE "C" NOT NULL REFERENCES departments(code),
    signature TEXT COLLATE "C" NOT NULL,
    mapping   TEXT COLLATE "C" NOT NULL,
    saved_at  TEXT COLLATE "C" NOT NULL,
    actor     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (provider, signature)
);

CREATE TABLE settings (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE users (
    name       TEXT COLLATE "C" PRIMARY KEY,
    display    TEXT COLLATE "C" NOT NULL,
    role       TEXT COLLATE "C" NOT NULL,
    scope      TEXT COLLATE "C" NOT NULL,
    password   TEXT COLLATE "C" NOT NULL,
    disabled   BOOLEAN NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE plan_reviews (
    id      BIGSERIAL PRIMARY KEY,
    year    BIGINT NOT NULL,
    measure BIGINT NOT NULL,
    version BIGINT NOT NULL,
    step    TEXT COLLATE "C" NOT NULL,
    comment TEXT COLLATE "C" NOT NULL,
    actor   TEXT COLLATE "C" NOT NULL,
    at      TEXT COLLATE "C" NOT NULL,
    FOREIGN KEY (year, measure, version) REFERENCES plans(year, measure, version)
);
CREATE INDEX plan_reviews_plan ON plan_reviews (year, measure, version);

CREATE TABLE budgets (
    year       BIGINT NOT NULL,
    measure    BIGINT NOT NULL,
    amount_wan TEXT COLLATE "C" NOT NULL,
    basis      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (year, measure)
);

CREATE TABLE publications (
    id           BIGSERIAL PRIMARY KEY,
    year         BIGINT NOT NULL,
    version      BIGINT NOT NULL,
    reason       TEXT COLLATE "C" NOT NULL,
    body         TEXT COLLATE "C" NOT NULL,
    sha256       TEXT COLLATE "C" NOT NULL,
    published_at TEXT COLLATE "C" NOT NULL,
    actor        TEXT COLLATE "C" NOT NULL,
    UNIQUE (year, version)
);

CREATE TABLE commendations (
    id         BIGSERIAL PRIMARY KEY,
    year       BIGINT NOT NULL,
    unit       TEXT COLLATE "C" NOT NULL REFERENCES units(code),
    inspection TEXT COLLATE "C" NOT NULL,
    practice   TEXT COLLATE "C" NOT NULL,
    actor      TEXT COLLATE "C" NOT NULL,
    at         TEXT COLLATE "C" NOT NULL
);

CREATE TABLE overrides (
    id      BIGSERIAL PRIMARY KEY,
    run_id  BIGINT NOT NULL REFERENCES runs(id),
    unit    TEXT COLLATE "C" NOT NULL REFERENCES units(code),
    outcome TEXT COLLATE "C" NOT NULL,
    reason  TEXT COLLATE "C" NOT NULL,
    actor   TEXT COLLATE "C" NOT NULL,
    at      TEXT COLLATE "C" NOT NULL
);

CREATE TABLE web_sessions (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    user_name  TEXT COLLATE "C" NOT NULL REFERENCES users(name),
    csrf       TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE login_failures (
    id     BIGSERIAL PRIMARY KEY,
    client TEXT COLLATE "C" NOT NULL,
    at     BIGINT NOT NULL
);
CREATE INDEX login_failures_client ON login_failures (client, at);

CREATE TABLE flag_notes (
    id      BIGSERIAL PRIMARY KEY,
    flag_id BIGINT NOT NULL REFERENCES flags(id),
    note    TEXT COLLATE "C" NOT NULL,
    actor   TEXT COLLATE "C" NOT NULL,
    at      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX flag_notes_flag ON flag_notes (flag_id);
