-- An award's printed title as the organizer wrote it (when it says more than its category), and the
-- columns that tell namesakes apart (never printed or public).
ALTER TABLE entries ADD COLUMN award_title TEXT;
ALTER TABLE entries ADD COLUMN birth_date TEXT;
ALTER TABLE entries ADD COLUMN phone TEXT;

-- Award words an organization mapped once (a category and the title to print), used on every
-- later upload.
CREATE TABLE award_words (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    text_key TEXT NOT NULL,
    text TEXT NOT NULL,
    award TEXT NOT NULL,
    title TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, text_key)
);
