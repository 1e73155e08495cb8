-- One-time links that claim a fresh server in the browser: printed in the log while no account
-- exists, each works once and until it expires; only their hashes are kept.
CREATE TABLE setup_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
