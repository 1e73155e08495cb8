DROP INDEX entries_import_order;
