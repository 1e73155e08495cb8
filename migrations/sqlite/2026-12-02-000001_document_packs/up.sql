-- Papers issued in a batch are kept many to a file, a pack (documents/COMPETITION/PACK.pdfpack):
-- a document names its pack and where its bytes lie in it. A document without a pack has a file
-- of its own (documents/COMPETITION/SERIAL.pdf).
ALTER TABLE documents ADD COLUMN pack TEXT;
ALTER TABLE documents ADD COLUMN pack_offset BIGINT;
ALTER TABLE documents ADD COLUMN pack_length BIGINT;
