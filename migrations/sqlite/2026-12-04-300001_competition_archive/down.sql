ALTER TABLE competitions DROP COLUMN archived_at;
