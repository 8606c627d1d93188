-- Baton hub schema, version 5: events of one type per node, newest first, without reading the others.
-- A node's detail shows its last rollback events; with only the primary key, finding them stepped through all of
-- the node's (up to 1000) events and read each row to test its type (about 0.27 ms a request on SQLite).
CREATE INDEX events_by_type ON events (tenant, node, type, seq);
