DROP TABLE scans;
ALTER TABLE competitions DROP COLUMN valid_until;
ALTER TABLE documents DROP COLUMN public_lookup;
ALTER TABLE documents DROP COLUMN superseded_by;
ALTER TABLE documents DROP COLUMN signed_record;
