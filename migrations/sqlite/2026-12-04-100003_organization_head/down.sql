ALTER TABLE organizations DROP COLUMN head_title;
ALTER TABLE organizations DROP COLUMN head_name;
