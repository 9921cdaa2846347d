-- Issue 20, part 4: the access log. Who logged in (or failed to, and why), who logged out,
-- changed or had a password reset, who was refused what, and who checked a file without
-- importing it (a dry run). It is operational, like the sessions: not sealed in the audit
-- chain (a login changes no record), but kept: nothing deletes its rows (等保 asks that logs
-- be kept at least six months), and `jili backup`, `restore` and `migrate` copy it.
CREATE TABLE access_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,          -- UTC, YYYY-MM-DDTHH:MM:SSZ
    user_name TEXT NOT NULL,          -- the user, or the name tried at a failed login ('' if none)
    role      TEXT NOT NULL,          -- office / lead / provider / auditor / unit, '' when unknown
    scope     TEXT NOT NULL,          -- the role's department or unit code, or ''
    client    TEXT NOT NULL,          -- the client's address (behind trusted proxies, the one they name)
    event     TEXT NOT NULL,          -- login, logout, logout_all, password_change, password_reset, refused, dry_run
    target    TEXT NOT NULL,          -- what it was about: a session, a user, a path, a file
    outcome   TEXT NOT NULL,          -- ok, or why not (wrong_password, denied, rejected …)
    detail    TEXT NOT NULL
);
CREATE INDEX access_log_at ON access_log (at);
CREATE INDEX access_log_user ON access_log (user_name, at);
CREATE INDEX access_log_client ON access_log (client, at);
