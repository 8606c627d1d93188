-- Baton hub schema, version 1.
-- Plain SQL that SQLite and PostgreSQL both accept: no AUTOINCREMENT/SERIAL (ids are made by the hub), times are
-- BIGINT milliseconds since the epoch (UTC), JSON is TEXT. Statements end with ';' at the end of a line; no ';'
-- inside string literals (the runner splits on it).

CREATE TABLE tenants (
    name        VARCHAR(63)  NOT NULL PRIMARY KEY,
    created_at  BIGINT       NOT NULL
);

-- created_at 0: the default tenant exists since the store was created.
INSERT INTO tenants (name, created_at) VALUES ('default', 0);

-- API bearer tokens; only the SHA-256 of each token is kept. tenant NULL: the token may act on every tenant.
CREATE TABLE api_tokens (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant      VARCHAR(63)  REFERENCES tenants (name),
    token_hash  CHAR(64)     NOT NULL UNIQUE,
    created_at  BIGINT       NOT NULL
);

CREATE TABLE enrollment_tokens (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    tenant      VARCHAR(63)  NOT NULL REFERENCES tenants (name),
    token_hash  CHAR(64)     NOT NULL UNIQUE,
    expires_at  BIGINT       NOT NULL,
    max_uses    INTEGER      NOT NULL,
    uses        INTEGER      NOT NULL DEFAULT 0,
    labels      TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL,
    CHECK (uses >= 0 AND uses <= max_uses)
);

-- A node row exists once desired state is set for it or it enrolls, whichever comes first.
CREATE TABLE nodes (
    tenant               VARCHAR(63)  NOT NULL REFERENCES tenants (name),
    name                 VARCHAR(63)  NOT NULL,
    labels               TEXT         NOT NULL,
    credential_hash      CHAR(64),
    created_at           BIGINT       NOT NULL,
    enrolled_at          BIGINT,
    online               BOOLEAN      NOT NULL DEFAULT FALSE,
    last_seen            BIGINT,
    boot_id              VARCHAR(64),
    agent_version        VARCHAR(64),
    protocols            TEXT,
    desired_generation   BIGINT       NOT NULL DEFAULT 0,
    observed_generation  BIGINT       NOT NULL DEFAULT 0,
    last_reported_seq    BIGINT       NOT NULL DEFAULT 0,
    reported             TEXT,
    reported_at          BIGINT,
    PRIMARY KEY (tenant, name)
);

-- Every generation of every node's desired document; the newest is the current one.
CREATE TABLE desired_documents (
    tenant      VARCHAR(63)  NOT NULL,
    node        VARCHAR(63)  NOT NULL,
    generation  BIGINT       NOT NULL,
    document    TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL,
    PRIMARY KEY (tenant, node, generation),
    FOREIGN KEY (tenant, node) REFERENCES nodes (tenant, name) ON DELETE CASCADE
);

-- Events as the agents sent them, once per (tenant, node, seq); the hub keeps the newest 1000 per node.
CREATE TABLE events (
    tenant      VARCHAR(63)    NOT NULL,
    node        VARCHAR(63)    NOT NULL,
    seq         BIGINT         NOT NULL,
    boot_id     VARCHAR(64)    NOT NULL,
    ts          BIGINT         NOT NULL,
    type        VARCHAR(160)   NOT NULL,
    severity    VARCHAR(16)    NOT NULL,
    component   VARCHAR(63),
    message     TEXT           NOT NULL,
    PRIMARY KEY (tenant, node, seq),
    FOREIGN KEY (tenant, node) REFERENCES nodes (tenant, name) ON DELETE CASCADE
);
