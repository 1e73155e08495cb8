-- The public side of a competition: its announcement and application form (`calls`), the
-- applications sent through it, their works (files kept by SHA-256 in the data folder, outside any
-- web root), the private links of the applicants' cabinets (hashed, never the link itself) and the
-- mail that carries those links.
CREATE TABLE calls (
    competition_id TEXT PRIMARY KEY NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    published BOOLEAN NOT NULL DEFAULT FALSE,
    summary TEXT,
    contacts TEXT,
    opens_at TEXT,
    deadline TEXT,
    nominations TEXT NOT NULL DEFAULT '[]',
    age_groups TEXT NOT NULL DEFAULT '[]',
    fields TEXT NOT NULL DEFAULT '[]',
    team_max INTEGER NOT NULL DEFAULT 0,
    files_max INTEGER NOT NULL DEFAULT 1,
    file_mb INTEGER NOT NULL DEFAULT 10,
    file_kinds TEXT NOT NULL DEFAULT '["pdf","image"]',
    rules_sha256 TEXT,
    results_published BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TEXT NOT NULL
);
CREATE INDEX calls_by_organization ON calls (organization_id);

CREATE TABLE applications (
    id TEXT PRIMARY KEY NOT NULL,
    competition_id TEXT NOT NULL REFERENCES competitions(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    state TEXT NOT NULL,
    remark TEXT,
    holder_name TEXT NOT NULL,
    team_members TEXT,
    school TEXT,
    region TEXT,
    settlement_type TEXT,
    age_group TEXT,
    nomination TEXT,
    supervisor TEXT,
    supervisor_email TEXT,
    email TEXT NOT NULL,
    phone TEXT,
    minor BOOLEAN NOT NULL,
    guardian_name TEXT,
    consent_at TEXT,
    consent_text TEXT,
    answers TEXT NOT NULL DEFAULT '{}',
    language TEXT NOT NULL,
    email_confirmed_at TEXT,
    entry_id TEXT REFERENCES entries(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (competition_id, number)
);
CREATE INDEX applications_by_entry ON applications (entry_id);

CREATE TABLE application_files (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX application_files_by_application ON application_files (application_id);

CREATE TABLE application_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX application_links_by_application ON application_links (application_id);

CREATE TABLE application_mail (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT,
    failed_at TEXT,
    last_error TEXT
);
CREATE INDEX application_mail_due ON application_mail (sent_at, failed_at, next_attempt_at);
