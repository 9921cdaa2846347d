-- Jobs (issue 20): see migrations/sqlite/0007_jobs.sql. Operational state, not sealed; ids
-- come from a sequence (no audit subject names them).
CREATE TABLE jobs (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL,
    title       TEXT COLLATE "C" NOT NULL,
    started_by  TEXT COLLATE "C" NOT NULL,
    status      TEXT COLLATE "C" NOT NULL,
    done_steps  BIGINT NOT NULL,
    total_steps BIGINT NOT NULL,
    message     TEXT COLLATE "C" NOT NULL,
    link        TEXT COLLATE "C" NOT NULL,
    result      TEXT COLLATE "C" NOT NULL,
    runner      TEXT COLLATE "C" NOT NULL,
    created_at  TEXT COLLATE "C" NOT NULL,
    started_at  TEXT COLLATE "C" NOT NULL,
    finished_at TEXT COLLATE "C" NOT NULL,
    heartbeat   BIGINT NOT NULL
);
CREATE INDEX jobs_started_by ON jobs (started_by, id);
CREATE INDEX jobs_status ON jobs (status);
