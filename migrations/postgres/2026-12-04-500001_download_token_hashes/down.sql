DELETE FROM outbox_documents WHERE download_token IS NULL;
ALTER TABLE outbox_documents DROP COLUMN token_hash;
ALTER TABLE outbox_documents ALTER COLUMN download_token SET NOT NULL;
ALTER TABLE outbox_documents ADD CONSTRAINT outbox_documents_download_token_key UNIQUE (download_token);
