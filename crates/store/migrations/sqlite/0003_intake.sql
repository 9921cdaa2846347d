-- Data intake: who imported a batch and why (a revision must say why), the anomaly flags found
-- in it (for reviewers), the column mappings saved per provider and file shape, the rules
-- files, and the last batch a run's data included (so a run can be reproduced "as of" then).
ALTER TABLE batches ADD COLUMN actor TEXT NOT NULL DEFAULT '';
ALTER TABLE batches ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE batches ADD COLUMN revised INTEGER NOT NULL DEFAULT 0;

CREATE TABLE flags (
    id        INTEGER PRIMARY KEY,
    batch_id  INTEGER NOT NULL REFERENCES batches(id),
    series    TEXT NOT NULL,          -- empty for a batch-level flag (Benford)
    unit      TEXT NOT NULL,
    period    TEXT NOT NULL,
    code      TEXT NOT NULL,
    message   TEXT NOT NULL,
    prominent INTEGER NOT NULL
);
CREATE INDEX flags_batch ON flags (batch_id);

CREATE TABLE mappings (
    provider  TEXT NOT NULL REFERENCES departments(code),
    signature TEXT NOT NULL,
    mapping   TEXT NOT NULL,          -- TOML
    saved_at  TEXT NOT NULL,
    actor     TEXT NOT NULL,
    PRIMARY KEY (provider, signature)
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

ALTER TABLE runs ADD COLUMN data_batch INTEGER;
