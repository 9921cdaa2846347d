-- The access log (SQLite migration 0006_access.sql, which says what it is for): the same table
-- and columns in the same order. Its ids come from a sequence, as login_failures' do: it is
-- written without the audit lock and never sealed.
CREATE TABLE access_log (
    id        BIGSERIAL PRIMARY KEY,
    at        TEXT COLLATE "C" NOT NULL,
    user_name TEXT COLLATE "C" NOT NULL,
    role      TEXT COLLATE "C" NOT NULL,
    scope     TEXT COLLATE "C" NOT NULL,
    client    TEXT COLLATE "C" NOT NULL,
    event     TEXT COLLATE "C" NOT NULL,
    target    TEXT COLLATE "C" NOT NULL,
    outcome   TEXT COLLATE "C" NOT NULL,
    detail    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX access_log_at ON access_log (at);
CREATE INDEX access_log_user ON access_log (user_name, at);
CREATE INDEX access_log_client ON access_log (client, at);
