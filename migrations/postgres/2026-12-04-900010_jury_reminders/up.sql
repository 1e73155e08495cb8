-- Reminders to late jury members (issue 23 part 2) go through the account mail queue, one row a
-- reminder: the judge it is about, so the worker counts the entries still left when it sends, and
-- so a judge is reminded at most once in a while (the newest row of the judge says when).
ALTER TABLE account_mail ADD COLUMN judge_id TEXT;
CREATE INDEX account_mail_judge ON account_mail(judge_id, created_at);
