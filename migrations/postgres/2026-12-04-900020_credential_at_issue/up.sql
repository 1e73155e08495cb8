-- A paper's Open Badges credential is made and signed when the paper is reserved (issue 22):
-- the compact VC-JWT, kept here, is what the PDF carries as an embedded file and what the API,
-- the cabinet and the verification page serve, so a paper rendered again on another instance is
-- byte for byte the one first issued. Papers issued before have no row: their credential is made
-- on request, as it was, and their PDF carries none.
--
-- A table of its own rather than a column of `documents`: a credential is about 3.6 KB, and a
-- paper's row is rewritten when a worker claims it and again when it is rendered; beside the row
-- the credential is written once.
CREATE TABLE document_credentials (
    document_id TEXT PRIMARY KEY NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    credential TEXT NOT NULL
);
