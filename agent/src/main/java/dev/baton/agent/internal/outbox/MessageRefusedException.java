package dev.baton.agent.internal.outbox;

import org.jetbrains.annotations.NotNull;

/** The broker acknowledged a message with an error reason code (MQTT 5, 3.4.2.1): sending it again cannot help. */
public final class MessageRefusedException extends RuntimeException {

    public MessageRefusedException(final @NotNull String message) {
        super(message);
    }
}
