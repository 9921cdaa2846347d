-- Single sign-on (SQLite migration 0016_sso.sql, which says what it is for): the same tables
-- and columns in the same order.
CREATE TABLE sso_logins (
    state_hash TEXT COLLATE "C" PRIMARY KEY,
    nonce      TEXT COLLATE "C" NOT NULL,
    verifier   TEXT COLLATE "C" NOT NULL,
    next       TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE sso_identities (
    issuer     TEXT COLLATE "C" NOT NULL,
    subject    TEXT COLLATE "C" NOT NULL,
    user_name  TEXT COLLATE "C" NOT NULL REFERENCES users(name),
    created_at TEXT COLLATE "C" NOT NULL,
    last_login TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX sso_identities_user ON sso_identities (user_name);
