-- Letters of gratitude and course certificates. A letter belongs to a supervisor, not to one entry:
-- documents.entry_id becomes nullable and a letter carries its supervisor's normalized name
-- (`supervisor_key`), so a re-run never issues a second letter to the same person. Every document
-- says what kind of paper it is. Entries keep their hours and the columns the mapping does not know.
ALTER TABLE documents ALTER COLUMN entry_id DROP NOT NULL;
ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT 'diploma';
ALTER TABLE documents ADD COLUMN supervisor_key TEXT;
UPDATE documents SET kind = 'certificate' WHERE payload LIKE '%"award":"participant"%';
CREATE INDEX documents_supervisor ON documents(competition_id, supervisor_key);
ALTER TABLE competitions ADD COLUMN hours INTEGER;
ALTER TABLE competitions ADD COLUMN letters BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE entries ADD COLUMN hours INTEGER;
ALTER TABLE entries ADD COLUMN custom_fields TEXT;
