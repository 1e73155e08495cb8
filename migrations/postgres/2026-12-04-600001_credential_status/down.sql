DROP TABLE credential_status;
