-- Baton hub schema, version 2: device inventory (issue 3). Same portability rules as V1.

-- What each node reported last: its host facts, the hash of the inventory the hub holds for it (an inventory
-- delta applies only on top of this hash), and the seq of the last inventory message applied.
ALTER TABLE nodes ADD COLUMN host_facts TEXT;
ALTER TABLE nodes ADD COLUMN inventory_hash CHAR(64);
ALTER TABLE nodes ADD COLUMN last_inventory_seq BIGINT NOT NULL DEFAULT 0;

-- One row per device per tenant, however many nodes see it; kept when no node sees it any more (state missing).
CREATE TABLE devices (
    tenant      VARCHAR(63)   NOT NULL REFERENCES tenants (name),
    id          VARCHAR(256)  NOT NULL,
    kind        VARCHAR(32)   NOT NULL,
    source      VARCHAR(32)   NOT NULL,
    name        VARCHAR(256)  NOT NULL,
    properties  TEXT          NOT NULL,
    first_seen  BIGINT        NOT NULL,
    last_seen   BIGINT        NOT NULL,
    PRIMARY KEY (tenant, id)
);

CREATE INDEX devices_kind ON devices (tenant, kind);

-- Which nodes hold a device in their inventory now, with what that node reported of it.
CREATE TABLE device_sightings (
    tenant        VARCHAR(63)   NOT NULL,
    device_id     VARCHAR(256)  NOT NULL,
    node          VARCHAR(63)   NOT NULL,
    content_hash  CHAR(64)      NOT NULL,
    first_seen    BIGINT        NOT NULL,
    last_seen     BIGINT        NOT NULL,
    PRIMARY KEY (tenant, device_id, node),
    FOREIGN KEY (tenant, device_id) REFERENCES devices (tenant, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant, node) REFERENCES nodes (tenant, name) ON DELETE CASCADE
);

CREATE INDEX device_sightings_node ON device_sightings (tenant, node);
