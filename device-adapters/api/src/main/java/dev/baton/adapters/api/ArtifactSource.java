package dev.baton.adapters.api;

import java.net.URI;
import java.nio.file.Path;
import org.jetbrains.annotations.NotNull;

/**
 * Artifacts a component needs on the host (a service's archive, a firmware image), identified by their SHA-256.
 *
 * <p>The agent keeps verified artifacts in a cache under its data directory; a file is handed out only after its
 * SHA-256 matched. A download that breaks off resumes where it stopped at the next attempt (HTTP range requests).
 * Both methods block the calling thread (the reconciler's) until the file is there or the attempt failed; a failure
 * is a {@link ComponentException} with {@link ComponentException.Reason#APPLY_FAILED} and a message that says what
 * failed and what to do, so the reconciler retries it with back-off like any other apply failure.
 */
public interface ArtifactSource {

    /**
     * The artifact with this SHA-256 from the hub's artifact store of the agent's tenant.
     *
     * @param sha256 64 lower-case hex digits
     * @return a read-only file with exactly that content; callers must not move or change it
     */
    @NotNull
    Path fetch(@NotNull String sha256);

    /**
     * An artifact from an {@code https} (or, for tests and closed networks, {@code http}) URL, accepted only when its
     * content has this SHA-256.
     */
    @NotNull
    Path fetch(@NotNull URI url, @NotNull String sha256);
}
