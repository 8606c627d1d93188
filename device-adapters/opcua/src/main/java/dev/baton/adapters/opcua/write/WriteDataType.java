package dev.baton.adapters.opcua.write;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The built-in OPC UA data types an {@code opcua-write} component can write (OPC UA Part 6 §5.1.2; their DataType
 * nodes are {@code i=1} to {@code i=12} in namespace 0, Part 3 §8), with the JSON values each accepts.
 */
public enum WriteDataType {
    BOOLEAN("Boolean", 1, null, null),
    SBYTE("SByte", 2, BigInteger.valueOf(Byte.MIN_VALUE), BigInteger.valueOf(Byte.MAX_VALUE)),
    BYTE("Byte", 3, BigInteger.ZERO, BigInteger.valueOf(255)),
    INT16("Int16", 4, BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE)),
    UINT16("UInt16", 5, BigInteger.ZERO, BigInteger.valueOf(65_535)),
    INT32("Int32", 6, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)),
    UINT32("UInt32", 7, BigInteger.ZERO, BigInteger.valueOf(4_294_967_295L)),
    INT64("Int64", 8, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)),
    UINT64("UInt64", 9, BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)),
    FLOAT("Float", 10, null, null),
    DOUBLE("Double", 11, null, null),
    STRING("String", 12, null, null);

    /** Longest String value, in characters: device settings, not documents. */
    public static final int MAX_STRING_CHARS = 4096;

    private final String typeName;
    private final int dataTypeId;
    private final @Nullable BigInteger min;
    private final @Nullable BigInteger max;

    WriteDataType(
            final String typeName,
            final int dataTypeId,
            final @Nullable BigInteger min,
            final @Nullable BigInteger max) {
        this.typeName = typeName;
        this.dataTypeId = dataTypeId;
        this.min = min;
        this.max = max;
    }

    /** The name in the desired document and in OPC UA, e.g. {@code UInt16}. */
    public @NotNull String typeName() {
        return typeName;
    }

    /** The numeric id of the type's DataType node in namespace 0, e.g. 5 for UInt16. */
    public int dataTypeId() {
        return dataTypeId;
    }

    public boolean isInteger() {
        return min != null;
    }

    public boolean isSigned() {
        return min != null && min.signum() < 0;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT || this == DOUBLE;
    }

    /** The type named {@code name} exactly as OPC UA spells it, or empty. */
    public static @NotNull Optional<WriteDataType> ofName(final @NotNull String name) {
        for (final WriteDataType type : values()) {
            if (type.typeName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /**
     * Why {@code value} is not a value of this type, as a predicate to follow the property's name ("must be a whole
     * number from 0 to 255, but was 300"), or empty when it is one.
     */
    public @NotNull Optional<String> problemWith(final @NotNull JsonNode value) {
        if (this == BOOLEAN) {
            return value.isBoolean()
                    ? Optional.empty()
                    : Optional.of("must be true or false for Boolean, but was " + shown(value));
        }
        if (this == STRING) {
            if (!value.isTextual()) {
                return Optional.of("must be a string for String, but was " + shown(value));
            }
            return value.textValue().length() > MAX_STRING_CHARS
                    ? Optional.of("must be at most " + MAX_STRING_CHARS + " characters, but was "
                            + value.textValue().length() + " characters")
                    : Optional.empty();
        }
        if (isInteger()) {
            if (!value.isIntegralNumber()) {
                return Optional.of("must be a whole number from " + min + " to " + max + " for " + typeName
                        + ", but was " + shown(value));
            }
            final BigInteger number = value.bigIntegerValue();
            return number.compareTo(min) < 0 || number.compareTo(max) > 0
                    ? Optional.of("must be a whole number from " + min + " to " + max + " for " + typeName
                            + ", but was " + number)
                    : Optional.empty();
        }
        if (!value.isNumber()) {
            return Optional.of("must be a number for " + typeName + ", but was " + shown(value));
        }
        final double number = value.doubleValue();
        final double limit = this == FLOAT ? Float.MAX_VALUE : Double.MAX_VALUE;
        return Double.isFinite(number) && Math.abs(number) <= limit
                ? Optional.empty()
                : Optional.of("must be a finite number within the range of " + typeName + " (±" + limit + "), but was "
                        + value);
    }

    private static String shown(final JsonNode value) {
        return value.isNumber() ? value.toString() : dev.baton.adapters.api.PropertyReader.describe(value);
    }
}
