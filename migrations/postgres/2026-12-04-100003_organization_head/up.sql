-- Who signs the organization's papers: the head's name and title, printed by the signature line
-- of papers issued from now on (papers issued before keep what they say).
ALTER TABLE organizations ADD COLUMN head_name TEXT;
ALTER TABLE organizations ADD COLUMN head_title TEXT;
