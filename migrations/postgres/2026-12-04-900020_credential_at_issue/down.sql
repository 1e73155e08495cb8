DROP TABLE document_credentials;
