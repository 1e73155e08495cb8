-- Review as experts do it (issue 23, parts 1–3): blind review as a competition setting, a remark
-- per criterion and one for the whole sheet, and which judges review which entry.
CREATE TABLE jury_blind (
    competition_id TEXT PRIMARY KEY NOT NULL REFERENCES competitions(id) ON DELETE CASCADE
);
ALTER TABLE scores ADD COLUMN remark TEXT NOT NULL DEFAULT '';
CREATE TABLE sheet_remarks (
    judge_id TEXT NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    remark TEXT NOT NULL,
    PRIMARY KEY (judge_id, entry_id)
);
CREATE TABLE jury_assignments (
    judge_id TEXT NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    PRIMARY KEY (judge_id, entry_id)
);
CREATE INDEX jury_assignments_competition ON jury_assignments(competition_id);
CREATE INDEX jury_assignments_entry ON jury_assignments(entry_id);
