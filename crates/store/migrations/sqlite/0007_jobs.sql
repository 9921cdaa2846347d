-- Jobs (issue 20): long work started from the web (evaluating every measure, a confirmed
-- import, verifying the audit chain) runs in the server after the request has been answered;
-- this table says where each one stands, for its page and the API. Jobs are operational state,
-- like web sessions: not records, not sealed in the audit log (what a job does is recorded by
-- the use-case it runs), not copied table by table (migrate, PostgreSQL backups). `runner` names the server process running the
-- job, and `heartbeat` (unix seconds) is when that process last said it was alive: a job whose
-- process stopped (a restart) is marked failed, never left half-done — the use-cases are
-- transactional.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,      -- run_all | verify | import
    title       TEXT NOT NULL,      -- what the job does, in words
    started_by  TEXT NOT NULL,      -- the user's login name
    status      TEXT NOT NULL,      -- queued | running | done | failed
    done_steps  INTEGER NOT NULL,
    total_steps INTEGER NOT NULL,
    message     TEXT NOT NULL,      -- the stage, the outcome, or why it failed
    link        TEXT NOT NULL,      -- where the result is shown ('' until done)
    result      TEXT NOT NULL,      -- the outcome as JSON ('' until done)
    runner      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    started_at  TEXT NOT NULL,      -- '' while queued
    finished_at TEXT NOT NULL,      -- '' until done or failed
    heartbeat   INTEGER NOT NULL
);
CREATE INDEX jobs_started_by ON jobs (started_by, id);
CREATE INDEX jobs_status ON jobs (status);
