-- A download link is looked up by the SHA-256 of its token; the token itself is kept only until
-- its message is sent (the mail carries it), so a copy of the database gives no working links.
ALTER TABLE outbox_documents DROP CONSTRAINT outbox_documents_download_token_key;
ALTER TABLE outbox_documents ALTER COLUMN download_token DROP NOT NULL;
-- SHA-256 of the token, hex. Rows from before this migration get theirs at start-up.
ALTER TABLE outbox_documents ADD COLUMN token_hash TEXT UNIQUE;
