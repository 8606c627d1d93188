package dev.baton.adapters.onvif.internal;

import java.util.List;
import org.jetbrains.annotations.NotNull;

/** A WS-Discovery 2005/04 message the handler acts on. */
sealed interface WsDiscoveryMessage {

    /** The WS-Addressing {@code MessageID}; repeats of one message (SOAP-over-UDP 1.1, retransmission) share it. */
    @NotNull
    String messageId();

    /** An answer to a Probe (section 5.3): {@code relatesTo} is the Probe's MessageID. */
    record ProbeMatches(@NotNull String messageId, @NotNull String relatesTo, @NotNull List<DiscoveredEndpoint> matches)
            implements WsDiscoveryMessage {
        public ProbeMatches {
            matches = List.copyOf(matches);
        }
    }

    /** A target service announcing itself (section 4.1). */
    record Hello(@NotNull String messageId, @NotNull DiscoveredEndpoint endpoint) implements WsDiscoveryMessage {}

    /** A target service leaving (section 4.2). */
    record Bye(@NotNull String messageId, @NotNull String address) implements WsDiscoveryMessage {}

    /** Any other well-formed WS-Discovery message (a Probe from another client, a Resolve, …). */
    record Other(@NotNull String messageId, @NotNull String action) implements WsDiscoveryMessage {}
}
