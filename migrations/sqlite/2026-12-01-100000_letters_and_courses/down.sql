-- Letters have no entry and cannot survive the NOT NULL that comes back: they are removed.
PRAGMA foreign_keys = OFF;
BEGIN;
ALTER TABLE entries DROP COLUMN custom_fields;
ALTER TABLE entries DROP COLUMN hours;
ALTER TABLE competitions DROP COLUMN letters;
ALTER TABLE competitions DROP COLUMN hours;
DELETE FROM documents WHERE entry_id IS NULL;
CREATE TABLE documents_rebuilt (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    serial TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    design TEXT NOT NULL,
    payload TEXT NOT NULL,
    sha256 TEXT,
    revoked_reason TEXT,
    revoked_at TEXT,
    issued_at TEXT NOT NULL,
    signed_record TEXT,
    superseded_by TEXT REFERENCES documents(id),
    public_lookup BOOLEAN NOT NULL DEFAULT 1,
    job_id TEXT,
    claimed_by TEXT,
    claimed_until TEXT,
    rendered_by TEXT,
    UNIQUE (organization_id, serial)
);
INSERT INTO documents_rebuilt SELECT id, organization_id, competition_id, entry_id, serial, code,
    status, design, payload, sha256, revoked_reason, revoked_at, issued_at, signed_record,
    superseded_by, public_lookup, job_id, claimed_by, claimed_until, rendered_by FROM documents;
DROP TABLE documents;
ALTER TABLE documents_rebuilt RENAME TO documents;
CREATE INDEX documents_competition ON documents(competition_id, serial);
CREATE INDEX documents_entry ON documents(entry_id);
CREATE INDEX documents_job_pending ON documents(job_id, status, serial);
CREATE INDEX documents_claimed_by ON documents(claimed_by);
COMMIT;
PRAGMA foreign_keys = ON;
