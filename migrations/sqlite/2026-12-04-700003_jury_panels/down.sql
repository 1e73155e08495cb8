DROP TABLE judge_panels;
