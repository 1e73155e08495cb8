-- Departments (отделы) of a center: a competition belongs to one, reports count per department
-- and combined.
CREATE TABLE departments (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (organization_id, name)
);
ALTER TABLE competitions ADD COLUMN department_id TEXT REFERENCES departments (id);
