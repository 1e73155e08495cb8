-- Another signer for one competition's papers (a deputy, a jury chair), instead of the
-- organization's head; papers issued before keep whom they named.
ALTER TABLE competitions ADD COLUMN signer_name TEXT;
ALTER TABLE competitions ADD COLUMN signer_title TEXT;
