package dev.baton.adapters.opcua.write;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalDouble;
import org.jetbrains.annotations.NotNull;

/**
 * One value an {@code opcua-write} component keeps on a node: an element of its {@code writes} array.
 *
 * @param nodeId the node in OPC UA's string form (OPC UA Part 6 §5.3.1.10), {@code ns=2;s=Line1.Speed} or with a
 *     namespace URI, {@code nsu=urn:plant;s=Line1.Speed}; checked for syntax, resolved on the server
 * @param value the value, a JSON value that fits {@code dataType} (checked)
 * @param dataType the node's DataType, checked against the node's DataType attribute before anything is written
 * @param tolerance for Float and Double: how far a value read back may be from {@code value} and still match
 *     (default 0, exact)
 */
public record NodeWrite(
        @NotNull String nodeId,
        @NotNull JsonNode value,
        @NotNull WriteDataType dataType,
        @NotNull OptionalDouble tolerance) {

    public NodeWrite {
        value = value.deepCopy();
    }

    @Override
    public @NotNull JsonNode value() {
        return value.deepCopy();
    }
}
