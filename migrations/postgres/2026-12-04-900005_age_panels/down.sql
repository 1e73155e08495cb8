DROP TABLE judge_panel_ages;
