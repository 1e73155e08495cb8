DROP TABLE jury_settings;
DROP TABLE scores;
DROP TABLE criteria;
DROP TABLE judges;
ALTER TABLE api_tokens DROP COLUMN role;
