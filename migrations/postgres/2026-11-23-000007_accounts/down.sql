ALTER TABLE judges DROP COLUMN user_id;
DROP TABLE login_failures;
DROP TABLE invitations;
DROP TABLE sessions;
DROP TABLE users;
