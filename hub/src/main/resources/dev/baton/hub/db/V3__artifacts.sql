-- Baton hub schema, version 3: the artifact store (issue 4). Same portability rules as V1.
-- The bytes live in files under <data dir>/artifacts/<tenant>/<sha256>; this table lists them.
CREATE TABLE artifacts (
    tenant      VARCHAR(63)   NOT NULL REFERENCES tenants (name),
    sha256      CHAR(64)      NOT NULL,
    size        BIGINT        NOT NULL,
    name        VARCHAR(255)  NOT NULL,
    created_at  BIGINT        NOT NULL,
    PRIMARY KEY (tenant, sha256)
);
