-- The signing keys of a deployment whose instances share one secret (`signing_secret`): each
-- instance derives a key's private half from the secret and the key's generation, so nothing here
-- lets a reader of the database sign. Keys that signed before the deployment was shared are kept
-- as public halves only (generation NULL), to verify what they signed.
CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    generation INTEGER UNIQUE,
    public_key TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
