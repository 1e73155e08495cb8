-- Organizers' own designs. A design has a name in its organization; every change is a new version,
-- and a version is never changed, so a paper rendered with it renders the same bytes again.
-- Documents name the version they were rendered with as "DESIGN_ID@VERSION".
CREATE TABLE designs (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    latest_version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (organization_id, name)
);
CREATE TABLE design_versions (
    design_id TEXT NOT NULL REFERENCES designs(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    -- The design JSON (templates/designs/README.md).
    definition TEXT NOT NULL,
    -- JSON {asset name: SHA-256 of the picture}.
    pictures TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (design_id, version)
);
-- Pictures are stored once by content, however many versions and designs draw them.
CREATE TABLE design_pictures (
    sha256 TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    created_at TEXT NOT NULL
);
