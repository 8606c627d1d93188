-- What a provider reports about a component beyond its state (the firmware image verified on a device, say), kept
-- so that an agent restart reports it again without redoing the work.
ALTER TABLE applied ADD COLUMN outputs TEXT NOT NULL DEFAULT '{}';

-- The last desired document in which every component became healthy: where a rollback returns to. A generation
-- that never became fully healthy is never stored here, so a rollback cannot lead to another bad generation.
CREATE TABLE desired_healthy (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  INTEGER NOT NULL,
    document    BLOB    NOT NULL,
    healthy_at  TEXT    NOT NULL
);
