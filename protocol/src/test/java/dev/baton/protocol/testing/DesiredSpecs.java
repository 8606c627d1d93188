package dev.baton.protocol.testing;

import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.DesiredSpec;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Desired-spec JSON for tests, encoded from the protocol's records by the protocol's codec rather than written by
 * hand, so that paths and contents are always escaped right and the spec is valid before it is sent. Shared with
 * agent, hub and hardware tests through the protocol test-jar.
 */
public final class DesiredSpecs {

    private static final MessageCodec CODEC = new MessageCodec();

    private DesiredSpecs() {}

    /**
     * The JSON a user would write for {@code spec}: the body of {@code PUT …/desired}, or the file of
     * {@code baton desired set NODE FILE}.
     *
     * @throws dev.baton.protocol.ProtocolException when {@code spec} is not valid
     */
    public static String json(final DesiredSpec spec) {
        return new String(CODEC.encode(spec, MessageType.DESIRED_SPEC), StandardCharsets.UTF_8);
    }

    /** The JSON of a spec with {@code components} and no {@code reconcile}, so that its defaults apply. */
    public static String json(final ComponentSpec... components) {
        return json(new DesiredSpec(List.of(components), null));
    }
}
