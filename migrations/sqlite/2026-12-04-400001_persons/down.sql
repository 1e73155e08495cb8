DROP INDEX documents_report;
DROP TABLE participations;
DROP TABLE person_keys;
DROP TABLE persons;
