-- A test schema: two versions.
CREATE TABLE things (id VARCHAR(10) NOT NULL PRIMARY KEY);
INSERT INTO things (id) VALUES ('first');
