-- Papers are numbered in import order; reserving them reads a competition's entries without a paper
-- a page at a time from this index, after the last one read (was: every page sorted all entries).
CREATE INDEX entries_import_order ON entries (competition_id, created_at, source_row, id);
