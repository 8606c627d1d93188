package dev.baton.adapters.opcua.internal;

import dev.baton.adapters.opcua.BrowseSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens one anonymous session (OPC UA Part 4 §5.6.2 CreateSession, §5.6.3 ActivateSession) on a chosen endpoint,
 * reads the server's build info, namespace array and browse limit in one Read (§5.10.2), optionally walks the
 * address space, and closes the session again, whatever happened.
 */
final class SessionReader {

    private static final Logger LOG = LoggerFactory.getLogger(SessionReader.class);

    /** Longest wait for CloseSession before the socket is simply dropped. */
    private static final Duration CLOSE_WAIT = Duration.ofMillis(300);

    private static final List<NodeId> READ = List.of(
            NodeIds.Server_ServerStatus_BuildInfo_ProductName,
            NodeIds.Server_ServerStatus_BuildInfo_ProductUri,
            NodeIds.Server_ServerStatus_BuildInfo_ManufacturerName,
            NodeIds.Server_ServerStatus_BuildInfo_SoftwareVersion,
            NodeIds.Server_ServerStatus_BuildInfo_BuildNumber,
            NodeIds.Server_ServerStatus_BuildInfo_BuildDate,
            NodeIds.Server_NamespaceArray,
            NodeIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerBrowse);

    /**
     * What the session read.
     *
     * @param browse present when browsing was enabled
     * @param browseStoppedAtDeadline true when the browse ran out of time
     */
    record Outcome(
            @NotNull ServerFacts facts, @NotNull Optional<BrowseSummary> browse, boolean browseStoppedAtDeadline) {}

    private SessionReader() {}

    /**
     * Reads the server behind {@code endpoint} (whose URL may already carry a substituted host).
     *
     * @param identity the client certificate, needed only when the endpoint is secured
     * @param validator decides whether the server's certificate is trusted (a secured endpoint only)
     * @throws ExecutionException when the session cannot be opened or the read fails
     * @throws TimeoutException when the deadline passes first
     */
    static @NotNull Outcome read(
            final @NotNull EndpointDescription endpoint,
            final @NotNull Optional<ClientIdentity> identity,
            final @NotNull CertificateValidator validator,
            final @NotNull BrowseSettings browse,
            final @NotNull ClientResources resources,
            final @NotNull Duration connectTimeout,
            final @NotNull Deadline deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        final OpcUaClient client = SessionClients.create(
                endpoint,
                identity,
                validator,
                AnonymousProvider.INSTANCE,
                "baton-discovery",
                resources,
                connectTimeout,
                deadline);
        try {
            final long started = System.nanoTime();
            deadline.await(client.connectAsync());
            final long connected = System.nanoTime();
            final ServerFacts facts = readFacts(client, deadline);
            final long read = System.nanoTime();
            LOG.debug(
                    "session on {} opened in {} ms, facts read in {} ms",
                    endpoint.getEndpointUrl(),
                    (connected - started) / 1_000_000,
                    (read - connected) / 1_000_000);
            if (!browse.enabled()) {
                return new Outcome(facts, Optional.empty(), false);
            }
            final BoundedBrowser browser = new BoundedBrowser(client, browse, facts.maxNodesPerBrowse(), deadline);
            final BrowseSummary summary = browser.browse();
            LOG.debug(
                    "browsed {} nodes of {} in {} ms (truncated: {})",
                    summary.nodes(),
                    endpoint.getEndpointUrl(),
                    (System.nanoTime() - read) / 1_000_000,
                    summary.truncated());
            return new Outcome(facts, Optional.of(summary), browser.stoppedAtDeadline());
        } finally {
            // Also stops Milo's reconnect attempts after a failed connect.
            Deadline.awaitQuietly(client.disconnectAsync(), CLOSE_WAIT);
        }
    }

    private static ServerFacts readFacts(final OpcUaClient client, final Deadline deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        final List<ReadValueId> ids = new ArrayList<>(READ.size());
        for (final NodeId node : READ) {
            ids.add(new ReadValueId(node, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE));
        }
        final DataValue[] values = deadline.await(client.readAsync(0.0, TimestampsToReturn.Neither, ids))
                .getResults();
        return new ServerFacts(
                text(values, 0),
                text(values, 1),
                text(values, 2),
                text(values, 3),
                text(values, 4),
                instant(values, 5),
                namespaces(values, 6),
                count(values, 7));
    }

    private static @Nullable Object value(final DataValue[] values, final int index) {
        if (values == null || index >= values.length || values[index] == null) {
            return null;
        }
        final DataValue value = values[index];
        if (value.getStatusCode() != null && value.getStatusCode().isBad()) {
            return null;
        }
        return value.getValue() == null ? null : value.getValue().getValue();
    }

    private static @Nullable String text(final DataValue[] values, final int index) {
        final Object value = value(values, index);
        if (value instanceof LocalizedText localized) {
            return localized.getText();
        }
        return value instanceof String string ? string : null;
    }

    private static @Nullable Instant instant(final DataValue[] values, final int index) {
        final Object value = value(values, index);
        if (value instanceof DateTime dateTime && dateTime.isValid()) {
            return dateTime.getJavaInstant();
        }
        return null;
    }

    private static List<String> namespaces(final DataValue[] values, final int index) {
        final Object value = value(values, index);
        if (value instanceof String[] uris) {
            return Arrays.stream(uris)
                    .map(uri -> Objects.requireNonNullElse(uri, ""))
                    .toList();
        }
        return List.of();
    }

    private static long count(final DataValue[] values, final int index) {
        final Object value = value(values, index);
        return value instanceof UInteger number ? number.longValue() : 0;
    }
}
