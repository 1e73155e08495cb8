-- A deleted design is hidden and its name is free again, but its versions stay: papers rendered
-- with them are re-rendered and verified byte for byte from them.
ALTER TABLE designs ADD COLUMN deleted_at TEXT;
