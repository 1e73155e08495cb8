-- Signed records, corrected re-issue, public lookup switch, expiry, and the scan log.
ALTER TABLE documents ADD COLUMN signed_record TEXT;
ALTER TABLE documents ADD COLUMN superseded_by TEXT REFERENCES documents(id);
ALTER TABLE documents ADD COLUMN public_lookup BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE competitions ADD COLUMN valid_until TEXT;

CREATE TABLE scans (
    id TEXT PRIMARY KEY NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    scanned_at TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX scans_document ON scans(document_id, scanned_at);
