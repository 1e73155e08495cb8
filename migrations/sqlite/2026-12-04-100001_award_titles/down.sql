DROP TABLE award_words;
ALTER TABLE entries DROP COLUMN phone;
ALTER TABLE entries DROP COLUMN birth_date;
ALTER TABLE entries DROP COLUMN award_title;
