ALTER TABLE organizations DROP COLUMN signature_sha256;
ALTER TABLE organizations DROP COLUMN stamp_sha256;
ALTER TABLE organizations DROP COLUMN logo_sha256;
ALTER TABLE organizations DROP COLUMN website;
ALTER TABLE organizations DROP COLUMN email;
ALTER TABLE organizations DROP COLUMN phone;
ALTER TABLE organizations DROP COLUMN address;
