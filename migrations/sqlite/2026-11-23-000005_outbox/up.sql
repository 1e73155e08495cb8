-- E-mail delivery: one outbox row per message (one recipient), the documents it carries, and the
-- supervisor's own address on each entry.
ALTER TABLE entries ADD COLUMN supervisor_email TEXT;

CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    -- holder or supervisor
    recipient_kind TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    recipient_email TEXT NOT NULL,
    language TEXT NOT NULL,
    -- queued, sending, sent, failed, uncertain
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    -- While sending: the worker's claim, taken over by another only once it has passed.
    lease_until TEXT,
    -- Set just before the message's final dot is written: past this point the server may have
    -- accepted the message, so a worker that died here must not send it again on its own.
    data_sent_at TEXT,
    last_error TEXT,
    message_id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_competition ON outbox(competition_id, created_at);

CREATE TABLE outbox_documents (
    message_id TEXT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    -- The unguessable link a message carries when the PDF is too large to attach.
    download_token TEXT NOT NULL UNIQUE,
    PRIMARY KEY (message_id, document_id)
);
CREATE INDEX outbox_documents_document ON outbox_documents(document_id);
