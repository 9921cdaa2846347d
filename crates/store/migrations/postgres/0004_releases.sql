-- Data releases (issue 16 part 4): see migrations/sqlite/0008_releases.sql. Ids are given by
-- the store (one more than the largest), as for publications: an audit subject names them.
CREATE TABLE data_releases (
    id          BIGSERIAL PRIMARY KEY,
    calendar    TEXT COLLATE "C" NOT NULL,
    cutoff      TEXT COLLATE "C" NOT NULL,
    version     BIGINT NOT NULL,
    title       TEXT COLLATE "C" NOT NULL,
    demo        BOOLEAN NOT NULL,
    reason      TEXT COLLATE "C" NOT NULL,
    body        TEXT COLLATE "C" NOT NULL,
    sha256      TEXT COLLATE "C" NOT NULL,
    released_at TEXT COLLATE "C" NOT NULL,
    actor       TEXT COLLATE "C" NOT NULL,
    UNIQUE (calendar, cutoff, version)
);
