-- Returning an entry for revision after review (issue 23 part 5). Each return closes a round of
-- the entry's review: the round's sheets (points, remarks per criterion, the remark on the whole
-- work) move to past_scores and past_sheet_remarks, so the next round starts empty and waits for
-- the same judges, and the protocol prints every round with its remarks.
CREATE TABLE review_rounds (
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    round INTEGER NOT NULL,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    -- The organizer's words to the applicant with the return.
    remark TEXT NOT NULL,
    returned_at TEXT NOT NULL,
    -- When the revised work came (the applicant's correction, or the organizer's mark).
    revised_at TEXT,
    PRIMARY KEY (entry_id, round)
);
CREATE INDEX review_rounds_competition ON review_rounds(competition_id);
CREATE TABLE past_scores (
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    round INTEGER NOT NULL,
    judge_id TEXT NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
    criterion_id TEXT NOT NULL REFERENCES criteria(id) ON DELETE CASCADE,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    tenths INTEGER NOT NULL,
    remark TEXT NOT NULL,
    PRIMARY KEY (entry_id, round, judge_id, criterion_id)
);
CREATE INDEX past_scores_competition ON past_scores(competition_id);
CREATE TABLE past_sheet_remarks (
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    round INTEGER NOT NULL,
    judge_id TEXT NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    remark TEXT NOT NULL,
    PRIMARY KEY (entry_id, round, judge_id)
);
CREATE INDEX past_sheet_remarks_competition ON past_sheet_remarks(competition_id);
