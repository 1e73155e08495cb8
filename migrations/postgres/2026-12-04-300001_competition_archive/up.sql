-- An archived competition leaves the active lists; its papers stay verifiable.
ALTER TABLE competitions ADD COLUMN archived_at TEXT;
