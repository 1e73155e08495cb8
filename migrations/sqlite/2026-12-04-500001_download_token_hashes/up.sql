-- A download link is looked up by the SHA-256 of its token; the token itself is kept only until
-- its message is sent (the mail carries it), so a copy of the database gives no working links.
-- SQLite cannot drop the column's UNIQUE in place: the table is made again.
CREATE TABLE outbox_documents_hashed (
    message_id TEXT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    -- The link's token in clear while its message waits to be sent; NULL once it is.
    download_token TEXT,
    -- SHA-256 of the token, hex. Rows from before this migration get theirs at start-up.
    token_hash TEXT UNIQUE,
    PRIMARY KEY (message_id, document_id)
);
INSERT INTO outbox_documents_hashed (message_id, document_id, download_token)
    SELECT message_id, document_id, download_token FROM outbox_documents;
DROP TABLE outbox_documents;
ALTER TABLE outbox_documents_hashed RENAME TO outbox_documents;
CREATE INDEX outbox_documents_document ON outbox_documents(document_id);
