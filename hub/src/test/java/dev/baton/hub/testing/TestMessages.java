package dev.baton.hub.testing;

import dev.baton.protocol.ComponentState;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.Event;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.NodeStatus;
import dev.baton.protocol.ReportedState;
import dev.baton.protocol.Severity;
import dev.baton.protocol.testing.Fixtures;
import java.time.Instant;
import java.util.List;

/** Agent messages for tests, derived from the protocol's golden fixtures. */
public final class TestMessages {

    public static final MessageCodec CODEC = new MessageCodec();

    private TestMessages() {}

    /** The golden birth with another boot and observed generation. */
    public static byte[] birth(final String bootId, final long observedGeneration) {
        return status(bootId, true, observedGeneration, "0.1.0");
    }

    public static byte[] status(
            final String bootId, final boolean online, final long observedGeneration, final String agentVersion) {
        final NodeStatus golden = CODEC.decode(Fixtures.bytes("status-birth.json"), MessageType.STATUS);
        return CODEC.encode(
                new NodeStatus(bootId, online, Instant.now(), agentVersion, observedGeneration, golden.protocols()),
                MessageType.STATUS);
    }

    /** The golden reported state with another seq and observed generation, and one healthy component. */
    public static byte[] reported(
            final long seq, final long observedGeneration, final String component, final String message) {
        return reported(seq, observedGeneration, component, ComponentState.HEALTHY, message);
    }

    /** The golden reported state with another seq and observed generation, and one component in {@code state}. */
    public static byte[] reported(
            final long seq,
            final long observedGeneration,
            final String component,
            final ComponentState state,
            final String message) {
        final ReportedState golden = CODEC.decode(Fixtures.bytes("reported.json"), MessageType.REPORTED);
        return CODEC.encode(
                new ReportedState(
                        seq,
                        golden.bootId(),
                        Instant.now(),
                        observedGeneration,
                        List.of(new ComponentStatus(
                                component, "file", state, message, observedGeneration, Instant.now())),
                        golden.conditions()),
                MessageType.REPORTED);
    }

    /** The golden reported state as it is (two components: one healthy, one failed). */
    public static byte[] goldenReported() {
        return Fixtures.bytes("reported.json");
    }

    public static byte[] event(final long seq, final String message) {
        final Event golden = CODEC.decode(Fixtures.bytes("event.json"), MessageType.EVENT);
        return CODEC.encode(
                new Event(seq, golden.bootId(), Instant.now(), "component.healthy", Severity.INFO, null, message),
                MessageType.EVENT);
    }
}
