-- Verification cases (核查案件, issue 22): the office opens a case from one or more anomaly flags,
-- queries the department that provides the flagged series, records its answers and resolves the
-- case (explained, corrected, referred to discipline inspection). Every row belongs to the
-- object case/ID, sealed and audited with each step. (0011 is another change's number.)
CREATE TABLE cases (
    id        INTEGER PRIMARY KEY,
    title     TEXT NOT NULL,
    provider  TEXT NOT NULL REFERENCES departments(code),  -- the department queried
    status    TEXT NOT NULL,        -- jili_model::CaseStatus
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_by TEXT NOT NULL,        -- '' until resolved
    closed_at TEXT NOT NULL
);

-- The flags a case is about.
CREATE TABLE case_flags (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    flag_id INTEGER NOT NULL REFERENCES flags(id),
    PRIMARY KEY (case_id, flag_id)
);
CREATE INDEX case_flags_flag ON case_flags (flag_id);

-- Every step of a case, oldest first: the opening, each query and answer, the resolution, and
-- the reasons the office gave for publishing results while the case was open.
CREATE TABLE case_steps (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    step       TEXT NOT NULL,       -- jili_model::CaseStep
    text       TEXT NOT NULL,       -- the query, the answer, the resolution's reason
    batch_id   INTEGER REFERENCES batches(id),               -- a corrected upload, if any
    request_id INTEGER REFERENCES publication_requests(id),  -- for a waiver: the request
    evidence   TEXT NOT NULL,       -- for a referral: the evidence as it stood ('' otherwise)
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX case_steps_case ON case_steps (case_id);
