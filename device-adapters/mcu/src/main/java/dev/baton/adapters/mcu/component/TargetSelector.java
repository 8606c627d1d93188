package dev.baton.adapters.mcu.component;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** Which devices a {@code firmware} component flashes: one of the properties {@code port}, {@code volume},
 * {@code device}, {@code select}, or none (a {@code uf2} component then searches the mounted volumes). */
public sealed interface TargetSelector {

    /** {@code port}: a serial port path, whatever the inventory holds. */
    record Port(@NotNull String path) implements TargetSelector {
        public Port {
            Objects.requireNonNull(path, "path");
        }
    }

    /** {@code volume}: the mount point of a UF2 bootloader's volume. */
    record Volume(@NotNull String path) implements TargetSelector {
        public Volume {
            Objects.requireNonNull(path, "path");
        }
    }

    /** {@code device}: one device of the node's inventory, by ID. */
    record DeviceId(@NotNull String id) implements TargetSelector {
        public DeviceId {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * {@code select}: every device of the node's inventory with these USB identifiers; each is flashed and reported on
     * its own.
     *
     * @param vid 4 lower-case hex digits, or null for any
     * @param pid 4 lower-case hex digits, or null for any
     * @param serial the USB serial number, or null for any
     */
    record Match(@Nullable String vid, @Nullable String pid, @Nullable String serial) implements TargetSelector {

        /** How the selector is written in messages: {@code {vid 0483, pid 5740}}. */
        public @NotNull String describe() {
            final StringBuilder out = new StringBuilder("{");
            if (vid != null) {
                out.append("vid ").append(vid);
            }
            if (pid != null) {
                out.append(out.length() > 1 ? ", " : "").append("pid ").append(pid);
            }
            if (serial != null) {
                out.append(out.length() > 1 ? ", " : "").append("serial ").append(serial);
            }
            return out.append('}').toString();
        }
    }

    /** No target property: a {@code uf2} component searches the mounted volumes for one bootloader volume. */
    record Search() implements TargetSelector {}
}
