ALTER TABLE entries DROP COLUMN custom_fields;
ALTER TABLE entries DROP COLUMN hours;
ALTER TABLE competitions DROP COLUMN letters;
ALTER TABLE competitions DROP COLUMN hours;
DROP INDEX documents_supervisor;
DELETE FROM documents WHERE entry_id IS NULL;
ALTER TABLE documents DROP COLUMN supervisor_key;
ALTER TABLE documents DROP COLUMN kind;
ALTER TABLE documents ALTER COLUMN entry_id SET NOT NULL;
