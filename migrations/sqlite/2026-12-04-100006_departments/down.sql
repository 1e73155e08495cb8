ALTER TABLE competitions DROP COLUMN department_id;
DROP TABLE departments;
