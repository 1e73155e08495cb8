-- Entries that are ranked but not awarded; the jury chair; the chair's sign-off that freezes scores.
CREATE TABLE out_of_competition (
    entry_id TEXT PRIMARY KEY NOT NULL REFERENCES entries(id) ON DELETE CASCADE
);

CREATE TABLE jury_chairs (
    competition_id TEXT PRIMARY KEY NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    judge_id TEXT NOT NULL REFERENCES judges(id) ON DELETE CASCADE
);

CREATE TABLE jury_sign_offs (
    competition_id TEXT PRIMARY KEY NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    judge_id TEXT NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
    signed_by TEXT NOT NULL,
    signed_at TEXT NOT NULL
);
