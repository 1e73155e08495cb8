DROP INDEX documents_report_ids;
