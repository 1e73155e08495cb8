-- What changed in what the verification page shows of a paper (revoked, superseded, hidden,
-- erased), one row per change, written by the database itself so no write path can forget it.
-- Every instance keeps verified papers in memory and drops the ones named here: a revocation
-- through one instance reaches the others' pages within a tenth of a second. Pending papers
-- becoming valid are left out: the page never shows (nor keeps) a pending one.
CREATE TABLE document_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE TRIGGER documents_changed AFTER UPDATE OF status, superseded_by, public_lookup, payload, revoked_reason
ON documents FOR EACH ROW WHEN OLD.status <> 'pending'
BEGIN
    INSERT INTO document_changes (code, changed_at) VALUES (NEW.code, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
