-- Identifiers are UUID text and timestamps RFC 3339 UTC text, so one schema.rs serves both backends.
CREATE TABLE organizations (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name_kk TEXT,
    name_ru TEXT,
    name_en TEXT,
    serial_prefix TEXT NOT NULL,
    city TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE competitions (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    title_kk TEXT,
    title_ru TEXT,
    title_en TEXT,
    kind TEXT NOT NULL,
    direction TEXT,
    level TEXT,
    starts_on TEXT,
    ends_on TEXT,
    city TEXT,
    language TEXT NOT NULL,
    design TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX competitions_organization ON competitions(organization_id);

CREATE TABLE entries (
    id TEXT PRIMARY KEY NOT NULL,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    source_row INTEGER NOT NULL,
    holder_name TEXT NOT NULL,
    team_members TEXT,
    school TEXT,
    region TEXT,
    settlement_type TEXT,
    supervisor TEXT,
    nomination TEXT,
    age_group TEXT,
    email TEXT,
    award TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX entries_competition ON entries(competition_id, source_row);

CREATE TABLE serial_counters (
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    last_value INTEGER NOT NULL,
    PRIMARY KEY (organization_id, year)
);

CREATE TABLE documents (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    serial TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    design TEXT NOT NULL,
    payload TEXT NOT NULL,
    sha256 TEXT,
    revoked_reason TEXT,
    revoked_at TEXT,
    issued_at TEXT NOT NULL,
    UNIQUE (organization_id, serial)
);
CREATE INDEX documents_competition ON documents(competition_id, serial);
CREATE INDEX documents_entry ON documents(entry_id);

CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    done INTEGER NOT NULL,
    total INTEGER NOT NULL,
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX jobs_state ON jobs(state, created_at);
