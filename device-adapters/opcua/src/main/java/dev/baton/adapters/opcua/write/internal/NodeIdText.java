package dev.baton.adapters.opcua.write.internal;

import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.UaRuntimeException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.jetbrains.annotations.NotNull;

/**
 * Node ids as users write them (OPC UA Part 6 §5.3.1.10 and §5.3.1.11): {@code ns=2;s=Line1.Speed},
 * {@code i=2258}, {@code ns=3;g=…}, {@code ns=1;b=…}, or with the namespace URI in place of its index,
 * {@code nsu=urn:plant;s=Line1.Speed}, which survives a server that renumbers its namespaces. A node on another
 * server ({@code svr=}) is refused.
 */
public final class NodeIdText {

    public static final int MAX_CHARS = 1024;

    private static final String URI_PREFIX = "nsu=";

    private NodeIdText() {}

    /** Why {@code text} is not a node id, as a predicate ("must be …"), or empty when it is one. */
    public static @NotNull Optional<String> problem(final @NotNull String text) {
        if (text.isEmpty() || text.length() > MAX_CHARS) {
            return Optional.of("must be a node id of 1 to " + MAX_CHARS + " characters");
        }
        if (text.startsWith("svr=")) {
            return Optional.of("must name a node of the target server itself, without 'svr='");
        }
        if (text.startsWith(URI_PREFIX)) {
            try {
                final ExpandedNodeId parsed = ExpandedNodeId.parse(text);
                if (parsed.getNamespaceUri() == null || parsed.getNamespaceUri().isEmpty()) {
                    return Optional.of("must have a namespace URI after 'nsu='");
                }
                return Optional.empty();
            } catch (final UaRuntimeException | IllegalArgumentException e) {
                return Optional.of(SYNTAX);
            }
        }
        return NodeId.parseSafe(text).isPresent() ? Optional.empty() : Optional.of(SYNTAX);
    }

    /** A form that is equal for equal node ids as far as can be told without the server, to find duplicates. */
    public static @NotNull String canonical(final @NotNull String text) {
        if (text.startsWith(URI_PREFIX)) {
            return ExpandedNodeId.parse(text).toParseableString();
        }
        return NodeId.parse(text).toParseableString();
    }

    /** True when {@code text} names its namespace by URI, so that resolving it needs the server's namespace table. */
    static boolean needsNamespaceTable(final @NotNull String text) {
        return text.startsWith(URI_PREFIX);
    }

    /**
     * The node id on a server with namespace table {@code namespaces}, or empty when the table lacks the URI.
     *
     * @param text a node id that passed {@link #problem}
     */
    static @NotNull Optional<NodeId> resolve(final @NotNull String text, final @NotNull NamespaceTable namespaces) {
        if (text.startsWith(URI_PREFIX)) {
            return ExpandedNodeId.parse(text).toNodeId(namespaces);
        }
        return Optional.of(NodeId.parse(text));
    }

    private static final String SYNTAX = "must be a node id such as \"ns=2;s=Line1.Speed\", \"ns=2;i=1001\", \"i=2258\""
            + " or \"nsu=urn:plant;s=Line1.Speed\"";
}
