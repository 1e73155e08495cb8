ALTER TABLE designs DROP COLUMN deleted_at;
