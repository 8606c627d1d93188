package dev.baton.adapters.mcu.component;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.Verification;
import dev.baton.adapters.mcu.component.internal.AppChecks;
import dev.baton.adapters.mcu.component.internal.ArtifactLoader;
import dev.baton.adapters.mcu.component.internal.FirmwareBackends;
import dev.baton.adapters.mcu.component.internal.FlashRecords;
import dev.baton.adapters.mcu.component.internal.PortLocks;
import dev.baton.adapters.mcu.component.internal.ProgressEvents;
import dev.baton.adapters.mcu.component.internal.TargetResolver;
import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.Limits;
import dev.baton.protocol.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code firmware} components: flashes an image from the hub's artifact store onto the microcontrollers the
 * component targets, through a {@link FirmwareBackend}, and reports per device what was flashed and verified.
 *
 * <h2>Lifecycle</h2>
 *
 * <ul>
 *   <li>{@link #apply} resolves the targets (a {@code port}, a {@code volume}, one inventory {@code device}, or every
 *       device matching {@code select}) and flashes those whose record (see below) does not already hold the
 *       desired image, each under the {@link PortLocks lock} of its port, one after the other; a target that fails
 *       does not stop the others, and the apply fails naming each failed target and why.
 *   <li>{@link #observe} compares the records with the spec and touches no device: reading a whole flash back on
 *       every drift check would hold the port for seconds to minutes and wear nothing but time, and a bootloader is
 *       often not even running then (the application is). It reports drift when a target has no record of the
 *       desired image (verified where the back-end can verify) — a new device matching the selector, or an image
 *       changed behind the agent's back only when the agent flashed it itself.
 *   <li>{@link #remove} leaves the chips as they are: there is no "unflashing"; the state directory goes with the
 *       component.
 * </ul>
 *
 * <p>Records: {@code flashed.json} in the component's state directory holds, per target, the device, port, image
 * SHA-256, whether it was verified, the chip ID and when. A target is recorded only after its flash (and verification
 * and {@code appCheck}) succeeded, and forgotten when a later flash failed after touching the chip.
 *
 * <p>Threading: every method runs on the agent's reconciler thread and blocks it for the whole flash; a desired
 * document that arrives meanwhile is applied after this one, so a changed image is flashed next.
 */
public final class FirmwareProvider implements ComponentProvider {

    /** The component kind this provider applies. */
    public static final String KIND = "firmware";

    /**
     * The event sent (severity error) when one device's flash fails: {@code TARGET (REASON): MESSAGE}, REASON the
     * {@link FlashException.Reason} in lower case with dashes ({@code no-device}, {@code permission-denied},
     * {@code tool-missing}, {@code verify-failed}, …).
     */
    public static final String FAILED_EVENT = "firmware.failed";

    /** How long a flash waits for another flash of the same port (another component, another agent in this JVM). */
    public static final Duration PORT_WAIT = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(FirmwareProvider.class);

    private final FirmwareBackends backends;
    private final Duration portWait;
    private final Clock clock;

    public FirmwareProvider() {
        this(FirmwareBackends.installed(), PORT_WAIT, Clock.systemUTC());
    }

    /** A provider with these back-ends (tests, or a node with back-ends of its own). */
    public FirmwareProvider(
            final @NotNull FirmwareBackends backends, final @NotNull Duration portWait, final @NotNull Clock clock) {
        this.backends = Objects.requireNonNull(backends, "backends");
        this.portWait = Objects.requireNonNull(portWait, "portWait");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public @NotNull String kind() {
        return KIND;
    }

    @Override
    public void validate(final @NotNull ComponentSpec spec) {
        FirmwareConfig.decode(spec, backends);
    }

    @Override
    public @NotNull String apply(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final FirmwareConfig config = FirmwareConfig.decode(spec, backends);
        final TargetResolver.Resolution resolution =
                TargetResolver.resolve(config.selector(), config.flasher().targetType(), context.devices());
        if (resolution.targets().isEmpty()) {
            throw new ComponentException(ComponentException.Reason.APPLY_FAILED, resolution.problem());
        }
        final FlashRecords records = FlashRecords.load(context.stateDirectory());
        final List<FirmwareTarget> due = resolution.targets().stream()
                .filter(target -> !holdsImage(records.get(target.key()), config))
                .toList();
        final String image = shortSha(config.artifact());
        if (due.isEmpty()) {
            publishOutputs(context, config, records, resolution.targets());
            return "image " + image + " already flashed on " + describe(resolution.targets());
        }
        final FirmwareArtifact artifact = ArtifactLoader.load(config, context);
        final List<String> flashed = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        for (final FirmwareTarget target : due) {
            try {
                final FirmwareFlashResult result = flashOne(target, config, artifact, context);
                records.put(new FlashRecords.Entry(
                        target.key(),
                        target.deviceId(),
                        target.location(),
                        config.artifact(),
                        result.verified(),
                        result.chipId(),
                        clock.instant()));
                flashed.add(target.key() + " (" + result.detail()
                        + (result.verified() && !result.detail().contains("verified") ? ", verified" : "") + ")");
                log.info(
                        "Component {}: flashed image {} on {}: {}",
                        context.componentName(),
                        image,
                        target.key(),
                        result.detail());
            } catch (final FlashException e) {
                if (touchedChip(e.reason())) {
                    records.remove(target.key());
                }
                final String failure = target.key() + " (" + reasonWord(e.reason()) + "): " + e.getMessage();
                failures.add(failure);
                context.event(Severity.ERROR, FAILED_EVENT, failure);
                log.warn(
                        "Component {}: flashing {} failed ({}): {}",
                        context.componentName(),
                        target.key(),
                        e.reason(),
                        e.getMessage());
            } catch (final IllegalStateException e) {
                failures.add(target.key() + ": " + e.getMessage()); // the port stayed busy
            }
        }
        publishOutputs(context, config, records, resolution.targets());
        if (!failures.isEmpty()) {
            throw new ComponentException(
                    ComponentException.Reason.APPLY_FAILED,
                    (due.size() == 1 ? "" : failures.size() + " of " + due.size() + " devices failed: ")
                            + String.join("; ", failures));
        }
        return "flashed image " + image + " on " + String.join(", ", flashed)
                + (due.size() < resolution.targets().size()
                        ? "; " + (resolution.targets().size() - due.size()) + " already had it"
                        : "");
    }

    @Override
    public @NotNull Observation observe(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        final FirmwareConfig config = FirmwareConfig.decode(spec, backends);
        final TargetResolver.Resolution resolution =
                TargetResolver.resolve(config.selector(), config.flasher().targetType(), context.devices());
        final FlashRecords records = FlashRecords.load(context.stateDirectory());
        if (resolution.targets().isEmpty()) {
            // Devices flashed before and unplugged since still hold the image; nothing to flash until one is back.
            final boolean flashedBefore =
                    records.all().stream().anyMatch(e -> e.sha256().equals(config.artifact()));
            return flashedBefore ? Observation.inSync() : Observation.drifted(resolution.problem());
        }
        for (final FirmwareTarget target : resolution.targets()) {
            final Optional<FlashRecords.Entry> entry = records.get(target.key());
            if (!holdsImage(entry, config)) {
                return Observation.drifted(
                        entry.isEmpty()
                                ? (config.selector() instanceof TargetSelector.Match
                                        ? "new device " + target.key()
                                                + " matches the selector and has not been flashed"
                                        : target.key() + " has not been flashed with image "
                                                + shortSha(config.artifact()))
                                : target.key() + " holds image "
                                        + shortSha(entry.get().sha256())
                                        + (entry.get().verified() ? "" : " (not verified)") + ", not "
                                        + shortSha(config.artifact()));
            }
        }
        return Observation.inSync();
    }

    /** Leaves the chips as they are; the records go with the state directory. */
    @Override
    public void remove(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {}

    private FirmwareFlashResult flashOne(
            final FirmwareTarget target,
            final FirmwareConfig config,
            final FirmwareArtifact artifact,
            final ProviderContext context) {
        final String lockKey =
                target.location() != null ? target.location() : config.flasher().id() + ":" + target.key();
        try (PortLocks.Lease lease = PortLocks.acquire(
                lockKey, "component " + context.componentName() + " of node " + context.node(), portWait)) {
            context.event(
                    Severity.INFO,
                    ProgressEvents.TYPE,
                    target.key() + ": flashing image " + shortSha(config.artifact()) + " ("
                            + artifact.image().size() + " bytes, "
                            + artifact.format().property() + ") with "
                            + config.flasher().id());
            final FirmwareFlashResult result = config.flasher()
                    .flash(target, artifact, config.settings(), new ProgressEvents(context, target.key()));
            AppChecks.afterFlash(config, target, context);
            return result;
        }
    }

    /** Whether a record shows the spec's image on the target: same SHA-256, verified where asked and possible. */
    private static boolean holdsImage(final Optional<FlashRecords.Entry> entry, final FirmwareConfig config) {
        if (entry.isEmpty() || !entry.get().sha256().equals(config.artifact())) {
            return false;
        }
        final FirmwareSettings settings = config.settings();
        if (settings.verify() != Verification.NONE
                && !entry.get().verified()
                && config.flasher().targetType() != FirmwareTarget.Type.UF2_VOLUME) {
            return false;
        }
        if (settings.expectedChipId().isPresent() && entry.get().chipId() != null) {
            try {
                return Long.parseLong(entry.get().chipId().substring(2), 16)
                        == settings.expectedChipId().getAsLong();
            } catch (final NumberFormatException | IndexOutOfBoundsException e) {
                return false;
            }
        }
        return true;
    }

    /** {@code no-device}, {@code permission-denied}, {@code verify-failed}: the reason as the message and event say it. */
    static String reasonWord(final FlashException.Reason reason) {
        return reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Reasons after which the chip may hold a partial image (see {@link FlashException.Reason}). */
    private static boolean touchedChip(final FlashException.Reason reason) {
        return switch (reason) {
            case NO_SYNC,
                    CHIP_MISMATCH,
                    UNKNOWN_CHIP,
                    IMAGE_OUT_OF_RANGE,
                    READ_PROTECTED,
                    UNSUPPORTED,
                    TOOL_MISSING,
                    NO_DEVICE,
                    PERMISSION_DENIED -> false;
            default -> true;
        };
    }

    /**
     * {@code {"sha256": desired, "devices": [{"device", "port", "sha256", "verified", "chipId", "flashedAt"}]}}: the
     * current targets' records first, then those of targets not present now; cut to the protocol's limit with
     * {@code "more": N}.
     */
    private static void publishOutputs(
            final ProviderContext context,
            final FirmwareConfig config,
            final FlashRecords records,
            final List<FirmwareTarget> targets) {
        final Set<String> order = new LinkedHashSet<>();
        targets.forEach(t -> order.add(t.key()));
        records.all().forEach(e -> order.add(e.key()));
        final ObjectNode outputs = JsonNodeFactory.instance.objectNode();
        outputs.put("sha256", config.artifact());
        final ArrayNode devices = outputs.putArray("devices");
        int left = 0;
        for (final String key : order) {
            final Optional<FlashRecords.Entry> found = records.get(key);
            if (found.isEmpty()) {
                continue;
            }
            final FlashRecords.Entry e = found.get();
            final ObjectNode entry = devices.addObject();
            if (e.device() != null) {
                entry.put("device", e.device());
            }
            if (e.location() != null) {
                entry.put("port", e.location());
            }
            entry.put("sha256", e.sha256());
            entry.put("verified", e.verified());
            if (e.chipId() != null) {
                entry.put("chipId", e.chipId());
            }
            entry.put("flashedAt", e.flashedAt().toString());
            if (size(outputs) > Limits.MAX_OUTPUTS_BYTES - 16) {
                devices.remove(devices.size() - 1);
                left++;
            }
        }
        if (left > 0) {
            outputs.put("more", left);
        }
        context.outputs(outputs);
    }

    private static int size(final ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static String describe(final List<FirmwareTarget> targets) {
        return targets.size() == 1
                ? targets.get(0).key()
                : targets.size() + " devices ("
                        + targets.stream().map(FirmwareTarget::key).collect(Collectors.joining(", ")) + ")";
    }

    static String shortSha(final String sha256) {
        return sha256.substring(0, 12) + "…";
    }
}
