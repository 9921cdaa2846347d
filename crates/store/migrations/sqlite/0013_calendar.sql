-- The office's calendar for a programme year (issue 18): when plans are due (per measure, or
-- '*' for all), when data are due (per series, per providing department or '*' for all, and
-- period), when the evaluation and the publication are planned. One row per date; setting a
-- date again replaces it, with its audit event (object calendar/YEAR).
CREATE TABLE calendar_dates (
    year    INTEGER NOT NULL,  -- the programme year
    kind    TEXT NOT NULL,     -- plan | data | evaluation | publication
    subject TEXT NOT NULL,     -- plan: measure number or '*'; data: series code, department code or '*'; '' otherwise
    period  TEXT NOT NULL,     -- data: the period owed (canonical, 2024); '' otherwise
    due     TEXT NOT NULL,     -- YYYY-MM-DD, the last day (Beijing time)
    note    TEXT NOT NULL,
    actor   TEXT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (year, kind, subject, period)
);
