DROP TABLE jobs;
DROP TABLE documents;
DROP TABLE serial_counters;
DROP TABLE entries;
DROP TABLE competitions;
DROP TABLE api_tokens;
DROP TABLE organizations;
