-- Verification cases (issue 22): the same tables as SQLite's 0012_cases.sql. (0007 is another
-- change's number.)
CREATE TABLE cases (
    id        BIGINT PRIMARY KEY,
    title     TEXT COLLATE "C" NOT NULL,
    provider  TEXT COLLATE "C" NOT NULL REFERENCES departments(code),
    status    TEXT COLLATE "C" NOT NULL,
    opened_by TEXT COLLATE "C" NOT NULL,
    opened_at TEXT COLLATE "C" NOT NULL,
    closed_by TEXT COLLATE "C" NOT NULL,
    closed_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE case_flags (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    flag_id BIGINT NOT NULL REFERENCES flags(id),
    PRIMARY KEY (case_id, flag_id)
);
CREATE INDEX case_flags_flag ON case_flags (flag_id);

CREATE TABLE case_steps (
    id         BIGINT PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases(id),
    step       TEXT COLLATE "C" NOT NULL,
    text       TEXT COLLATE "C" NOT NULL,
    batch_id   BIGINT REFERENCES batches(id),
    request_id BIGINT REFERENCES publication_requests(id),
    evidence   TEXT COLLATE "C" NOT NULL,
    actor      TEXT COLLATE "C" NOT NULL,
    at         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX case_steps_case ON case_steps (case_id);
