package dev.baton.adapters.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import dev.baton.adapters.opcua.BrowseSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;
import org.jetbrains.annotations.NotNull;

/**
 * Walks a server's address space breadth-first from the Objects folder along forward hierarchical references
 * (OPC UA Part 4 §5.8.2 Browse, §5.8.3 BrowseNext), never further than the configured depth and never past
 * maxNodes distinct nodes. Nodes of namespace 0 (the standard Server object and its subtree) are neither counted nor
 * walked: their facts are read directly, and they would crowd out what the server itself exposes.
 *
 * <p>Each Browse asks for up to the server's MaxNodesPerBrowse nodes (at most {@value #MAX_NODES_PER_REQUEST}) and
 * so many references per node that one response stays near {@value #REFERENCES_PER_RESPONSE} references; with only
 * the node class and browse name asked for, that is well within Milo's 2 MiB message limit, and it spares the server
 * looking up type definitions. Longer reference lists are fetched with BrowseNext. Continuation points are released
 * when the walk stops early. Used by one thread.
 */
final class BoundedBrowser {

    static final int MAX_NODES_PER_REQUEST = 250;
    static final int REFERENCES_PER_RESPONSE = 10_000;
    private static final int RESULT_MASK =
            BrowseResultMask.NodeClass.getValue() | BrowseResultMask.BrowseName.getValue();
    private static final Duration RELEASE_WAIT = Duration.ofMillis(200);
    private static final ViewDescription WHOLE_ADDRESS_SPACE =
            new ViewDescription(NodeId.NULL_VALUE, DateTime.MIN_VALUE, uint(0));

    private final OpcUaClient client;
    private final BrowseSettings settings;
    private final Deadline deadline;
    private final int nodesPerRequest;

    private final Set<NodeId> seen = new HashSet<>();
    private final List<String> topLevelObjects = new ArrayList<>();
    private int objects;
    private int variables;
    private int methods;
    private boolean overLimit;
    private boolean outOfTime;

    BoundedBrowser(
            final @NotNull OpcUaClient client,
            final @NotNull BrowseSettings settings,
            final long serverMaxNodesPerBrowse,
            final @NotNull Deadline deadline) {
        this.client = client;
        this.settings = settings;
        this.deadline = deadline;
        this.nodesPerRequest = serverMaxNodesPerBrowse > 0
                ? (int) Math.min(serverMaxNodesPerBrowse, MAX_NODES_PER_REQUEST)
                : MAX_NODES_PER_REQUEST;
    }

    /**
     * Walks the address space.
     *
     * @throws ExecutionException when a Browse fails as a whole (the session broke); a deadline reached is not an
     *     error but a truncated summary
     */
    @NotNull
    BrowseSummary browse() throws InterruptedException, ExecutionException {
        List<NodeId> level = List.of(NodeIds.ObjectsFolder);
        for (int depth = 1; depth <= settings.depth() && !level.isEmpty() && !stopped(); depth++) {
            final List<NodeId> next = new ArrayList<>();
            for (int from = 0; from < level.size() && !stopped(); from += nodesPerRequest) {
                browseBatch(level.subList(from, Math.min(level.size(), from + nodesPerRequest)), depth, next);
            }
            level = next;
        }
        topLevelObjects.sort(null);
        return new BrowseSummary(
                seen.size(),
                objects,
                variables,
                methods,
                overLimit || outOfTime,
                settings.depth(),
                settings.maxNodes(),
                topLevelObjects);
    }

    /** True when the walk stopped at the deadline, so that the scan can say so. */
    boolean stoppedAtDeadline() {
        return outOfTime;
    }

    private boolean stopped() {
        return overLimit || outOfTime;
    }

    private void browseBatch(final List<NodeId> parents, final int depth, final List<NodeId> next)
            throws InterruptedException, ExecutionException {
        final List<BrowseDescription> descriptions = new ArrayList<>(parents.size());
        for (final NodeId parent : parents) {
            descriptions.add(new BrowseDescription(
                    parent, BrowseDirection.Forward, NodeIds.HierarchicalReferences, true, uint(0), uint(RESULT_MASK)));
        }
        final int referencesPerNode = Math.max(10, REFERENCES_PER_RESPONSE / parents.size());
        List<ByteString> pending = new ArrayList<>();
        try {
            accept(
                    deadline.await(client.browseAsync(WHOLE_ADDRESS_SPACE, uint(referencesPerNode), descriptions))
                            .getResults(),
                    depth,
                    next,
                    pending);
            while (!pending.isEmpty() && !stopped()) {
                final List<ByteString> continuing = pending;
                pending = new ArrayList<>();
                accept(deadline.await(client.browseNextAsync(false, continuing)).getResults(), depth, next, pending);
            }
        } catch (final TimeoutException e) {
            outOfTime = true;
        } finally {
            if (!pending.isEmpty() && !deadline.passed()) {
                Deadline.awaitQuietly(client.browseNextAsync(true, pending), deadline.cap(RELEASE_WAIT));
            }
        }
    }

    private void accept(
            final BrowseResult[] results, final int depth, final List<NodeId> next, final List<ByteString> pending) {
        if (results == null) {
            return;
        }
        for (final BrowseResult result : results) {
            if (result == null) {
                continue;
            }
            final ReferenceDescription[] references = result.getReferences();
            if (references != null) {
                for (final ReferenceDescription reference : references) {
                    if (reference != null) {
                        add(reference, depth, next);
                    }
                }
            }
            final ByteString continuation = result.getContinuationPoint();
            if (continuation != null && !continuation.isNullOrEmpty()) {
                pending.add(continuation);
            }
        }
    }

    private void add(final ReferenceDescription reference, final int depth, final List<NodeId> next) {
        final ExpandedNodeId target = reference.getNodeId();
        if (target == null || !target.isLocal()) {
            return;
        }
        final Optional<NodeId> resolved = target.toNodeId(client.getNamespaceTable());
        if (resolved.isEmpty() || resolved.get().getNamespaceIndex().intValue() == 0 || seen.contains(resolved.get())) {
            return;
        }
        if (seen.size() >= settings.maxNodes()) {
            overLimit = true;
            return;
        }
        final NodeId node = resolved.get();
        seen.add(node);
        final NodeClass nodeClass = reference.getNodeClass();
        if (nodeClass == NodeClass.Object) {
            objects++;
            if (depth == 1) {
                topLevelObjects.add(nameOf(reference));
            }
        } else if (nodeClass == NodeClass.Variable) {
            variables++;
        } else if (nodeClass == NodeClass.Method) {
            methods++;
        }
        if (depth < settings.depth()) {
            next.add(node);
        }
    }

    private static String nameOf(final ReferenceDescription reference) {
        if (reference.getBrowseName() != null && reference.getBrowseName().getName() != null) {
            return reference.getBrowseName().getName();
        }
        return reference.getNodeId().toParseableString();
    }
}
