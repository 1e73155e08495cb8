-- Scales as regulations write them (issue 23, part 4): a step per criterion (1, 0.5 or 0.1 point,
-- kept in tenths of a point), points kept in tenths so that 0,5 is exact (never a float), an
-- absolute pass threshold, a tie rule naming a criterion, and the spread between judges beyond
-- which an entry is flagged for the chair. Whole points given before become tenths.
ALTER TABLE criteria ADD COLUMN step_tenths INTEGER NOT NULL DEFAULT 10;
ALTER TABLE scores RENAME COLUMN points TO tenths;
UPDATE scores SET tenths = tenths * 10;
ALTER TABLE jury_settings ADD COLUMN pass_min_tenths BIGINT;
ALTER TABLE jury_settings ADD COLUMN tie_criterion_id TEXT;
ALTER TABLE jury_settings ADD COLUMN spread_tenths BIGINT;
