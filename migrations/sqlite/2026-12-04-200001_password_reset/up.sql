-- A person's chosen interface language (kk, ru or en); none means the browser's.
ALTER TABLE users ADD COLUMN language TEXT;

-- One-time links that set a forgotten password: only their hashes are kept; each works once and
-- for an hour, and a newer one voids the older.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_user ON password_resets(user_id);

-- Mail about an account (a password reset), not about documents: queued by a request, sent by the
-- mail worker. No secret is stored here: the worker makes the link when it sends the message.
CREATE TABLE account_mail (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT,
    failed_at TEXT,
    last_error TEXT
);
CREATE INDEX account_mail_due ON account_mail(sent_at, failed_at, next_attempt_at);
