-- Single sign-on through an OpenID Connect provider (issue 19). A login under way is
-- operational state, like a web session: the state (its hash only), the nonce the ID token must
-- carry back and the PKCE verifier, kept in the database so that the server process that gets
-- the provider's answer need not be the one that sent the browser there; used once, then
-- deleted. Neither table is sealed: a login changes no record. The link of a provider's subject
-- to the jili user it became is kept (copied by backup and migrate) so that the same person is
-- the same user at every login, whatever their display name becomes.
CREATE TABLE sso_logins (
    state_hash TEXT PRIMARY KEY,      -- sha256 of the state sent to the provider
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,         -- PKCE code verifier
    next       TEXT NOT NULL,         -- the path on this site to go to after the login
    created_at INTEGER NOT NULL,      -- unix seconds
    expires_at INTEGER NOT NULL
);

CREATE TABLE sso_identities (
    issuer     TEXT NOT NULL,         -- the provider's issuer URL
    subject    TEXT NOT NULL,         -- the ID token's `sub`
    user_name  TEXT NOT NULL REFERENCES users(name),
    created_at TEXT NOT NULL,         -- UTC, first login
    last_login TEXT NOT NULL,         -- UTC
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX sso_identities_user ON sso_identities (user_name);
