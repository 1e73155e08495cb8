ALTER TABLE competitions DROP COLUMN previous_stage_id;
