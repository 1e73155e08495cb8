-- The organization's contacts (for the public pages) and its default pictures: every design draws
-- the organization's logo, stamp and signature unless it has its own picture for that role. The
-- pictures are kept once per content in design_pictures; these columns hold their SHA-256.
ALTER TABLE organizations ADD COLUMN address TEXT;
ALTER TABLE organizations ADD COLUMN phone TEXT;
ALTER TABLE organizations ADD COLUMN email TEXT;
ALTER TABLE organizations ADD COLUMN website TEXT;
ALTER TABLE organizations ADD COLUMN logo_sha256 TEXT;
ALTER TABLE organizations ADD COLUMN stamp_sha256 TEXT;
ALTER TABLE organizations ADD COLUMN signature_sha256 TEXT;
