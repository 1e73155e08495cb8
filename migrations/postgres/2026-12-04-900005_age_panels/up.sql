-- Panels per age group as well as per nomination (issue 23 part 2): the age groups whose entries
-- the next assignment may give a judge; none means every age group.
CREATE TABLE judge_panel_ages (
    judge_id TEXT NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
    age_group TEXT NOT NULL,
    PRIMARY KEY (judge_id, age_group)
);
