-- Re-checks of stored data and cross-source comparisons (issue 22). A re-check runs every
-- check over what is stored and adds the flags it finds to the batches that brought the values;
-- which flags a re-check added, and whether only the office and the auditor may see them
-- (cross-source flags quote two departments' figures), is kept here so the flags table and
-- the seals of batches imported before this migration stay as they were.
CREATE TABLE rechecks (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    scope      TEXT NOT NULL,      -- what was re-checked, in words
    as_of      TEXT NOT NULL,      -- '' for the current data, else the date the data were read as of
    last_batch INTEGER NOT NULL,   -- the newest batch seen: an incremental re-check starts after it
    checked    INTEGER NOT NULL,   -- values checked
    added      INTEGER NOT NULL    -- new flags
);
CREATE TABLE recheck_flags (
    flag_id     INTEGER PRIMARY KEY REFERENCES flags(id),
    recheck_id  INTEGER NOT NULL REFERENCES rechecks(id),
    office_only INTEGER NOT NULL
);
CREATE INDEX recheck_flags_recheck ON recheck_flags (recheck_id);
