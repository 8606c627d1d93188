-- Schema 1 of the agent's store. Everything the agent needs to continue after kill -9 lives here.

-- The last accepted desired document (a single row). It is stored before it is applied, so that an agent that
-- restarts without a connection reconciles it again.
CREATE TABLE desired (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  INTEGER NOT NULL,
    document    BLOB    NOT NULL,
    accepted_at TEXT    NOT NULL
);

-- What the agent has done per component: the spec it last worked on (needed to remove the component after it left
-- the desired document, even after a restart), and where that stands.
CREATE TABLE applied (
    name            TEXT    PRIMARY KEY,
    kind            TEXT    NOT NULL,
    spec            BLOB    NOT NULL,
    spec_hash       TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    message         TEXT    NOT NULL,
    generation      INTEGER NOT NULL,
    last_transition TEXT    NOT NULL
);

-- Node-level conditions of the reported state (DesiredAccepted), so that a rejection is still reported after a
-- restart.
CREATE TABLE conditions (
    type            TEXT    PRIMARY KEY,
    status          INTEGER NOT NULL,
    reason          TEXT    NOT NULL,
    message         TEXT    NOT NULL,
    last_transition TEXT    NOT NULL
);

-- Agent-to-hub messages not yet acknowledged by the broker, oldest first. The payload is the encoded message,
-- which carries its own seq.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY,
    channel    TEXT    NOT NULL,
    payload    BLOB    NOT NULL,
    bytes      INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX outbox_by_channel ON outbox (channel, seq);

-- Counters. outbox.last_seq only grows; observed_generation is the last desired generation worked through;
-- clean_shutdown is 0 while an agent runs.
CREATE TABLE meta (
    key   TEXT    PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('outbox.last_seq', 0), ('observed_generation', 0), ('clean_shutdown', 1);
