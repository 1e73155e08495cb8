DROP TABLE chair_ties;
