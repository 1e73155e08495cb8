-- Panels (issue 23, part 2): a judge may sit on the panel of some nominations only; entries of
-- other nominations are never assigned to them. No row: the judge reviews every nomination.
CREATE TABLE judge_panels (
    judge_id TEXT NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
    nomination TEXT NOT NULL,
    PRIMARY KEY (judge_id, nomination)
);
