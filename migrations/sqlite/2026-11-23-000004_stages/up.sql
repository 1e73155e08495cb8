-- A competition can be the next stage of another (municipal → regional → national).
ALTER TABLE competitions ADD COLUMN previous_stage_id TEXT REFERENCES competitions(id);
