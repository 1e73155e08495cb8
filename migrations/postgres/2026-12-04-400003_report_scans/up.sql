-- The report counts the scans of a period's papers: the papers of its competitions are found in
-- this index and their scans in scans_document, without reading a document row (a half-year of
-- half a million papers took a second through the table, some 60 ms through the index).
CREATE INDEX documents_report_ids ON documents (competition_id, id);
