-- Each paper offered as a verifiable credential has a place in its organization's Bitstring
-- Status List (issue 22): the bit at `list_index` is set once the paper is revoked or superseded.
-- Places are handed out when a paper's credential is first made, at random within the list, so
-- the place says nothing of when the paper was issued.
CREATE TABLE credential_status (
    document_id TEXT PRIMARY KEY NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL,
    list_index BIGINT NOT NULL,
    UNIQUE (organization_id, list_index)
);
