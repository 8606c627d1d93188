package dev.baton.adapters.usb;

import dev.baton.adapters.api.discovery.DiscoveryConfig;
import dev.baton.adapters.api.discovery.DiscoveryException;
import dev.baton.protocol.Names;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * The {@code usb} handler's own keys of {@code discovery.usb}, read and checked at once (the common keys such as
 * {@code intervalSeconds} and {@code include} are the agent's).
 *
 * @param sysfsRoot {@code sysfsRoot}: where sysfs is mounted, default {@code /sys}; the handler reads
 *     {@code <sysfsRoot>/bus/usb/devices}, and serial {@code by-id} links in {@code <parent>/dev/serial/by-id}
 * @param sysfsRootConfigured true when {@code sysfsRoot} was given: a missing tree is then a problem to report,
 *     while a missing default {@code /sys/bus/usb} only means a host without USB in sysfs (Windows, macOS, many
 *     containers)
 * @param rootHubs {@code rootHubs}: report the host controllers' root hubs ({@code usb1}, …) too, default false
 * @param serial {@code serial}: list the host's serial ports through jSerialComm (on-board UARTs, and every port on
 *     Windows and macOS), default true; the tty nodes of USB devices found in sysfs are reported either way
 * @param serialPorts {@code serialPorts}: more ports to report whatever {@code serial} says, such as socat links
 *     ({@code /tmp/ttyV0}) that no enumeration lists; absolute paths, or {@code COMn} on Windows
 * @param match {@code match}: when not empty, only devices that one of these strings matches are reported
 */
public record UsbDiscoveryConfig(
        @NotNull Path sysfsRoot,
        boolean sysfsRootConfigured,
        boolean rootHubs,
        boolean serial,
        @NotNull List<String> serialPorts,
        @NotNull List<UdevMatch> match) {

    public static final String SYSFS_ROOT = "sysfsRoot";
    public static final String ROOT_HUBS = "rootHubs";
    public static final String SERIAL = "serial";
    public static final String SERIAL_PORTS = "serialPorts";
    public static final String MATCH = "match";
    public static final Set<String> KEYS = Set.of(SYSFS_ROOT, ROOT_HUBS, SERIAL, SERIAL_PORTS, MATCH);

    public static final Path DEFAULT_SYSFS_ROOT = Path.of("/sys");
    public static final int MAX_SERIAL_PORTS = 64;
    public static final int MAX_MATCHES = 32;
    public static final int MAX_PATH_CHARS = 1024;

    private static final Pattern WINDOWS_PORT = Pattern.compile("(?i)(\\\\\\\\\\.\\\\)?COM[1-9][0-9]{0,2}");

    public UsbDiscoveryConfig {
        Objects.requireNonNull(sysfsRoot, "sysfsRoot");
        serialPorts = List.copyOf(serialPorts);
        match = List.copyOf(match);
    }

    /**
     * Reads the handler's keys of {@code config}, refusing unknown ones, without touching the host.
     *
     * @throws DiscoveryException with {@link DiscoveryException.Reason#INVALID_CONFIG}, naming the key, the rule
     *     and the value
     */
    public static @NotNull UsbDiscoveryConfig from(final @NotNull DiscoveryConfig config) {
        config.allowOnly(KEYS);
        final String rootText = config.optionalString(SYSFS_ROOT).orElse(null);
        final Path root = rootText == null ? DEFAULT_SYSFS_ROOT : absolutePath(config, SYSFS_ROOT, rootText);
        final boolean rootHubs = config.optionalBoolean(ROOT_HUBS).orElse(false);
        final boolean serial = config.optionalBoolean(SERIAL).orElse(true);
        final List<String> ports = config.stringList(SERIAL_PORTS);
        if (ports.size() > MAX_SERIAL_PORTS) {
            throw config.invalid("property '" + SERIAL_PORTS + "' must not hold more than " + MAX_SERIAL_PORTS
                    + " paths, but held " + ports.size());
        }
        for (int i = 0; i < ports.size(); i++) {
            final String port = ports.get(i);
            final String key = SERIAL_PORTS + "[" + i + "]";
            if (!WINDOWS_PORT.matcher(port).matches()) {
                absolutePath(config, key, port);
            }
            final int first = ports.indexOf(port);
            if (first < i) {
                throw config.invalid("property '" + key + "' repeats '" + SERIAL_PORTS + "[" + first + "]' (\""
                        + Names.printable(port) + "\")");
            }
        }
        final List<String> matchTexts = config.stringList(MATCH);
        if (matchTexts.size() > MAX_MATCHES) {
            throw config.invalid("property '" + MATCH + "' must not hold more than " + MAX_MATCHES
                    + " strings, but held " + matchTexts.size());
        }
        final List<UdevMatch> matches = new ArrayList<>(matchTexts.size());
        for (int i = 0; i < matchTexts.size(); i++) {
            try {
                matches.add(UdevMatch.parse(matchTexts.get(i)));
            } catch (final MatchSyntaxException e) {
                throw config.invalid("property '" + MATCH + "[" + i + "]' (\"" + Names.printable(matchTexts.get(i))
                        + "\") is not a valid match " + e.getMessage());
            }
        }
        return new UsbDiscoveryConfig(root, rootText != null, rootHubs, serial, ports, matches);
    }

    private static Path absolutePath(final DiscoveryConfig config, final String key, final String text) {
        if (text.isEmpty() || text.length() > MAX_PATH_CHARS || text.chars().anyMatch(Character::isISOControl)) {
            throw config.invalid("property '" + key + "' must be a path of 1 to " + MAX_PATH_CHARS
                    + " characters without control characters, but was \"" + Names.printable(text) + '"');
        }
        final Path path;
        try {
            path = Path.of(text);
        } catch (final InvalidPathException e) {
            throw config.invalid("property '" + key + "' is not a path here (" + e.getReason() + "): \""
                    + Names.printable(text) + '"');
        }
        if (!path.isAbsolute()) {
            throw config.invalid("property '" + key + "' must be an absolute path"
                    + (key.startsWith(SERIAL_PORTS) ? " (or COMn on Windows)" : "") + ", but was \""
                    + Names.printable(text) + '"');
        }
        return path.normalize();
    }
}
