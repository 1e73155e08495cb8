ALTER TABLE jury_settings DROP COLUMN spread_tenths;
ALTER TABLE jury_settings DROP COLUMN tie_criterion_id;
ALTER TABLE jury_settings DROP COLUMN pass_min_tenths;
UPDATE scores SET tenths = tenths / 10;
ALTER TABLE scores RENAME COLUMN tenths TO points;
ALTER TABLE criteria DROP COLUMN step_tenths;
