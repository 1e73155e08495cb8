-- Whom a competition is for (children, teachers, teams, mixed), as reports count events.
ALTER TABLE competitions ADD COLUMN audience TEXT;
