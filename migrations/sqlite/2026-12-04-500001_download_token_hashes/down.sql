-- Links whose token was already forgotten cannot come back: their rows go.
CREATE TABLE outbox_documents_plain (
    message_id TEXT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    download_token TEXT NOT NULL UNIQUE,
    PRIMARY KEY (message_id, document_id)
);
INSERT INTO outbox_documents_plain (message_id, document_id, download_token)
    SELECT message_id, document_id, download_token FROM outbox_documents
    WHERE download_token IS NOT NULL;
DROP TABLE outbox_documents;
ALTER TABLE outbox_documents_plain RENAME TO outbox_documents;
CREATE INDEX outbox_documents_document ON outbox_documents(document_id);
