ALTER TABLE competitions DROP COLUMN signer_title;
ALTER TABLE competitions DROP COLUMN signer_name;
