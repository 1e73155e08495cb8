DROP TABLE account_mail;
DROP TABLE password_resets;
ALTER TABLE users DROP COLUMN language;
