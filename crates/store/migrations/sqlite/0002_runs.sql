-- Evaluation runs: a plan version on a data snapshot with a seed. The result is stored as the
-- engine wrote it (JSON), with hashes of the inputs and of the result, so that anyone can rerun
-- it and compare bytes.
CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    measure       INTEGER NOT NULL,
    plan_version  INTEGER NOT NULL,
    plan_sha256   TEXT    NOT NULL,
    data_sha256   TEXT    NOT NULL,
    seed          INTEGER NOT NULL,
    samples       INTEGER NOT NULL,
    result        TEXT    NOT NULL,
    result_sha256 TEXT    NOT NULL,
    run_at        TEXT    NOT NULL,
    actor         TEXT    NOT NULL
);
CREATE INDEX runs_measure ON runs (year, measure, id);
