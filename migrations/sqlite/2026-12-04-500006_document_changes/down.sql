DROP TRIGGER documents_changed;
DROP TABLE document_changes;
