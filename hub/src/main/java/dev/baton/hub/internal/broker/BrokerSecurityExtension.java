package dev.baton.hub.internal.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import dev.baton.hub.internal.security.HubIdentity;
import org.jetbrains.annotations.NotNull;

/**
 * The embedded extension that makes the broker Baton's: node and hub authentication ({@link NodeAuthenticator}) and
 * per-node topic rules ({@link TopicAuthorizer}). HiveMQ CE refuses every client until an authenticator is
 * registered, so without this extension no one connects.
 *
 * <p>Threading: HiveMQ calls start and stop on its own threads; {@link #started()} may be read from any thread.
 */
final class BrokerSecurityExtension implements ExtensionMain {

    private final NodeAuthenticator authenticator;
    private final TopicAuthorizer authorizer;
    private volatile boolean started;

    BrokerSecurityExtension(final @NotNull HubIdentity hub, final @NotNull CredentialLookup credentials) {
        this.authenticator = new NodeAuthenticator(hub, credentials);
        this.authorizer = new TopicAuthorizer(new TopicPolicy(hub));
    }

    @Override
    public void extensionStart(final @NotNull ExtensionStartInput input, final @NotNull ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
        started = true;
    }

    @Override
    public void extensionStop(final @NotNull ExtensionStopInput input, final @NotNull ExtensionStopOutput output) {
        started = false;
    }

    /** Whether the authenticator and authorizer are registered. */
    boolean started() {
        return started;
    }
}
