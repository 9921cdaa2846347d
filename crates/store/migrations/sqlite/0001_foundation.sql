-- Reference data, the programme, plans, observations and the audit chain.
CREATE TABLE departments (
    code      TEXT PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    lead      INTEGER NOT NULL,
    provider  INTEGER NOT NULL
);

CREATE TABLE units (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    short_name TEXT NOT NULL,
    level      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    parent     TEXT REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,
    plate      TEXT,
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    source     TEXT NOT NULL
);
CREATE INDEX units_parent ON units(parent);

CREATE TABLE series (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL,
    frequency   TEXT NOT NULL,
    owner       TEXT NOT NULL REFERENCES departments(code),
    public      INTEGER NOT NULL,
    nature      TEXT NOT NULL,
    additive    INTEGER NOT NULL,
    description TEXT NOT NULL
);

CREATE TABLE programmes (
    year   INTEGER PRIMARY KEY,
    doc_no TEXT NOT NULL,
    title  TEXT NOT NULL,
    body   TEXT NOT NULL           -- the whole programme as JSON, as read from its TOML
);

CREATE TABLE measures (
    year    INTEGER NOT NULL REFERENCES programmes(year) ON DELETE CASCADE,
    no      INTEGER NOT NULL,
    short   TEXT NOT NULL,
    lead    TEXT NOT NULL REFERENCES departments(name),
    levels  TEXT NOT NULL,
    channel TEXT NOT NULL,
    PRIMARY KEY (year, no)
);

CREATE TABLE plans (
    id          INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL,
    measure     INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    example     INTEGER NOT NULL,
    source_name TEXT NOT NULL,
    toml        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    UNIQUE (year, measure, version),
    FOREIGN KEY (year, measure) REFERENCES measures(year, no)
);

CREATE TABLE batches (
    id          INTEGER PRIMARY KEY,
    provider    TEXT NOT NULL REFERENCES departments(code),
    source      TEXT NOT NULL,
    demo        INTEGER NOT NULL,
    rows        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

-- A new value for an existing (series, unit, period) is a new revision; nothing is overwritten.
CREATE TABLE observations (
    series   TEXT NOT NULL REFERENCES series(code),
    unit     TEXT NOT NULL REFERENCES units(code),
    period   TEXT NOT NULL,
    revision INTEGER NOT NULL,
    value    TEXT NOT NULL,        -- exact decimal as reported
    status   TEXT NOT NULL,
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    PRIMARY KEY (series, unit, period, revision)
);

-- Append-only; each row's hash covers the previous row's hash.
CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
