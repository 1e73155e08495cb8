-- Accounts for the web application: people of an organization with a role, their sessions,
-- invitations by link, and failed sign-ins (for throttling, shared by every instance).
CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX users_organization ON users(organization_id);

-- Only the SHA-256 of a session token is stored; the CSRF token is tied to the session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    invited_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT
);

CREATE TABLE login_failures (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    client TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(email, client, failed_at);

-- A judge may be a person with an account (jury role) rather than a bare jury token.
ALTER TABLE judges ADD COLUMN user_id TEXT REFERENCES users(id) ON DELETE SET NULL;
