-- What changed in what the verification page shows of a paper (revoked, superseded, hidden,
-- erased), one row per change, written by the database itself so no write path can forget it.
-- Every instance keeps verified papers in memory and drops the ones named here: a revocation
-- through one instance reaches the others' pages within a tenth of a second. Pending papers
-- becoming valid are left out: the page never shows (nor keeps) a pending one.
CREATE TABLE document_changes (
    seq BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE FUNCTION note_document_change() RETURNS trigger AS $$
BEGIN
    INSERT INTO document_changes (code, changed_at)
    VALUES (NEW.code, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER documents_changed AFTER UPDATE OF status, superseded_by, public_lookup, payload, revoked_reason
ON documents FOR EACH ROW WHEN (OLD.status <> 'pending')
EXECUTE FUNCTION note_document_change();
