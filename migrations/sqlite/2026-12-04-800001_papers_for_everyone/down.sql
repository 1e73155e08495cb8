DROP TABLE competition_papers;
ALTER TABLE entries DROP COLUMN attended;
DROP INDEX documents_recipient;
ALTER TABLE documents DROP COLUMN recipient;
