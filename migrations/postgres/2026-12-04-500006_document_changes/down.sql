DROP TRIGGER documents_changed ON documents;
DROP FUNCTION note_document_change();
DROP TABLE document_changes;
