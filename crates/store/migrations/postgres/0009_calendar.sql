-- The office's calendar (issue 18): the same table as SQLite's 0013_calendar.sql.
CREATE TABLE calendar_dates (
    year    BIGINT NOT NULL,
    kind    TEXT COLLATE "C" NOT NULL,
    subject TEXT COLLATE "C" NOT NULL,
    period  TEXT COLLATE "C" NOT NULL,
    due     TEXT COLLATE "C" NOT NULL,
    note    TEXT COLLATE "C" NOT NULL,
    actor   TEXT COLLATE "C" NOT NULL,
    at      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (year, kind, subject, period)
);
