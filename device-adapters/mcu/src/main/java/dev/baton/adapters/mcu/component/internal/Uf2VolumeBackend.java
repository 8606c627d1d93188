package dev.baton.adapters.mcu.component.internal;

import dev.baton.adapters.mcu.EraseMode;
import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.FlashProgressListener;
import dev.baton.adapters.mcu.component.AppCheck;
import dev.baton.adapters.mcu.component.FirmwareArtifact;
import dev.baton.adapters.mcu.component.FirmwareBackend;
import dev.baton.adapters.mcu.component.FirmwareFlashResult;
import dev.baton.adapters.mcu.component.FirmwareSettings;
import dev.baton.adapters.mcu.component.FirmwareTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;

/**
 * The {@code uf2} back-end: copies a UF2 file onto a bootloader's USB mass-storage volume (github.com/microsoft/uf2).
 *
 * <ol>
 *   <li>The volume: the target's {@code volume}, the mounted volume of the target device's block nodes, or the only
 *       UF2 volume below the {@code volumeRoots}; a directory counts when it holds {@code INFO_UF2.TXT}.
 *   <li>The family: the file's family ID must be {@code chipId} when given, and one the volume's bootloader takes
 *       when its INFO_UF2.TXT says ({@code Family-ID}, or a known {@code Board-ID}: RPI-RP2, RP2350); else the flash is
 *       refused before anything is written.
 *   <li>The copy: written in 64 KiB chunks as {@code baton-SHA8.uf2}, then forced to the device (fsync).
 *   <li>The reboot: the bootloader writes the blocks and resets, and its volume disappears; that is the signal that it
 *       took the image. A volume still there after {@code rebootTimeoutMs} fails the flash.
 * </ol>
 *
 * <p>A UF2 bootloader cannot be read back, so results are never {@code verified}; an {@code appCheck} confirms that the
 * application started.
 */
final class Uf2VolumeBackend implements FirmwareBackend {

    static final String ID = "uf2";
    private static final int CHUNK = 64 * 1024;
    private static final Duration POLL = Duration.ofMillis(50);

    private final Path mounts;

    Uf2VolumeBackend() {
        this(Path.of("/proc/mounts"));
    }

    Uf2VolumeBackend(final @NotNull Path mounts) {
        this.mounts = mounts;
    }

    @Override
    public @NotNull String id() {
        return ID;
    }

    @Override
    public FirmwareTarget.@NotNull Type targetType() {
        return FirmwareTarget.Type.UF2_VOLUME;
    }

    @Override
    public void validate(final @NotNull FirmwareSettings settings) {
        final List<String> wrong = new ArrayList<>();
        if (settings.baud().isPresent()) {
            wrong.add("baud");
        }
        if (settings.parity().isPresent()) {
            wrong.add("parity");
        }
        if (settings.reset().isPresent()) {
            wrong.add("reset");
        }
        if (settings.eraseMode() != EraseMode.PAGES) {
            wrong.add("erase");
        }
        if (settings.removeReadProtection()) {
            wrong.add("removeReadProtection");
        }
        if (!settings.options().isEmpty()) {
            wrong.add("options");
        }
        if (settings.appCheck() instanceof AppCheck.SerialBanner banner && banner.port() == null) {
            throw new IllegalArgumentException("property 'appCheck.port' is needed with flasher uf2: the banner comes"
                    + " on the application's own serial port (the bootloader has none)");
        }
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException((wrong.size() == 1 ? "property '" : "properties '")
                    + String.join("', '", wrong) + "' do" + (wrong.size() == 1 ? "es" : "")
                    + " not apply to flasher uf2 (the bootloader erases and writes what the file says)");
        }
    }

    @Override
    public @NotNull FirmwareFlashResult flash(
            final @NotNull FirmwareTarget target,
            final @NotNull FirmwareArtifact artifact,
            final @NotNull FirmwareSettings settings,
            final @NotNull FlashProgressListener listener) {
        final long started = System.nanoTime();
        final Uf2Volumes.Volume volume = volume(target, settings);
        final OptionalInt family = artifact.image().uf2FamilyId();
        checkFamily(volume, family, settings);

        final Path copy = volume.path().resolve("baton-" + artifact.sha256().substring(0, 8) + ".uf2");
        final long size;
        try {
            size = Files.size(artifact.file());
        } catch (final IOException e) {
            throw new FlashException(
                    FlashException.Reason.PROTOCOL_ERROR,
                    "cannot read the image " + artifact.file() + ": " + e.getMessage());
        }
        final long copied = copy(artifact.file(), copy, size, listener);
        awaitReboot(volume.path(), settings.rebootTimeout(), copied == size);
        return new FirmwareFlashResult(
                family.isPresent() ? familyHex(family.getAsInt()) : null,
                false,
                size,
                Duration.ofNanos(System.nanoTime() - started),
                "UF2 volume " + volume.path()
                        + (volume.boardId() == null ? "" : " (Board-ID " + volume.boardId() + ")") + ", " + size
                        + " bytes; the bootloader took it and rebooted");
    }

    private Uf2Volumes.Volume volume(final FirmwareTarget target, final FirmwareSettings settings) {
        if (target.location() != null) {
            final Path path = Path.of(target.location());
            return Uf2Volumes.read(path, null)
                    .orElseThrow(() -> new FlashException(
                            FlashException.Reason.NO_DEVICE,
                            "UF2 volume " + path + " is missing or has no " + Uf2Volumes.INFO_FILE + ": put the board"
                                    + " into its UF2 bootloader (hold BOOTSEL while plugging it in, or double-tap"
                                    + " reset) and check that the volume is mounted there"));
        }
        final List<Uf2Volumes.Volume> found = Uf2Volumes.find(settings.volumeRoots(), mounts);
        final Set<String> blockNodes = new TreeSet<>();
        target.properties().path("devnodes").forEach(node -> {
            if (node.asText().matches("/dev/(sd|mmcblk|vd).*")) {
                blockNodes.add(node.asText());
            }
        });
        if (target.deviceId() != null && blockNodes.isEmpty()) {
            // Flashing whichever volume is mounted would flash another board than the one selected.
            throw new FlashException(
                    FlashException.Reason.NO_DEVICE,
                    "device " + target.deviceId() + " has no block device (devnodes) in the inventory, so it shows no"
                            + " UF2 volume: put the board into its UF2 bootloader (it then enumerates as mass storage)"
                            + " or name the volume with property 'volume'");
        }
        final List<Uf2Volumes.Volume> mine = blockNodes.isEmpty()
                ? found
                : found.stream()
                        .filter(v -> v.source() != null && blockNodes.contains(v.source()))
                        .toList();
        final String roots = settings.volumeRoots().stream().map(Path::toString).collect(Collectors.joining(", "));
        if (mine.isEmpty()) {
            throw new FlashException(
                    FlashException.Reason.NO_DEVICE,
                    (blockNodes.isEmpty()
                                    ? "no UF2 bootloader volume (a directory with " + Uf2Volumes.INFO_FILE + ")"
                                    : "no UF2 bootloader volume of device " + target.key() + " (" + blockNodes + ")")
                            + " is mounted below " + roots + ": put the board into its UF2 bootloader, check that the"
                            + " volume is mounted, or name it with property 'volume'");
        }
        if (mine.size() > 1) {
            throw new FlashException(
                    FlashException.Reason.NO_SYNC,
                    "several UF2 bootloader volumes are mounted below " + roots + " ("
                            + mine.stream().map(v -> v.path().toString()).collect(Collectors.joining(", "))
                            + "): name one with property 'volume', or select the device");
        }
        return mine.get(0);
    }

    private static void checkFamily(
            final Uf2Volumes.Volume volume, final OptionalInt family, final FirmwareSettings settings) {
        if (settings.expectedChipId().isPresent()) {
            final int expected = (int) settings.expectedChipId().getAsLong();
            if (family.isEmpty() || family.getAsInt() != expected) {
                throw new FlashException(
                        FlashException.Reason.CHIP_MISMATCH,
                        "chip id mismatch: expected UF2 family " + familyHex(expected) + " (chipId), but the file's"
                                + " blocks are " + (family.isEmpty() ? "of no family" : familyHex(family.getAsInt()))
                                + "; nothing was copied to " + volume.path());
            }
        }
        final Set<Integer> takes = volume.families();
        if (!takes.isEmpty() && family.isPresent() && !takes.contains(family.getAsInt())) {
            throw new FlashException(
                    FlashException.Reason.CHIP_MISMATCH,
                    "chip id mismatch: the bootloader at " + volume.path() + " (Board-ID " + volume.boardId()
                            + ") takes UF2 family "
                            + takes.stream()
                                    .sorted()
                                    .map(Uf2VolumeBackend::familyHex)
                                    .collect(Collectors.joining(" or "))
                            + ", but the file's blocks are " + familyHex(family.getAsInt())
                            + "; nothing was copied: build the image for this board");
        }
    }

    /** Copies the file, reporting WRITE progress; returns how many bytes went out before the volume went away. */
    private static long copy(final Path from, final Path to, final long size, final FlashProgressListener listener) {
        final long started = System.nanoTime();
        long done = 0;
        try (InputStream in = Files.newInputStream(from);
                FileChannel out = FileChannel.open(
                        to,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            final byte[] chunk = new byte[CHUNK];
            int n;
            while ((n = in.read(chunk)) > 0) {
                final ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                done += n;
                listener.onProgress(
                        new FlashProgress(FlashPhase.WRITE, done, size, Duration.ofNanos(System.nanoTime() - started)));
                if (Thread.currentThread().isInterrupted()) {
                    throw new FlashException(FlashException.Reason.CANCELLED, "the copy to " + to + " was cancelled");
                }
            }
            out.force(true);
        } catch (final IOException e) {
            if (done < size) {
                throw new FlashException(
                        FlashException.Reason.LINK_LOST,
                        "the copy to " + to + " broke off after " + done + " of " + size + " bytes: "
                                + e.getMessage() + "; the volume went away or is full, put the board into its"
                                + " bootloader again",
                        -1,
                        e);
            }
            // The bootloader may reboot on the last block, before the sync returns: the reboot check decides.
        }
        return done;
    }

    private static void awaitReboot(final Path volume, final Duration timeout, final boolean complete) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (Uf2Volumes.isVolume(volume)) {
            if (System.nanoTime() - deadline > 0) {
                throw new FlashException(
                        FlashException.Reason.TIMEOUT,
                        "timeout: the UF2 volume " + volume + " was still there " + timeout.toMillis() + " ms after"
                                + " the copy" + (complete ? "" : " (which was incomplete)") + ", so the bootloader did"
                                + " not take the image and reboot; check that the file is for this board's family");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new FlashException(FlashException.Reason.CANCELLED, "waiting for " + volume + " was cancelled");
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    static String familyHex(final int family) {
        return "0x" + String.format(Locale.ROOT, "%08X", family);
    }
}
