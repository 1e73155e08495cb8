ALTER TABLE competitions DROP COLUMN audience;
