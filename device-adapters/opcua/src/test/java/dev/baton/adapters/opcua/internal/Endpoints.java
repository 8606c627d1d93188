package dev.baton.adapters.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;

import java.nio.charset.StandardCharsets;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;

/** EndpointDescriptions as a server would return them, for the unit tests of what the handler makes of them. */
final class Endpoints {

    private Endpoints() {}

    /**
     * An opc.tcp endpoint whose "certificate" is the bytes of {@code certificateLabel} (not DER: the handler then
     * records the thumbprints of the raw bytes).
     */
    static EndpointFacts endpoint(
            final String url,
            final SecurityPolicy policy,
            final MessageSecurityMode mode,
            final int securityLevel,
            final String certificateLabel,
            final UserTokenType... tokens) {
        final UserTokenPolicy[] policies = new UserTokenPolicy[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            policies[i] = new UserTokenPolicy("policy-" + i, tokens[i], null, null, null);
        }
        return EndpointFacts.of(new EndpointDescription(
                url,
                null,
                ByteString.of(certificateLabel.getBytes(StandardCharsets.UTF_8)),
                mode,
                policy.getUri(),
                policies,
                TransportProfile.TCP_UASC_UABINARY.getUri(),
                ubyte(securityLevel)));
    }

    static String sha256(final String certificateLabel) {
        return CertificateFacts.hex("SHA-256", certificateLabel.getBytes(StandardCharsets.UTF_8));
    }

    static String sha1(final String certificateLabel) {
        return CertificateFacts.hex("SHA-1", certificateLabel.getBytes(StandardCharsets.UTF_8));
    }
}
