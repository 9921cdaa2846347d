-- Data grants (issue 16): a department's consent that one lead department may use one of its
-- confidential series (原则上不向社会公布) in one measure's plan of one year. Records, sealed
-- and audited like every other decision.
CREATE TABLE data_grants (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    measure      INTEGER NOT NULL,
    series       TEXT NOT NULL REFERENCES series(code),
    owner        TEXT NOT NULL REFERENCES departments(code),
    grantee      TEXT NOT NULL REFERENCES departments(code),
    status       TEXT NOT NULL,        -- requested / granted / declined / revoked
    reason       TEXT NOT NULL,        -- why the lead asks
    basis        TEXT NOT NULL,        -- the owner's decision (a letter, a note); '' until decided
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_by   TEXT NOT NULL,        -- '' until decided
    decided_at   TEXT NOT NULL
);
CREATE INDEX data_grants_scope ON data_grants (year, measure, grantee);
