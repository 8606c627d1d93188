package dev.baton.adapters.host.internal;

import java.io.IOException;
import org.jetbrains.annotations.NotNull;

/**
 * An archive that {@link ArchiveUnpacker} will not unpack because of what it holds (an entry that would land outside
 * the target, a link pointing out of it, a device file, more bytes than allowed), as opposed to an I/O failure that a
 * retry may cure. The message names the entry and says why.
 */
public final class ArchiveRefusedException extends IOException {

    public ArchiveRefusedException(final @NotNull String message) {
        super(message);
    }
}
