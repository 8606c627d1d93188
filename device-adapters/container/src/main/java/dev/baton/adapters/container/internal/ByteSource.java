package dev.baton.adapters.container.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.jetbrains.annotations.NotNull;

/** Where an HTTP response is read from: a connection to the engine, or bytes in a test. */
interface ByteSource {

    /**
     * Reads at least one byte into {@code target}, waiting as long as the source allows.
     *
     * @return the number of bytes read, or -1 at the end of the stream
     * @throws EngineException with {@link EngineException.Reason#TIMEOUT} when no byte came in time
     */
    int read(@NotNull ByteBuffer target) throws IOException;
}
