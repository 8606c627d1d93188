package dev.baton.adapters.mcu.component.internal;

import dev.baton.adapters.mcu.FlasherFactory;
import dev.baton.adapters.mcu.component.FirmwareBackend;
import dev.baton.adapters.mcu.external.ExternalFlashers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code flasher} values a node offers: every serial {@link FlasherFactory} (wrapped in
 * {@link SerialFirmwareBackend}), {@code uf2}, then every {@link FirmwareBackend} listed for
 * {@link ServiceLoader}. The first back-end with an ID wins. Immutable.
 */
public final class FirmwareBackends {

    private static final Logger log = LoggerFactory.getLogger(FirmwareBackends.class);

    private final Map<String, FirmwareBackend> byId;

    public FirmwareBackends(final @NotNull List<FirmwareBackend> backends) {
        final Map<String, FirmwareBackend> map = new LinkedHashMap<>();
        for (final FirmwareBackend backend : backends) {
            if (map.putIfAbsent(backend.id(), backend) != null) {
                log.warn("firmware back-end {} ({}) ignored: another back-end has that ID", backend.id(), backend);
            }
        }
        this.byId = java.util.Collections.unmodifiableMap(map);
    }

    /** The back-ends on the class path (looked up once per call; the provider keeps its own). */
    public static @NotNull FirmwareBackends installed() {
        final List<FirmwareBackend> backends = new ArrayList<>();
        for (final FlasherFactory factory :
                ServiceLoader.load(FlasherFactory.class, FlasherFactory.class.getClassLoader())) {
            backends.add(new SerialFirmwareBackend(factory));
        }
        backends.add(new Uf2VolumeBackend());
        for (final String tool : ExternalFlashers.TOOL_IDS) {
            backends.add(new ExternalToolBackend(tool));
        }
        for (final FirmwareBackend backend :
                ServiceLoader.load(FirmwareBackend.class, FirmwareBackend.class.getClassLoader())) {
            backends.add(backend);
        }
        return new FirmwareBackends(backends);
    }

    public @NotNull Optional<FirmwareBackend> byId(final @NotNull String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The IDs, in lookup order. */
    public @NotNull List<String> ids() {
        return List.copyOf(byId.keySet());
    }
}
