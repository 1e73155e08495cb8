ALTER TABLE documents DROP COLUMN pack_length;
ALTER TABLE documents DROP COLUMN pack_offset;
ALTER TABLE documents DROP COLUMN pack;
