package dev.baton.adapters.opcua.write.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.adapters.opcua.internal.ClientIdentityStore;
import dev.baton.adapters.opcua.internal.ClientResources;
import dev.baton.adapters.opcua.internal.Deadline;
import dev.baton.adapters.opcua.internal.ServerSession;
import dev.baton.adapters.opcua.internal.ServerSessionException;
import dev.baton.adapters.opcua.internal.SessionRequirements;
import dev.baton.adapters.opcua.internal.UserCredentials;
import dev.baton.adapters.opcua.write.OpcUaWriteConfig;
import dev.baton.adapters.opcua.write.OpcUaWriteProviderFactory;
import dev.baton.protocol.ComponentSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The {@code opcua-write} provider: keeps values on an OPC UA server's nodes. Each apply and each observation opens
 * its own session and closes it before returning, bounded by the component's {@code timeoutMs}: no session is cached,
 * because drift checks are seconds to minutes apart, a session costs one round of handshakes on a plant network, and a
 * cached one would go stale behind the provider's back (server restarts, certificate changes) and need a keep-alive
 * thread. Removing the component leaves the values as they are: the provider cannot know what a node held before,
 * and "undoing" a setpoint could be unsafe for the machine behind it.
 *
 * <p>Threading: every method runs on the agent's reconciler thread; the Milo client's I/O runs on
 * {@link ClientResources}' daemon threads, created with the first apply or observation and stopped by {@link #close()}.
 */
public final class OpcUaWriteProvider implements ComponentProvider {

    private final Object lock = new Object();

    /** Guarded by {@link #lock}; null until first needed and after close. */
    private @Nullable ClientResources resources;

    /** One per secrets directory, so the client certificate is loaded once. Reconciler thread only. */
    private final Map<Path, ClientIdentityStore> identities = new HashMap<>();

    @Override
    public @NotNull String kind() {
        return OpcUaWriteProviderFactory.KIND;
    }

    @Override
    public void validate(final @NotNull ComponentSpec spec) {
        OpcUaWriteConfig.parse(spec);
    }

    @Override
    public @NotNull String apply(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final OpcUaWriteConfig config = OpcUaWriteConfig.parse(spec);
        final WriteTarget target = WriteTarget.of(config, context.devices());
        final Deadline deadline = Deadline.in(config.timeout());
        try (ServerSession session = open(config, target, context, deadline)) {
            new NodeExchange(session, config, target.name(), deadline).writeAndConfirm();
            final ObjectNode outputs = JsonNodeFactory.instance.objectNode();
            outputs.put("endpoint", session.endpointUrl());
            outputs.put("security", session.securityPolicy() + "/" + session.securityMode());
            outputs.put("written", config.writes().size());
            outputs.put(
                    "lastConfirmed",
                    Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            context.outputs(outputs);
            return "wrote " + config.writes().size() + (config.writes().size() == 1 ? " value" : " values") + " to "
                    + session.endpointUrl() + " and read them back";
        } catch (final ServerSessionException e) {
            throw new ComponentException(ComponentException.Reason.APPLY_FAILED, prefixed(target, e), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComponentException(
                    ComponentException.Reason.APPLY_FAILED, "interrupted while writing to " + target.name());
        }
    }

    @Override
    public @NotNull Observation observe(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final OpcUaWriteConfig config = OpcUaWriteConfig.parse(spec);
        final WriteTarget target;
        try {
            target = WriteTarget.of(config, context.devices());
        } catch (final ComponentException e) {
            return Observation.drifted(e.getMessage());
        }
        final Deadline deadline = Deadline.in(config.timeout());
        try (ServerSession session = open(config, target, context, deadline)) {
            final List<String> differences = new NodeExchange(session, config, target.name(), deadline).differences();
            return differences.isEmpty()
                    ? Observation.inSync()
                    : Observation.drifted(target.name() + ": " + NodeExchange.list(differences));
        } catch (final ServerSessionException e) {
            return Observation.drifted("could not read the values: " + prefixed(target, e));
        } catch (final ComponentException e) {
            return Observation.drifted(e.getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Observation.drifted("interrupted while reading from " + target.name());
        }
    }

    /** Leaves the values on the server: see the class comment. */
    @Override
    public void remove(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {}

    @Override
    public void close() {
        final ClientResources toClose;
        synchronized (lock) {
            toClose = resources;
            resources = null;
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    private ServerSession open(
            final OpcUaWriteConfig config,
            final WriteTarget target,
            final ProviderContext context,
            final Deadline deadline)
            throws InterruptedException {
        final Path secrets = context.secretsDirectory();
        Optional<UserCredentials> credentials = Optional.empty();
        if (config.username().isPresent()) {
            final String username = config.username().get();
            credentials = Optional.of(new UserCredentials(username, PasswordFile.password(secrets, username)));
        }
        final SessionRequirements requirements = new SessionRequirements(
                config.certificatePolicy(),
                config.trustedThumbprints(),
                credentials.isPresent() ? UserTokenType.UserName : UserTokenType.Anonymous,
                config.securityPolicy().map(name -> SecurityPolicy.valueOf(name).getUri()),
                config.messageSecurityMode(),
                "property 'certificatePolicy'",
                "property 'trustedThumbprints'");
        // The discovery handler keeps the agent's client certificate in the same directory: a server that trusts
        // the agent for discovery trusts its writes too.
        final ClientIdentityStore identity = identities.computeIfAbsent(secrets, ClientIdentityStore::new);
        return ServerSession.open(
                target.url(),
                requirements,
                credentials,
                "baton-write-" + context.componentName(),
                resources(),
                identity,
                deadline);
    }

    private ClientResources resources() {
        synchronized (lock) {
            if (resources == null) {
                resources = ClientResources.create();
            }
            return resources;
        }
    }

    private static String prefixed(final WriteTarget target, final ServerSessionException e) {
        final String message = e.getMessage();
        // The session's messages name the URL; add the device id when the server was chosen by it.
        return target.name().startsWith("OPC UA server at ") ? message : target.name() + ": " + message;
    }
}
