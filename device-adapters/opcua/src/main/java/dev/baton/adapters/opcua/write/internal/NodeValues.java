package dev.baton.adapters.opcua.write.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.adapters.opcua.write.NodeWrite;
import dev.baton.adapters.opcua.write.WriteDataType;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UNumber;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Values of {@link NodeWrite}s as OPC UA Variants (OPC UA Part 6 §5.1.2), and the comparison of what a server holds
 * with what is desired.
 */
final class NodeValues {

    /** Abstract DataTypes of namespace 0 (OPC UA Part 5 §12.2) whose variables accept values of subtypes. */
    private static final int BASE_DATA_TYPE = 24;

    private static final int NUMBER = 26;
    private static final int INTEGER = 27;
    private static final int UINTEGER = 28;
    /** Duration is a Double (Part 3 §8.13). */
    private static final int DURATION = 290;

    private static final Map<Integer, String> OTHER_TYPE_NAMES = Map.ofEntries(
            Map.entry(13, "DateTime"),
            Map.entry(14, "Guid"),
            Map.entry(15, "ByteString"),
            Map.entry(16, "XmlElement"),
            Map.entry(17, "NodeId"),
            Map.entry(19, "StatusCode"),
            Map.entry(20, "QualifiedName"),
            Map.entry(21, "LocalizedText"),
            Map.entry(22, "Structure"),
            Map.entry(BASE_DATA_TYPE, "BaseDataType"),
            Map.entry(NUMBER, "Number"),
            Map.entry(INTEGER, "Integer"),
            Map.entry(UINTEGER, "UInteger"),
            Map.entry(29, "Enumeration"),
            Map.entry(DURATION, "Duration"),
            Map.entry(294, "UtcTime"));

    private static final int MAX_SHOWN_CHARS = 64;

    private NodeValues() {}

    /** The value of {@code write} as the Variant of its data type. */
    static @NotNull Variant variant(final @NotNull NodeWrite write) {
        final JsonNode value = write.value();
        return switch (write.dataType()) {
            case BOOLEAN -> Variant.ofBoolean(value.booleanValue());
            case SBYTE -> Variant.ofSByte((byte) value.intValue());
            case BYTE -> Variant.ofByte(ubyte(value.intValue()));
            case INT16 -> Variant.ofInt16((short) value.intValue());
            case UINT16 -> Variant.ofUInt16(ushort(value.intValue()));
            case INT32 -> Variant.ofInt32(value.intValue());
            case UINT32 -> Variant.ofUInt32(uint(value.longValue()));
            case INT64 -> Variant.ofInt64(value.longValue());
            case UINT64 -> Variant.ofUInt64(ulong(value.bigIntegerValue()));
            case FLOAT -> Variant.ofFloat(value.floatValue());
            case DOUBLE -> Variant.ofDouble(value.doubleValue());
            case STRING -> Variant.ofString(value.textValue());
        };
    }

    /**
     * True when a variable whose DataType attribute is {@code actual} takes values of {@code expected}: the same type,
     * or an abstract supertype that admits it (BaseDataType, Number, Integer, UInteger), or Duration for Double.
     */
    static boolean accepts(final @NotNull NodeId actual, final @NotNull WriteDataType expected) {
        if (actual.getNamespaceIndex().intValue() != 0 || !(actual.getIdentifier() instanceof UInteger id)) {
            return false;
        }
        final int type = id.intValue();
        if (type == expected.dataTypeId() || type == BASE_DATA_TYPE) {
            return true;
        }
        return switch (type) {
            case NUMBER -> expected.isInteger() || expected.isFloatingPoint();
            case INTEGER -> expected.isSigned();
            case UINTEGER -> expected.isInteger() && !expected.isSigned();
            case DURATION -> expected == WriteDataType.DOUBLE;
            default -> false;
        };
    }

    /** A DataType node id as a person reads it: {@code Int32 (i=6)}, or the node id for a server's own type. */
    static @NotNull String typeName(final @NotNull NodeId dataType) {
        if (dataType.getNamespaceIndex().intValue() == 0 && dataType.getIdentifier() instanceof UInteger id) {
            final int number = id.intValue();
            for (final WriteDataType type : WriteDataType.values()) {
                if (type.dataTypeId() == number) {
                    return type.typeName() + " (i=" + number + ")";
                }
            }
            final String other = OTHER_TYPE_NAMES.get(number);
            if (other != null) {
                return other + " (i=" + number + ")";
            }
        }
        return dataType.toParseableString();
    }

    /**
     * How what the server holds differs from {@code write}: "is 12.5" or "could not be read: Bad_NodeIdUnknown"; empty
     * when it matches (within the tolerance, for Float and Double).
     */
    static @NotNull Optional<String> difference(final @NotNull NodeWrite write, final @NotNull DataValue read) {
        final StatusCode status = read.getStatusCode();
        if (status != null && status.isBad()) {
            return Optional.of("could not be read: " + statusName(status));
        }
        final Object actual = read.getValue() == null ? null : read.getValue().getValue();
        if (actual == null) {
            return Optional.of("holds no value");
        }
        return matches(write, actual) ? Optional.empty() : Optional.of("is " + shown(actual));
    }

    private static boolean matches(final NodeWrite write, final Object actual) {
        final JsonNode desired = write.value();
        final WriteDataType type = write.dataType();
        if (type == WriteDataType.BOOLEAN) {
            return actual instanceof Boolean flag && flag == desired.booleanValue();
        }
        if (type == WriteDataType.STRING) {
            return actual instanceof String text && text.equals(desired.textValue());
        }
        if (type.isInteger()) {
            final BigInteger number = integer(actual);
            return number != null && number.equals(desired.bigIntegerValue());
        }
        if (!(actual instanceof Number number) || actual instanceof UNumber) {
            return false;
        }
        final double want = type == WriteDataType.FLOAT ? (double) desired.floatValue() : desired.doubleValue();
        final double have = number.doubleValue();
        return Math.abs(have - want) <= write.tolerance().orElse(0.0) || have == want;
    }

    private static @Nullable BigInteger integer(final Object actual) {
        if (actual instanceof UNumber unsigned) {
            return unsigned.toBigInteger();
        }
        if (actual instanceof Byte || actual instanceof Short || actual instanceof Integer || actual instanceof Long) {
            return BigInteger.valueOf(((Number) actual).longValue());
        }
        return null;
    }

    /** {@code value} for a message, quoted when it is text, shortened. */
    static @NotNull String shown(final @NotNull Object value) {
        final String text = value instanceof String string ? "'" + string + "'" : String.valueOf(value);
        final String printable = text.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() > MAX_SHOWN_CHARS ? printable.substring(0, MAX_SHOWN_CHARS) + "…" : printable;
    }

    /** The desired value of {@code write} for a message. */
    static @NotNull String shownDesired(final @NotNull NodeWrite write) {
        final JsonNode value = write.value();
        return value.isTextual() ? shown(value.textValue()) : value.toString();
    }

    /** The status's name, e.g. {@code Bad_NotWritable}, or its code in hex for one Milo does not know. */
    static @NotNull String statusName(final @NotNull StatusCode status) {
        return StatusCodes.lookup(status.getValue())
                .map(names -> names[0])
                .orElse(String.format("0x%08X", status.getValue()));
    }
}
