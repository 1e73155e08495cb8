DROP TABLE design_pictures;
DROP TABLE design_versions;
DROP TABLE designs;
