DROP TABLE application_mail; DROP TABLE application_links; DROP TABLE application_files; DROP TABLE applications; DROP TABLE calls;
