-- Re-checks of stored data (issue 22): the same tables as SQLite's 0011_rechecks.sql.
CREATE TABLE rechecks (
    id         BIGINT PRIMARY KEY,
    at         TEXT COLLATE "C" NOT NULL,
    actor      TEXT COLLATE "C" NOT NULL,
    scope      TEXT COLLATE "C" NOT NULL,
    as_of      TEXT COLLATE "C" NOT NULL,
    last_batch BIGINT NOT NULL,
    checked    BIGINT NOT NULL,
    added      BIGINT NOT NULL
);
CREATE TABLE recheck_flags (
    flag_id     BIGINT PRIMARY KEY REFERENCES flags(id),
    recheck_id  BIGINT NOT NULL REFERENCES rechecks(id),
    office_only BOOLEAN NOT NULL
);
CREATE INDEX recheck_flags_recheck ON recheck_flags (recheck_id);
