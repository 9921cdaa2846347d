-- Funds from award to recovery (issue 18, item 5): one append-only journal of what happened to
-- each unit's award of a measure and year — disbursed (资金下达), used (资金使用情况, from the
-- finance department), ordered back (追回) when a result is overturned, and returned. Entries are
-- never changed or deleted; each is its own sealed, audited object (fund/ID). The awards
-- themselves are read from the publication; the ledger is derived from the two. (0013 is
-- another change's number.)
CREATE TABLE fund_entries (
    id         INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL,
    measure    INTEGER NOT NULL,
    unit       TEXT NOT NULL REFERENCES units(code),
    kind       TEXT NOT NULL,     -- disburse | use | recover | return
    amount_wan TEXT NOT NULL,     -- 万元, exact decimal text (for recover: the amount to recover)
    doc_no     TEXT NOT NULL,     -- the document (文号) it rests on ('' where none)
    date       TEXT NOT NULL,     -- YYYY-MM-DD, the document's date
    channel    TEXT NOT NULL,     -- disburse: the channel the money went through ('' otherwise)
    note       TEXT NOT NULL,     -- use: what it was used for; recover: the public reason
    case_id    INTEGER REFERENCES cases(id),  -- recover: the verification case, if any
    run_id     INTEGER REFERENCES runs(id),   -- recover: the published run corrected
    award_wan  TEXT NOT NULL,     -- recover: the award revoked ('' otherwise)
    refill     TEXT NOT NULL,     -- recover: the unit moved up in its place ('' when none)
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX fund_entries_award ON fund_entries (year, measure, unit);
