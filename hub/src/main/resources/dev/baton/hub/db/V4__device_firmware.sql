-- Baton hub schema, version 4: the firmware image last flashed and verified on each device (issue 5). Same
-- portability rules as V1.
-- Filled from the outputs of `firmware` components in reported states (outputs.devices[]); one row per device, the
-- most recent flash wins whichever node reported it. No foreign key to devices: a node may report a flash before
-- its inventory names the device.
CREATE TABLE device_firmware (
    tenant       VARCHAR(63)   NOT NULL REFERENCES tenants (name),
    device_id    VARCHAR(256)  NOT NULL,
    node         VARCHAR(63)   NOT NULL,
    component    VARCHAR(63)   NOT NULL,
    sha256       CHAR(64)      NOT NULL,
    verified     BOOLEAN       NOT NULL,
    chip_id      VARCHAR(32),
    flashed_at   BIGINT        NOT NULL,
    reported_at  BIGINT        NOT NULL,
    PRIMARY KEY (tenant, device_id)
);
