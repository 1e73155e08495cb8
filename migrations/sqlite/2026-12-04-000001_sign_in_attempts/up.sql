-- Sign-in throttling as counters, one row per key, counted in one statement so parallel tries
-- cannot slip past the limit. The key is a SHA-256 (of the account, or of the account and the
-- client address): never the e-mail field as typed, which a stranger could make 64 KB long.
DROP TABLE login_failures;
CREATE TABLE sign_in_attempts (
    key TEXT PRIMARY KEY NOT NULL,
    window_start TEXT NOT NULL,
    attempts INTEGER NOT NULL
);
CREATE INDEX sign_in_attempts_window ON sign_in_attempts(window_start);
