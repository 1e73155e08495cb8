-- A paper for everyone who earned one (issue 23, part 7). A paper that is neither an entry's own
-- nor a supervisor's letter names whom it is for in `recipient`: `judge:ID` (a jury member's
-- letter, with the number of works they scored) or `member:ENTRY_ID:DIGEST` (a team member's own
-- paper beside the team's diploma); a re-run never gives one person a second paper.
ALTER TABLE documents ADD COLUMN recipient TEXT;
CREATE INDEX documents_recipient ON documents(competition_id, recipient);
-- Whether a seminar's or webinar's participant attended: NULL when nobody said; a seminar's
-- certificate goes to every entry not marked absent (an "attended" column marks every row).
ALTER TABLE entries ADD COLUMN attended BOOLEAN;
-- Which extra papers a competition gives and the organizer's own wording of the reason, per kind
-- of paper (JSON: kind → text).
CREATE TABLE competition_papers (
    competition_id TEXT PRIMARY KEY NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    member_papers BOOLEAN NOT NULL DEFAULT 0,
    reasons TEXT
);
