-- Who did what in an organization: sign-ins, revocations, re-issues, design changes, exports,
-- people invited or disabled, personal data erased. Read by the organization's admin.
CREATE TABLE audit_events (
    -- A UUIDv7: ordered by time, so the newest come first by id.
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    -- The person who acted, when a person did (an API token made by a person names them too).
    actor_user_id TEXT,
    -- As shown: the person's e-mail, "API: <token label>" or "gramota".
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL
);
CREATE INDEX audit_events_organization ON audit_events(organization_id, id);
