-- How long an organization keeps the personal data of a finished competition (days after its
-- last day). No row: kept until deleted by hand.
CREATE TABLE retention_settings (
    organization_id TEXT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    days INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
-- Competitions whose personal data was erased: names are initials, contacts and birth dates are
-- gone, the PDFs are deleted; the papers still verify by code, with the masked name.
CREATE TABLE erasures (
    competition_id TEXT PRIMARY KEY REFERENCES competitions(id) ON DELETE CASCADE,
    erased_at TEXT NOT NULL,
    entries INTEGER NOT NULL,
    documents INTEGER NOT NULL
);
