package dev.baton.adapters.container.internal;

import org.jetbrains.annotations.NotNull;

/** Carries one HTTP exchange to the engine. */
public interface EngineTransport {

    /**
     * Sends {@code request} and reads the whole answer, whatever its status.
     *
     * @throws EngineException when there is no answer: {@link EngineException.Reason#UNREACHABLE},
     *     {@link EngineException.Reason#TIMEOUT} or {@link EngineException.Reason#BROKEN_RESPONSE}
     */
    @NotNull
    HttpResponse exchange(@NotNull HttpRequest request);

    /** Where the engine is, in {@code DOCKER_HOST} form, for messages. */
    @NotNull
    String describe();
}
