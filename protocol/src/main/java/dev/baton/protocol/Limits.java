package dev.baton.protocol;

/**
 * Size and count limits of protocol v1. Both sides enforce them: the sender before publishing, the receiver before
 * acting. Changing a limit is a protocol change (docs/protocol.md).
 */
public final class Limits {

    /** A desired document, encoded. */
    public static final int MAX_DESIRED_BYTES = 1024 * 1024;
    /** A reported-state message, encoded. */
    public static final int MAX_REPORTED_BYTES = 256 * 1024;
    /** A status (birth or will) message, encoded. */
    public static final int MAX_STATUS_BYTES = 8 * 1024;
    /** An event, encoded. */
    public static final int MAX_EVENT_BYTES = 16 * 1024;
    /** A command request or response, encoded. */
    public static final int MAX_COMMAND_BYTES = 64 * 1024;
    /** An inventory report (snapshot or delta), encoded. */
    public static final int MAX_INVENTORY_BYTES = 2 * 1024 * 1024;
    /** One device's properties, encoded. */
    public static final int MAX_DEVICE_PROPERTY_BYTES = 16 * 1024;
    /** Host facts, encoded. */
    public static final int MAX_HOST_FACTS_BYTES = 64 * 1024;
    /** An enrollment request or response, encoded. */
    public static final int MAX_ENROLLMENT_BYTES = 8 * 1024;

    /** Components in one desired document. */
    public static final int MAX_COMPONENTS = 256;
    /** Devices one node holds in its inventory, and so in one inventory report. */
    public static final int MAX_DEVICES = 1024;
    /** Handlers configured in one desired document's {@code discovery}. */
    public static final int MAX_DISCOVERY_HANDLERS = 16;
    /** Characters of a device id. */
    public static final int MAX_DEVICE_ID_CHARS = 256;
    /** Names in one component's {@code dependsOn}. */
    public static final int MAX_DEPENDENCIES = 32;
    /** Conditions in one reported state. */
    public static final int MAX_CONDITIONS = 32;
    /** Labels on a node or an enrollment token. */
    public static final int MAX_LABELS = 64;
    /** Characters of a human-readable message (component state, condition, event). */
    public static final int MAX_MESSAGE_CHARS = 2048;
    /** Bytes of one component's reported {@code outputs}, encoded as JSON. */
    public static final int MAX_OUTPUTS_BYTES = 2048;
    /** Nesting depth of any JSON payload. */
    public static final int MAX_NESTING_DEPTH = 32;
    /** Smallest drift-check interval a desired document may ask for. */
    public static final int MIN_RECONCILE_INTERVAL_SECONDS = 1;
    /** Largest drift-check interval a desired document may ask for (one day). */
    public static final int MAX_RECONCILE_INTERVAL_SECONDS = 86_400;

    private Limits() {}
}
