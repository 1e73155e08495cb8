-- A paper's Open Badges 3.0 credential is made and signed when the paper is reserved (issue 22):
-- the compact VC-JWT, kept here, is what the PDF carries as an embedded file and what the API,
-- the cabinet and the verification page serve, so a paper rendered again on another instance is
-- byte for byte the one first issued. NULL for papers issued before: their credential is made on
-- request, as it was, and their PDF carries none.
ALTER TABLE documents ADD COLUMN credential TEXT;
