-- Letters of gratitude and course certificates. A letter belongs to a supervisor, not to one entry:
-- documents.entry_id becomes nullable and a letter carries its supervisor's normalized name
-- (`supervisor_key`), so a re-run never issues a second letter to the same person. Every document
-- says what kind of paper it is. Entries keep their hours and the columns the mapping does not know.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE documents_rebuilt (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    entry_id TEXT REFERENCES entries(id) ON DELETE CASCADE,
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
    kind TEXT NOT NULL DEFAULT 'diploma',
    supervisor_key TEXT,
    UNIQUE (organization_id, serial)
);
INSERT INTO documents_rebuilt (id, organization_id, competition_id, entry_id, serial, code, status,
    design, payload, sha256, revoked_reason, revoked_at, issued_at, signed_record, superseded_by,
    public_lookup, job_id, claimed_by, claimed_until, rendered_by, kind)
SELECT id, organization_id, competition_id, entry_id, serial, code, status, design, payload, sha256,
    revoked_reason, revoked_at, issued_at, signed_record, superseded_by, public_lookup, job_id,
    claimed_by, claimed_until, rendered_by,
    CASE WHEN payload LIKE '%"award":"participant"%' THEN 'certificate' ELSE 'diploma' END
FROM documents;
DROP TABLE documents;
ALTER TABLE documents_rebuilt RENAME TO documents;
CREATE INDEX documents_competition ON documents(competition_id, serial);
CREATE INDEX documents_entry ON documents(entry_id);
CREATE INDEX documents_job_pending ON documents(job_id, status, serial);
CREATE INDEX documents_claimed_by ON documents(claimed_by);
CREATE INDEX documents_supervisor ON documents(competition_id, supervisor_key);

ALTER TABLE competitions ADD COLUMN hours INTEGER;
ALTER TABLE competitions ADD COLUMN letters BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE entries ADD COLUMN hours INTEGER;
ALTER TABLE entries ADD COLUMN custom_fields TEXT;
COMMIT;
PRAGMA foreign_keys = ON;
