DROP INDEX documents_claimed_by;
DROP INDEX documents_job_pending;
ALTER TABLE documents DROP COLUMN rendered_by;
ALTER TABLE documents DROP COLUMN claimed_until;
ALTER TABLE documents DROP COLUMN claimed_by;
ALTER TABLE documents DROP COLUMN job_id;
ALTER TABLE jobs DROP COLUMN verified;
ALTER TABLE jobs DROP COLUMN reverify;
