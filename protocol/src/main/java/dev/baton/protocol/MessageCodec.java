package dev.baton.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;

/**
 * The one JSON codec of protocol v1. Decoding is strict: unknown fields, trailing data, numbers as strings (or the
 * reverse), duplicate keys, over-deep nesting and oversized payloads are refused, and every decoded message is
 * {@linkplain MessageType#validate validated}. Encoding validates too, so an invalid message is never sent.
 *
 * <p>Thread-safe; share one instance.
 */
public final class MessageCodec {

    private final JsonMapper mapper;

    public MessageCodec() {
        mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .withCoercionConfig(
                        LogicalType.Textual,
                        config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Boolean,
                        config -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .build();
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Limits.MAX_NESTING_DEPTH)
                        .maxStringLength(Limits.MAX_DESIRED_BYTES)
                        .build());
    }

    /**
     * Decodes and validates a message.
     *
     * @throws ProtocolException when the payload is too large, not the JSON of {@code type}, or breaks a rule
     */
    public <T> @NotNull T decode(final byte @NotNull [] payload, final @NotNull MessageType<T> type) {
        checkSize(payload.length, type);
        final T message;
        try {
            message = mapper.readValue(payload, type.type());
        } catch (final ValueInstantiationException e) {
            if (e.getCause() instanceof ProtocolException cause) {
                throw cause;
            }
            throw malformed(type, e);
        } catch (final IOException e) {
            throw malformed(type, e);
        }
        if (message == null) {
            throw new ProtocolException(ProtocolException.Reason.MALFORMED, type.displayName() + " must not be null");
        }
        type.validate(message);
        return message;
    }

    /** Validates and encodes a message. */
    public <T> byte @NotNull [] encode(final @NotNull T message, final @NotNull MessageType<T> type) {
        type.validate(message);
        final byte[] payload;
        try {
            payload = mapper.writeValueAsBytes(message);
        } catch (final JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + type.displayName(), e);
        }
        checkSize(payload.length, type);
        return payload;
    }

    /** Parses JSON with the same limits as messages, for provider properties and API bodies. */
    public @NotNull JsonNode readTree(final byte @NotNull [] json) {
        try {
            return mapper.readTree(json);
        } catch (final IOException e) {
            throw new ProtocolException(ProtocolException.Reason.MALFORMED, "not valid JSON: " + describe(e), e);
        }
    }

    /** Encodes any value as JSON, e.g. an API response. */
    public byte @NotNull [] writeValue(final @NotNull Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (final JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** Binds JSON to a Java type with the codec's strict settings (no validation beyond the shape). */
    public <T> @NotNull T treeToValue(final @NotNull JsonNode json, final @NotNull Class<T> type) {
        try {
            return mapper.treeToValue(json, type);
        } catch (final IOException e) {
            throw new ProtocolException(ProtocolException.Reason.MALFORMED, describe(e), e);
        }
    }

    private static void checkSize(final int size, final MessageType<?> type) {
        if (size > type.maxBytes()) {
            throw new ProtocolException(
                    ProtocolException.Reason.TOO_LARGE,
                    type.displayName() + " must not exceed " + type.maxBytes() + " bytes, but was " + size + " bytes");
        }
    }

    private static ProtocolException malformed(final MessageType<?> type, final IOException e) {
        return new ProtocolException(
                ProtocolException.Reason.MALFORMED, type.displayName() + " is malformed: " + describe(e), e);
    }

    private static String describe(final IOException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + Names.printable(unknown.getPropertyName()) + "' at " + path(unknown)
                    + " (known fields: "
                    + unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .collect(Collectors.joining(", "))
                    + ")";
        }
        if (isMissingPrimitive(e)) {
            // Jackson's text names a Java type and a DeserializationFeature, neither of which the sender knows of.
            final String path = path((MismatchedInputException) e);
            return (path.startsWith("$.") ? path.substring(2) : path) + " is required";
        }
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping
                && !mapping.getPath().isEmpty()) {
            return mapping.getOriginalMessage() + " at " + path(mapping);
        }
        return e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
    }

    /**
     * Whether {@code e} says that a field of a primitive type ({@code boolean}, {@code int}, {@code long}) is absent
     * or null, which {@link DeserializationFeature#FAIL_ON_NULL_FOR_PRIMITIVES} refuses rather than reading as
     * {@code false} or {@code 0}.
     */
    private static boolean isMissingPrimitive(final IOException e) {
        return e instanceof MismatchedInputException mismatch
                && mismatch.getTargetType() != null
                && mismatch.getTargetType().isPrimitive()
                && !mismatch.getPath().isEmpty()
                && String.valueOf(mismatch.getOriginalMessage()).startsWith("Cannot map `null` into type");
    }

    private static String path(final com.fasterxml.jackson.databind.JsonMappingException e) {
        final StringBuilder path = new StringBuilder("$");
        for (final var reference : e.getPath()) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                path.append('.').append(reference.getFieldName());
            }
        }
        return path.toString();
    }
}
