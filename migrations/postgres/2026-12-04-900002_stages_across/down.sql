DROP TABLE stage_forwards;
DROP TABLE stage_links;
DROP TABLE stage_invitations;
