-- Stages across organizations (issue 23, part 6): a regional organizer invites a municipal one by a
-- link (only its hash is kept); the municipal organizer links one of its competitions as the
-- feeding stage and forwards its winners, which arrive as the regional competition's entries,
-- each remembered with where it came from. The same, one level up, for regional → republican.
CREATE TABLE stage_invitations (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    -- Which organization or territory it is for, in the organizer's words.
    addressee TEXT,
    -- Entries it may send per nomination and age group; none: no limit.
    quota INTEGER,
    created_by TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    used_at TEXT
);
CREATE INDEX stage_invitations_competition ON stage_invitations (competition_id, created_at);

CREATE TABLE stage_links (
    id TEXT PRIMARY KEY NOT NULL,
    invitation_id TEXT NOT NULL UNIQUE REFERENCES stage_invitations(id) ON DELETE CASCADE,
    upper_organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    upper_competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    lower_organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    lower_competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    linked_at TEXT NOT NULL,
    UNIQUE (upper_competition_id, lower_competition_id)
);
CREATE INDEX stage_links_lower ON stage_links (lower_competition_id);

-- One row per participant forwarded through a link: sending again finds it by its key and adds
-- nothing. The lower organization sees only these columns of what it sent.
CREATE TABLE stage_forwards (
    link_id TEXT NOT NULL REFERENCES stage_links(id) ON DELETE CASCADE,
    source_key TEXT NOT NULL,
    entry_id TEXT REFERENCES entries(id) ON DELETE SET NULL,
    holder_name TEXT NOT NULL,
    nomination TEXT,
    age_group TEXT,
    forwarded_at TEXT NOT NULL,
    refused_at TEXT,
    PRIMARY KEY (link_id, source_key)
);
CREATE INDEX stage_forwards_entry ON stage_forwards (entry_id);
