DROP INDEX account_mail_judge;
ALTER TABLE account_mail DROP COLUMN judge_id;
