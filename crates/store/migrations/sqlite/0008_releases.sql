-- Data releases (定期通报主要指标数据, issue 16 part 4): the public series' values as of a
-- cut-off period, released on the office's calendar independently of results publications.
-- Never changed; a correction is a new version of the same (calendar, cutoff) with its reason,
-- and the older versions stay readable, marked superseded by the newer.
CREATE TABLE data_releases (
    id          INTEGER PRIMARY KEY,
    calendar    TEXT NOT NULL,         -- the calendar's release id (quarterly, annual …)
    cutoff      TEXT NOT NULL,         -- the last period it holds, canonical (2024-Q3, 2024)
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,         -- the release's name when made (主要指标数据季度通报)
    demo        INTEGER NOT NULL,      -- it holds demo data: labelled 演示 wherever shown
    reason      TEXT NOT NULL,         -- 首次通报, or what a correction corrected
    body        TEXT NOT NULL,         -- JSON: series, units, values (public series only)
    sha256      TEXT NOT NULL,
    released_at TEXT NOT NULL,
    actor       TEXT NOT NULL,
    UNIQUE (calendar, cutoff, version)
);
