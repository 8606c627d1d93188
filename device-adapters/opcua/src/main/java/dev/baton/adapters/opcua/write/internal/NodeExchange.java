package dev.baton.adapters.opcua.write.internal;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.opcua.internal.Deadline;
import dev.baton.adapters.opcua.internal.ServerSession;
import dev.baton.adapters.opcua.write.NodeWrite;
import dev.baton.adapters.opcua.write.OpcUaWriteConfig;
import dev.baton.protocol.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
import org.jetbrains.annotations.NotNull;

/**
 * What an {@code opcua-write} component does on an open session: resolves its node ids, checks each node's DataType
 * attribute (one Read, OPC UA Part 4 §5.10.2), writes every value (one Write, §5.10.4), checks every result, and
 * reads the values back (one Read) to confirm them. Each request is bounded by the caller's {@link Deadline}.
 */
final class NodeExchange {

    /** Differences listed in a drift detail or failure message; the rest are counted. */
    static final int MAX_LISTED = 8;

    private final ServerSession session;
    private final OpcUaClient client;
    private final List<NodeWrite> writes;
    private final Deadline deadline;
    private final String server;

    NodeExchange(
            final @NotNull ServerSession session,
            final @NotNull OpcUaWriteConfig config,
            final @NotNull String server,
            final @NotNull Deadline deadline) {
        this.session = session;
        this.client = session.client();
        this.writes = config.writes();
        this.deadline = deadline;
        this.server = server;
    }

    /**
     * Writes every value and confirms it by reading it back.
     *
     * @throws ComponentException with {@link ComponentException.Reason#APPLY_FAILED}, listing every node that failed
     *     with its status name
     */
    void writeAndConfirm() throws InterruptedException {
        final List<NodeId> nodes = resolve();
        checkDataTypes(nodes);
        final List<WriteValue> values = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            values.add(new WriteValue(
                    nodes.get(i),
                    AttributeId.Value.uid(),
                    null,
                    DataValue.valueOnly(NodeValues.variant(writes.get(i)))));
        }
        final StatusCode[] results =
                call("Write", () -> deadline.await(client.writeAsync(values)).getResults());
        final List<String> refused = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            final StatusCode status = results == null || i >= results.length ? null : results[i];
            if (status == null || status.isBad()) {
                refused.add(label(i) + ": " + (status == null ? "no result" : NodeValues.statusName(status))
                        + advice(status));
            }
        }
        if (!refused.isEmpty()) {
            throw failed(server + " refused " + refused.size() + " of " + writes.size() + " writes (" + list(refused)
                    + "); the other values were written");
        }
        final List<String> differences = differences(nodes);
        if (!differences.isEmpty()) {
            throw failed(server + " accepted every write, but reading back found " + list(differences)
                    + "; another client may be writing these nodes, or the server adjusts the values");
        }
    }

    /** How the server's values differ from the desired ones, one entry per node; empty when all match. */
    @NotNull
    List<String> differences() throws InterruptedException {
        return differences(resolve());
    }

    private List<String> differences(final List<NodeId> nodes) throws InterruptedException {
        final List<DataValue> read = read(nodes, AttributeId.Value);
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            final NodeWrite write = writes.get(i);
            final int index = i;
            NodeValues.difference(write, read.get(i))
                    .ifPresent(difference ->
                            out.add(label(index) + " " + difference + ", desired " + NodeValues.shownDesired(write)));
        }
        return out;
    }

    private List<NodeId> resolve() throws InterruptedException {
        NamespaceTable namespaces = null;
        final List<NodeId> nodes = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            final String text = writes.get(i).nodeId();
            if (NodeIdText.needsNamespaceTable(text) && namespaces == null) {
                namespaces = call("Read of the NamespaceArray", () -> deadline.await(client.readNamespaceTableAsync()));
            }
            final Optional<NodeId> node =
                    NodeIdText.resolve(text, namespaces == null ? new NamespaceTable() : namespaces);
            if (node.isEmpty()) {
                throw failed(server + " has no namespace with the URI of " + label(i)
                        + " in its NamespaceArray; check the URI, or use the ns=<index> form");
            }
            nodes.add(node.get());
        }
        return nodes;
    }

    private void checkDataTypes(final List<NodeId> nodes) throws InterruptedException {
        final List<DataValue> types = read(nodes, AttributeId.DataType);
        final List<String> problems = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            final DataValue type = types.get(i);
            final NodeWrite write = writes.get(i);
            if (type.getStatusCode() != null && type.getStatusCode().isBad()) {
                final StatusCode status = type.getStatusCode();
                problems.add(label(i)
                        + (status.getValue() == StatusCodes.Bad_NodeIdUnknown
                                ? " does not exist on the server (Bad_NodeIdUnknown)"
                                : status.getValue() == StatusCodes.Bad_AttributeIdInvalid
                                        ? " is not a variable (Bad_AttributeIdInvalid)"
                                        : ": its DataType could not be read (" + NodeValues.statusName(status) + ")"));
                continue;
            }
            final Object value =
                    type.getValue() == null ? null : type.getValue().getValue();
            if (!(value instanceof NodeId dataType)) {
                problems.add(label(i) + ": the server returned no DataType for it");
                continue;
            }
            if (!NodeValues.accepts(dataType, write.dataType())) {
                problems.add(label(i) + " has DataType " + NodeValues.typeName(dataType) + ", but writes[" + i
                        + "].dataType is " + write.dataType().typeName() + "; correct dataType (and the value)");
            }
        }
        if (!problems.isEmpty()) {
            throw failed(server + ": nothing was written, because " + list(problems));
        }
    }

    private List<DataValue> read(final List<NodeId> nodes, final AttributeId attribute) throws InterruptedException {
        final List<ReadValueId> ids = new ArrayList<>(nodes.size());
        for (final NodeId node : nodes) {
            ids.add(new ReadValueId(node, attribute.uid(), null, QualifiedName.NULL_VALUE));
        }
        final DataValue[] values =
                call("Read", () -> deadline.await(client.readAsync(0.0, TimestampsToReturn.Neither, ids))
                        .getResults());
        if (values == null || values.length != nodes.size()) {
            throw failed(server + " answered a Read of " + nodes.size() + " nodes with "
                    + (values == null ? 0 : values.length) + " results");
        }
        return List.of(values);
    }

    private String label(final int index) {
        return "'" + Names.printable(writes.get(index).nodeId()) + "'";
    }

    private static String advice(final StatusCode status) {
        if (status == null) {
            return "";
        }
        final long code = status.getValue();
        if (code == StatusCodes.Bad_NotWritable) {
            return " (the node is read-only)";
        }
        if (code == StatusCodes.Bad_UserAccessDenied) {
            return " (the session's user may not write it; set 'username' to a user who may)";
        }
        if (code == StatusCodes.Bad_TypeMismatch) {
            return " (the server wants another data type)";
        }
        if (code == StatusCodes.Bad_OutOfRange) {
            return " (the server refuses this value)";
        }
        return "";
    }

    /** At most {@link #MAX_LISTED} entries, then how many more. */
    static @NotNull String list(final @NotNull List<String> entries) {
        final String listed = String.join("; ", entries.subList(0, Math.min(entries.size(), MAX_LISTED)));
        return entries.size() > MAX_LISTED ? listed + "; and " + (entries.size() - MAX_LISTED) + " more" : listed;
    }

    private ComponentException failed(final String message) {
        return new ComponentException(ComponentException.Reason.APPLY_FAILED, message);
    }

    private interface Request<T> {
        T send() throws InterruptedException, ExecutionException, TimeoutException;
    }

    private <T> T call(final String what, final Request<T> request) throws InterruptedException {
        try {
            return request.send();
        } catch (final ExecutionException | TimeoutException e) {
            throw failed(server + ": the " + what + " request on " + session.endpointUrl() + " failed: "
                    + ServerSession.cause(e));
        }
    }
}
