DROP TABLE jury_sign_offs;
DROP TABLE jury_chairs;
DROP TABLE out_of_competition;
