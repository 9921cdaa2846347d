-- The web (issue 6). Sessions and failed logins are operational state, not records: they are
-- kept in the database (not in one server's memory) so that every `jili serve` process on the
-- same database knows them, and they are not sealed in the audit log. Notes on anomaly flags
-- are records (a provider explains a value) and are sealed like every other record.
CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY,      -- sha256 of the cookie's token; the token itself is never stored
    user_name  TEXT NOT NULL REFERENCES users(name),
    csrf       TEXT NOT NULL,         -- the form token of this session
    created_at INTEGER NOT NULL,      -- unix seconds
    expires_at INTEGER NOT NULL
);

CREATE TABLE login_failures (
    id     INTEGER PRIMARY KEY,
    client TEXT NOT NULL,             -- the user name tried, or the client address
    at     INTEGER NOT NULL           -- unix seconds
);
CREATE INDEX login_failures_client ON login_failures (client, at);

CREATE TABLE flag_notes (
    id      INTEGER PRIMARY KEY,
    flag_id INTEGER NOT NULL REFERENCES flags(id),
    note    TEXT NOT NULL,
    actor   TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX flag_notes_flag ON flag_notes (flag_id);
