-- Agent schema version 2: the device inventory (issue 3).
-- One row per device the node holds, as last reported; a device stays through its handler's grace period after
-- the last scan that found it.
CREATE TABLE inventory (
    id            TEXT    NOT NULL PRIMARY KEY,
    handler       TEXT    NOT NULL,
    device        TEXT    NOT NULL,
    content_hash  TEXT    NOT NULL,
    first_seen    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL
);
