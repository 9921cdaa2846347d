-- Data grants (issue 16): the same table as SQLite's 0010_grants.sql.
CREATE TABLE data_grants (
    id           BIGINT PRIMARY KEY,
    year         BIGINT NOT NULL,
    measure      BIGINT NOT NULL,
    series       TEXT COLLATE "C" NOT NULL REFERENCES series(code),
    owner        TEXT COLLATE "C" NOT NULL REFERENCES departments(code),
    grantee      TEXT COLLATE "C" NOT NULL REFERENCES departments(code),
    status       TEXT COLLATE "C" NOT NULL,
    reason       TEXT COLLATE "C" NOT NULL,
    basis        TEXT COLLATE "C" NOT NULL,
    requested_by TEXT COLLATE "C" NOT NULL,
    requested_at TEXT COLLATE "C" NOT NULL,
    decided_by   TEXT COLLATE "C" NOT NULL,
    decided_at   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX data_grants_scope ON data_grants (year, measure, grantee);
