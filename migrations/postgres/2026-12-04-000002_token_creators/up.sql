-- Who made an organizer token in the web application: a token works only while its maker's
-- account is enabled. Tokens from the command line (`gramota token create`) have no maker.
ALTER TABLE api_tokens ADD COLUMN created_by TEXT REFERENCES users(id) ON DELETE CASCADE;
CREATE INDEX api_tokens_created_by ON api_tokens(created_by);
