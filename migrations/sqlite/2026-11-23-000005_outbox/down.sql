DROP TABLE outbox_documents;
DROP TABLE outbox;
ALTER TABLE entries DROP COLUMN supervisor_email;
