DROP TABLE erasures;
DROP TABLE retention_settings;
