-- People as the organization knows them, so a child in three competitions is one person and the
-- organizer's merges and splits stick. A participation is one person in one entry (a team entry
-- has one per member); a new one goes to the person its automatic key (normalized name with the
-- birth date, else with the organization) points at. Merging two persons points both keys at one;
-- splitting pins the chosen participations to a new person, and re-imports leave pinned ones be.
CREATE TABLE persons (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- The name in lower case, for finding a person by a part of it.
    search_name TEXT NOT NULL,
    birth_date TEXT,
    school TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX persons_organization ON persons (organization_id, search_name);
CREATE TABLE person_keys (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    PRIMARY KEY (organization_id, key)
);
CREATE INDEX person_keys_person ON person_keys (person_id);
CREATE TABLE participations (
    id TEXT PRIMARY KEY NOT NULL,
    entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    competition_id TEXT NOT NULL REFERENCES competitions (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons (id),
    name TEXT NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (entry_id, position)
);
-- The report reads a period's competitions' participations with their entries, and counts
-- documents by competition, kind and status.
CREATE INDEX participations_competition ON participations (competition_id, person_id);
CREATE INDEX participations_person ON participations (person_id);
CREATE INDEX documents_report ON documents (competition_id, kind, status);
