-- Funds from award to recovery (issue 18): the same table as SQLite's 0014_funds.sql. (0009 is
-- another change's number.)
CREATE TABLE fund_entries (
    id         BIGINT PRIMARY KEY,
    year       BIGINT NOT NULL,
    measure    BIGINT NOT NULL,
    unit       TEXT COLLATE "C" NOT NULL REFERENCES units(code),
    kind       TEXT COLLATE "C" NOT NULL,
    amount_wan TEXT COLLATE "C" NOT NULL,
    doc_no     TEXT COLLATE "C" NOT NULL,
    date       TEXT COLLATE "C" NOT NULL,
    channel    TEXT COLLATE "C" NOT NULL,
    note       TEXT COLLATE "C" NOT NULL,
    case_id    BIGINT REFERENCES cases(id),
    run_id     BIGINT REFERENCES runs(id),
    award_wan  TEXT COLLATE "C" NOT NULL,
    refill     TEXT COLLATE "C" NOT NULL,
    actor      TEXT COLLATE "C" NOT NULL,
    at         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX fund_entries_award ON fund_entries (year, measure, unit);
