-- Four eyes on publication (issue 16): one office user asks for the year's results to be
-- published, another confirms (or either withdraws). Sealed and audited like every decision.
CREATE TABLE publication_requests (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    reason       TEXT NOT NULL,        -- the publication's reason ('' for a first publication)
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    status       TEXT NOT NULL,        -- pending / confirmed / withdrawn
    decided_by   TEXT NOT NULL,        -- '' while pending
    decided_at   TEXT NOT NULL
);
