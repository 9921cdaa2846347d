-- Four eyes on publication (issue 16): the same table as SQLite's 0009_publication_requests.sql.
CREATE TABLE publication_requests (
    id           BIGINT PRIMARY KEY,
    year         BIGINT NOT NULL,
    reason       TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    status       TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    decided_at   TEXT NOT NULL
);
