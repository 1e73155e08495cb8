DROP TABLE past_sheet_remarks;
DROP TABLE past_scores;
DROP TABLE review_rounds;
