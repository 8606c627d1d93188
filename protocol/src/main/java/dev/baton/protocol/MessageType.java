package dev.baton.protocol;

import dev.baton.protocol.internal.MessageValidator;
import java.util.Objects;
import java.util.function.Consumer;
import org.jetbrains.annotations.NotNull;

/**
 * A message type of protocol v1: its Java record, its size limit and its validation rules.
 *
 * @param <T> the record type
 */
public final class MessageType<T> {

    public static final MessageType<DesiredDocument> DESIRED = new MessageType<>(
            "desired document", DesiredDocument.class, Limits.MAX_DESIRED_BYTES, MessageValidator::desired);
    public static final MessageType<DesiredSpec> DESIRED_SPEC = new MessageType<>(
            "desired state", DesiredSpec.class, Limits.MAX_DESIRED_BYTES, MessageValidator::desiredSpec);
    public static final MessageType<ReportedState> REPORTED = new MessageType<>(
            "reported state", ReportedState.class, Limits.MAX_REPORTED_BYTES, MessageValidator::reported);
    public static final MessageType<NodeStatus> STATUS =
            new MessageType<>("node status", NodeStatus.class, Limits.MAX_STATUS_BYTES, MessageValidator::status);
    public static final MessageType<Event> EVENT =
            new MessageType<>("event", Event.class, Limits.MAX_EVENT_BYTES, MessageValidator::event);
    public static final MessageType<InventoryReport> INVENTORY = new MessageType<>(
            "inventory report", InventoryReport.class, Limits.MAX_INVENTORY_BYTES, MessageValidator::inventory);
    public static final MessageType<CommandRequest> COMMAND_REQUEST = new MessageType<>(
            "command request", CommandRequest.class, Limits.MAX_COMMAND_BYTES, MessageValidator::commandRequest);
    public static final MessageType<CommandResponse> COMMAND_RESPONSE = new MessageType<>(
            "command response", CommandResponse.class, Limits.MAX_COMMAND_BYTES, MessageValidator::commandResponse);
    public static final MessageType<EnrollmentRequest> ENROLLMENT_REQUEST = new MessageType<>(
            "enrollment request",
            EnrollmentRequest.class,
            Limits.MAX_ENROLLMENT_BYTES,
            MessageValidator::enrollmentRequest);
    public static final MessageType<EnrollmentResponse> ENROLLMENT_RESPONSE = new MessageType<>(
            "enrollment response",
            EnrollmentResponse.class,
            Limits.MAX_ENROLLMENT_BYTES,
            MessageValidator::enrollmentResponse);

    private final String displayName;
    private final Class<T> type;
    private final int maxBytes;
    private final Consumer<T> validator;

    private MessageType(
            final String displayName, final Class<T> type, final int maxBytes, final Consumer<T> validator) {
        this.displayName = displayName;
        this.type = type;
        this.maxBytes = maxBytes;
        this.validator = validator;
    }

    /** How the message is named in errors, e.g. "desired document". */
    public @NotNull String displayName() {
        return displayName;
    }

    public @NotNull Class<T> type() {
        return type;
    }

    /** The largest encoded size accepted, in bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Checks every rule of this message type.
     *
     * @throws ProtocolException naming the field, the rule and the value that broke it
     */
    public void validate(final @NotNull T message) {
        Objects.requireNonNull(message, displayName);
        validator.accept(message);
    }

    @Override
    public String toString() {
        return displayName;
    }
}
