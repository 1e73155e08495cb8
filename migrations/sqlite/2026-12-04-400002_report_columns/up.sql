-- The report counts a period's participations by person and by what their entries say (region,
-- city/village, organization, age group, award) in one narrow scan, without joining entries
-- or reading strings per row: a million participations are counted in well under a second.
--
-- A person gets a number, dense within the organization, so the report counts distinct persons
-- with a bitset. The report's keys (an entry's region, settlement type, organization, age group
-- and award code as written) get a number per organization and breakdown in report_keys; empty
-- values have none (0). A participation carries copies of its person's number and its entry's
-- key numbers, written when participations are brought in line with entries (persons::assign),
-- on a merge and on a split; the covering index serves the report's per-competition scan.
-- New numbers continue from the organization's highest, under a lock of its row on PostgreSQL.
ALTER TABLE persons ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
UPDATE persons SET number = r.n
FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY created_at, id) AS n FROM persons) AS r
WHERE r.id = persons.id;
CREATE UNIQUE INDEX persons_number ON persons (organization_id, number);

CREATE TABLE report_keys (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    -- region, settlement, organization, age_group or award.
    breakdown TEXT NOT NULL,
    value TEXT NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (organization_id, breakdown, value),
    UNIQUE (organization_id, breakdown, number)
);
INSERT INTO report_keys (organization_id, breakdown, value, number)
SELECT organization_id, breakdown, value,
       ROW_NUMBER() OVER (PARTITION BY organization_id, breakdown ORDER BY value)
FROM (
    SELECT c.organization_id, 'region' AS breakdown, e.region AS value
    FROM entries e JOIN competitions c ON c.id = e.competition_id WHERE e.region <> ''
    UNION SELECT c.organization_id, 'settlement', e.settlement_type
    FROM entries e JOIN competitions c ON c.id = e.competition_id WHERE e.settlement_type <> ''
    UNION SELECT c.organization_id, 'organization', e.school
    FROM entries e JOIN competitions c ON c.id = e.competition_id WHERE e.school <> ''
    UNION SELECT c.organization_id, 'age_group', e.age_group
    FROM entries e JOIN competitions c ON c.id = e.competition_id WHERE e.age_group <> ''
    UNION SELECT c.organization_id, 'award', e.award
    FROM entries e JOIN competitions c ON c.id = e.competition_id WHERE e.award <> ''
) AS k;

ALTER TABLE participations ADD COLUMN person_number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participations ADD COLUMN team BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE participations ADD COLUMN award_key INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participations ADD COLUMN region_key INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participations ADD COLUMN settlement_key INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participations ADD COLUMN school_key INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participations ADD COLUMN age_group_key INTEGER NOT NULL DEFAULT 0;
UPDATE participations SET
    person_number = COALESCE((SELECT p.number FROM persons p WHERE p.id = participations.person_id), 0),
    team = (e.team_members IS NOT NULL),
    award_key = COALESCE((SELECT k.number FROM report_keys k WHERE k.organization_id = c.organization_id
        AND k.breakdown = 'award' AND k.value = e.award), 0),
    region_key = COALESCE((SELECT k.number FROM report_keys k WHERE k.organization_id = c.organization_id
        AND k.breakdown = 'region' AND k.value = e.region), 0),
    settlement_key = COALESCE((SELECT k.number FROM report_keys k WHERE k.organization_id = c.organization_id
        AND k.breakdown = 'settlement' AND k.value = e.settlement_type), 0),
    school_key = COALESCE((SELECT k.number FROM report_keys k WHERE k.organization_id = c.organization_id
        AND k.breakdown = 'organization' AND k.value = e.school), 0),
    age_group_key = COALESCE((SELECT k.number FROM report_keys k WHERE k.organization_id = c.organization_id
        AND k.breakdown = 'age_group' AND k.value = e.age_group), 0)
FROM entries e, competitions c
WHERE e.id = participations.entry_id AND c.id = e.competition_id;
CREATE INDEX participations_report ON participations (competition_id, person_number, position, team,
    award_key, region_key, settlement_key, school_key, age_group_key);
