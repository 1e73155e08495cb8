-- The jury: judges are API tokens with the jury role, scoped to one competition; criteria, scores,
-- and how scores become awards.
ALTER TABLE api_tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'organizer';

CREATE TABLE judges (
    id TEXT PRIMARY KEY NOT NULL,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    token_id TEXT NOT NULL UNIQUE REFERENCES api_tokens(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    organization TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX judges_competition ON judges(competition_id);

CREATE TABLE criteria (
    id TEXT PRIMARY KEY NOT NULL,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    max_points INTEGER NOT NULL,
    weight DOUBLE PRECISION NOT NULL
);
CREATE INDEX criteria_competition ON criteria(competition_id, position);

CREATE TABLE scores (
    judge_id TEXT NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    criterion_id TEXT NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
    points INTEGER NOT NULL,
    scored_at TEXT NOT NULL,
    PRIMARY KEY (judge_id, entry_id, criterion_id)
);
CREATE INDEX scores_entry ON scores(entry_id);
CREATE INDEX scores_criterion ON scores(criterion_id);

CREATE TABLE jury_settings (
    competition_id TEXT PRIMARY KEY NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    aggregation TEXT NOT NULL,
    award_rule TEXT NOT NULL
);
