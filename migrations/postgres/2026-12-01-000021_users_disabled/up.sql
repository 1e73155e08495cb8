-- An organizer or admin may disable an account: it keeps its history (invitations, judge seats)
-- but cannot sign in, and its sessions are ended when it is disabled.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
-- Expired sessions are purged by their expiry.
CREATE INDEX sessions_expires ON sessions(expires_at);
