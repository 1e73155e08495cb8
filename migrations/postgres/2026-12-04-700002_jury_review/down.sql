DROP TABLE jury_assignments;
DROP TABLE sheet_remarks;
ALTER TABLE scores DROP COLUMN remark;
DROP TABLE jury_blind;
