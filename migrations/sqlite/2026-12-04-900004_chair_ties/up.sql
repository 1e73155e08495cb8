-- The chair's order for entries the tie rule left equal (issue 23 part 4: «a named criterion
-- first, then the chair»): the chair's position for each entry of such a tie. It decides only
-- while it covers every entry of the tie as it stands.
CREATE TABLE chair_ties (
    entry_id TEXT PRIMARY KEY NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX chair_ties_competition ON chair_ties(competition_id);
