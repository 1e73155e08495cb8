DROP INDEX sessions_expires;
ALTER TABLE users DROP COLUMN disabled_at;
