package dev.baton.adapters.mcu.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.ComponentProperties;
import dev.baton.adapters.api.PropertyReader;
import dev.baton.adapters.mcu.EraseMode;
import dev.baton.adapters.mcu.Parity;
import dev.baton.adapters.mcu.SerialLinkConfig;
import dev.baton.adapters.mcu.Verification;
import dev.baton.adapters.mcu.component.internal.FirmwareBackends;
import dev.baton.protocol.ComponentSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jetbrains.annotations.NotNull;

/**
 * A {@code firmware} component's properties, decoded and checked (see docs/hardware/mcu.md, "The firmware
 * component").
 *
 * @param flasher the back-end ({@code flasher})
 * @param selector the target devices ({@code port}, {@code volume}, {@code device}, {@code select})
 * @param artifact the image's SHA-256 in the hub's artifact store ({@code artifact})
 * @param format {@code format}, or empty to infer it from the file
 * @param address {@code address}: where a raw binary starts, or empty for the back-end's default
 * @param settings what the back-end uses
 */
public record FirmwareConfig(
        @NotNull FirmwareBackend flasher,
        @NotNull TargetSelector selector,
        @NotNull String artifact,
        @NotNull Optional<FirmwareArtifact.Format> format,
        @NotNull OptionalLong address,
        @NotNull FirmwareSettings settings) {

    static final Set<String> PROPERTIES = Set.of(
            "flasher",
            "port",
            "volume",
            "device",
            "select",
            "artifact",
            "format",
            "address",
            "baud",
            "parity",
            "reset",
            "chipId",
            "verify",
            "startApplication",
            "erase",
            "removeReadProtection",
            "appCheck",
            "volumeRoots",
            "rebootTimeoutMs",
            "options");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HEX4 = Pattern.compile("[0-9a-fA-F]{4}");
    private static final long MAX_TIMEOUT_MS = 600_000;

    /**
     * Decodes {@code spec}'s properties with the back-ends on the class path.
     *
     * @throws dev.baton.adapters.api.ComponentException with reason INVALID_SPEC naming the property
     */
    public static @NotNull FirmwareConfig decode(final @NotNull ComponentSpec spec) {
        return decode(spec, FirmwareBackends.installed());
    }

    /** Decodes {@code spec}'s properties, picking the back-end among {@code backends}. */
    public static @NotNull FirmwareConfig decode(
            final @NotNull ComponentSpec spec, final @NotNull FirmwareBackends backends) {
        final ComponentProperties p = ComponentProperties.of(spec, PROPERTIES);
        final String flasherId = p.requiredString("flasher");
        final FirmwareBackend backend = backends.byId(flasherId)
                .orElseThrow(() -> p.invalid("property 'flasher' must be one of " + String.join(", ", backends.ids())
                        + ", but was '" + dev.baton.protocol.Names.printable(flasherId) + "'"));

        final TargetSelector selector = selector(p, backend);

        final String artifact = p.requiredString("artifact");
        if (!SHA256.matcher(artifact).matches()) {
            throw p.invalid("property 'artifact' must be the image's SHA-256 in the hub's artifact store"
                    + " (64 lower-case hex digits), but was '" + dev.baton.protocol.Names.printable(artifact) + "'");
        }
        final Optional<FirmwareArtifact.Format> format = p.optionalString("format")
                .map(text -> switch (text) {
                    case "bin" -> FirmwareArtifact.Format.BIN;
                    case "hex" -> FirmwareArtifact.Format.HEX;
                    case "uf2" -> FirmwareArtifact.Format.UF2;
                    default -> throw p.invalid("property 'format' must be bin, hex or uf2, but was '"
                            + dev.baton.protocol.Names.printable(text) + "'");
                });
        final OptionalLong address = hexOrNumber(p, "address");
        if (address.isPresent() && format.isPresent() && format.get() != FirmwareArtifact.Format.BIN) {
            throw p.invalid("property 'address' applies to raw binaries only, but 'format' is "
                    + format.get().property() + " (its addresses are in the file)");
        }

        final OptionalInt baud = p.optionalLong("baud", SerialLinkConfig.MIN_BAUD, SerialLinkConfig.MAX_BAUD).stream()
                .mapToInt(v -> (int) v)
                .findFirst();
        final Optional<Parity> parity = p.optionalString("parity").map(text -> switch (text) {
            case "none" -> Parity.NONE;
            case "even" -> Parity.EVEN;
            case "odd" -> Parity.ODD;
            default -> throw p.invalid("property 'parity' must be none, even or odd, but was '"
                    + dev.baton.protocol.Names.printable(text) + "'");
        });
        final Optional<FirmwareSettings.ResetMethod> reset = p.optionalString("reset")
                .map(text -> switch (text) {
                    case "dtr" -> FirmwareSettings.ResetMethod.DTR;
                    case "none" -> FirmwareSettings.ResetMethod.NONE;
                    default -> throw p.invalid("property 'reset' must be dtr or none, but was '"
                            + dev.baton.protocol.Names.printable(text) + "'");
                });
        final OptionalLong chipId = hexOrNumber(p, "chipId");
        final EraseMode erase = p.optionalString("erase")
                .map(text -> switch (text) {
                    case "pages" -> EraseMode.PAGES;
                    case "mass" -> EraseMode.MASS;
                    default -> throw p.invalid("property 'erase' must be pages or mass, but was '"
                            + dev.baton.protocol.Names.printable(text) + "'");
                })
                .orElse(EraseMode.PAGES);
        final AppCheck appCheck = appCheck(p);
        final boolean start = p.optionalBoolean("startApplication").orElse(appCheck != null);
        if (appCheck != null && !start) {
            throw p.invalid("property 'appCheck' needs the application started, but 'startApplication' is false");
        }
        final List<Path> roots = new ArrayList<>();
        for (final String root : p.stringList("volumeRoots")) {
            if (!root.startsWith("/")) {
                throw p.invalid("property 'volumeRoots' must hold absolute paths, but held '"
                        + dev.baton.protocol.Names.printable(root) + "'");
            }
            roots.add(Path.of(root));
        }
        final Duration rebootTimeout = p.optionalLong("rebootTimeoutMs", 100, MAX_TIMEOUT_MS).stream()
                .mapToObj(Duration::ofMillis)
                .findFirst()
                .orElse(FirmwareSettings.DEFAULT_REBOOT_TIMEOUT);
        final JsonNode options = p.raw("options");
        if (options != null && !options.isNull() && !options.isObject()) {
            throw p.invalid("property 'options' must be an object, but was " + PropertyReader.describe(options));
        }
        final FirmwareSettings settings = new FirmwareSettings(
                baud,
                parity,
                reset,
                chipId,
                verification(p),
                start,
                erase,
                p.optionalBoolean("removeReadProtection").orElse(false),
                appCheck,
                roots.isEmpty() ? FirmwareSettings.DEFAULT_VOLUME_ROOTS : roots,
                rebootTimeout,
                options == null || options.isNull() ? null : (ObjectNode) options);
        try {
            backend.validate(settings);
        } catch (final IllegalArgumentException e) {
            throw p.invalid(e.getMessage());
        }
        if (backend.targetType() == FirmwareTarget.Type.UF2_VOLUME
                && format.isPresent()
                && format.get() != FirmwareArtifact.Format.UF2) {
            throw p.invalid("property 'format' must be uf2 for flasher uf2, but was "
                    + format.get().property());
        }
        return new FirmwareConfig(backend, selector, artifact, format, address, settings);
    }

    private static TargetSelector selector(final ComponentProperties p, final FirmwareBackend backend) {
        final List<String> given = new ArrayList<>();
        for (final String name : List.of("port", "volume", "device", "select")) {
            final JsonNode value = p.raw(name);
            if (value != null && !value.isNull()) {
                given.add(name);
            }
        }
        if (given.size() > 1) {
            throw p.invalid("names its target twice (" + String.join(" and ", given)
                    + "); give one of port, volume, device, select");
        }
        final FirmwareTarget.Type type = backend.targetType();
        if (given.isEmpty()) {
            if (type == FirmwareTarget.Type.UF2_VOLUME) {
                return new TargetSelector.Search();
            }
            throw p.invalid("needs a target: property 'port' (a serial port path), 'device' (a device ID from the"
                    + " node's inventory) or 'select' ({\"vid\", \"pid\", \"serial\"})");
        }
        final String property = given.get(0);
        if (property.equals("port") && type != FirmwareTarget.Type.SERIAL_PORT) {
            throw p.invalid("property 'port' does not apply to flasher " + backend.id()
                    + (type == FirmwareTarget.Type.UF2_VOLUME ? "; use 'volume', 'device' or 'select'" : ""));
        }
        if (property.equals("volume") && type != FirmwareTarget.Type.UF2_VOLUME) {
            throw p.invalid("property 'volume' applies to flasher uf2 only");
        }
        return switch (property) {
            case "port" -> new TargetSelector.Port(path(p, "port"));
            case "volume" -> new TargetSelector.Volume(path(p, "volume"));
            case "device" -> {
                final String id = p.requiredString("device");
                if (id.isBlank()) {
                    throw p.invalid("property 'device' must be a device ID such as serial:/dev/ttyUSB0, but was empty");
                }
                yield new TargetSelector.DeviceId(id);
            }
            default -> match(p);
        };
    }

    private static String path(final ComponentProperties p, final String name) {
        final String path = p.requiredString(name);
        if (path.isBlank() || path.indexOf('\0') >= 0) {
            throw p.invalid("property '" + name + "' must be a path such as /dev/ttyUSB0, but was '"
                    + dev.baton.protocol.Names.printable(path) + "'");
        }
        return path;
    }

    private static TargetSelector.Match match(final ComponentProperties p) {
        final JsonNode select = p.raw("select");
        if (!select.isObject()) {
            throw p.invalid("property 'select' must be an object {\"vid\", \"pid\", \"serial\"}, but was "
                    + PropertyReader.describe(select));
        }
        select.fieldNames().forEachRemaining(name -> {
            if (!Set.of("vid", "pid", "serial").contains(name)) {
                throw p.invalid("property 'select' has unknown field '" + dev.baton.protocol.Names.printable(name)
                        + "'; it takes vid, pid, serial");
            }
        });
        final String vid = hex4(p, select, "vid");
        final String pid = hex4(p, select, "pid");
        final JsonNode serial = select.get("serial");
        if (serial != null && !serial.isTextual()) {
            throw p.invalid("property 'select.serial' must be a string, but was " + PropertyReader.describe(serial));
        }
        if (vid == null && pid == null && serial == null) {
            throw p.invalid("property 'select' must name at least one of vid, pid, serial");
        }
        return new TargetSelector.Match(vid, pid, serial == null ? null : serial.textValue());
    }

    private static String hex4(final ComponentProperties p, final JsonNode object, final String field) {
        final JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !HEX4.matcher(value.textValue()).matches()) {
            throw p.invalid("property 'select." + field + "' must be 4 hex digits such as \"0483\", but was "
                    + (value.isTextual()
                            ? "'" + dev.baton.protocol.Names.printable(value.textValue()) + "'"
                            : PropertyReader.describe(value)));
        }
        return value.textValue().toLowerCase(Locale.ROOT);
    }

    private static AppCheck appCheck(final ComponentProperties p) {
        final JsonNode check = p.raw("appCheck");
        if (check == null || check.isNull()) {
            return null;
        }
        if (!check.isObject()) {
            throw p.invalid("property 'appCheck' must be an object, but was " + PropertyReader.describe(check));
        }
        check.fieldNames().forEachRemaining(name -> {
            if (!Set.of("serialBanner", "usb", "timeoutMs", "port", "baud").contains(name)) {
                throw p.invalid("property 'appCheck' has unknown field '" + dev.baton.protocol.Names.printable(name)
                        + "'; it takes serialBanner, usb, timeoutMs, port, baud");
            }
        });
        final JsonNode timeoutNode = check.get("timeoutMs");
        final long timeoutMs;
        if (timeoutNode == null || timeoutNode.isNull()) {
            timeoutMs = 10_000;
        } else if (timeoutNode.isIntegralNumber()
                && timeoutNode.canConvertToLong()
                && timeoutNode.longValue() >= 100
                && timeoutNode.longValue() <= MAX_TIMEOUT_MS) {
            timeoutMs = timeoutNode.longValue();
        } else {
            throw p.invalid("property 'appCheck.timeoutMs' must be a whole number from 100 to " + MAX_TIMEOUT_MS
                    + ", but was " + timeoutNode);
        }
        final Duration timeout = Duration.ofMillis(timeoutMs);
        final JsonNode banner = check.get("serialBanner");
        final JsonNode usb = check.get("usb");
        if ((banner == null) == (usb == null)) {
            throw p.invalid("property 'appCheck' must hold exactly one of serialBanner (a regular expression) and"
                    + " usb ({\"vid\", \"pid\"})");
        }
        if (banner != null) {
            if (!banner.isTextual() || banner.textValue().isEmpty()) {
                throw p.invalid("property 'appCheck.serialBanner' must be a regular expression, but was "
                        + PropertyReader.describe(banner));
            }
            final Pattern pattern;
            try {
                pattern = Pattern.compile(banner.textValue());
            } catch (final PatternSyntaxException e) {
                throw p.invalid("property 'appCheck.serialBanner' is not a regular expression: " + e.getDescription()
                        + " near index " + e.getIndex());
            }
            final JsonNode port = check.get("port");
            if (port != null && (!port.isTextual() || port.textValue().isBlank())) {
                throw p.invalid("property 'appCheck.port' must be a serial port path");
            }
            final JsonNode baud = check.get("baud");
            if (baud != null
                    && (!baud.isIntegralNumber()
                            || baud.longValue() < SerialLinkConfig.MIN_BAUD
                            || baud.longValue() > SerialLinkConfig.MAX_BAUD)) {
                throw p.invalid("property 'appCheck.baud' must be a whole number from " + SerialLinkConfig.MIN_BAUD
                        + " to " + SerialLinkConfig.MAX_BAUD + ", but was " + baud);
            }
            return new AppCheck.SerialBanner(
                    pattern, timeout, port == null ? null : port.textValue(), baud == null ? 0 : baud.intValue());
        }
        if (check.has("port") || check.has("baud")) {
            throw p.invalid("property 'appCheck' takes port and baud only with serialBanner");
        }
        if (!usb.isObject()) {
            throw p.invalid("property 'appCheck.usb' must be an object {\"vid\", \"pid\"}, but was "
                    + PropertyReader.describe(usb));
        }
        final String vid = hex4(p, usb, "vid");
        final String pid = hex4(p, usb, "pid");
        if (vid == null || pid == null) {
            throw p.invalid("property 'appCheck.usb' needs both vid and pid (4 hex digits each)");
        }
        return new AppCheck.UsbReenumeration(vid, pid, timeout);
    }

    /** {@code verify}: auto, checksum, readback or none; {@code true} is auto, {@code false} none. */
    private static Verification verification(final ComponentProperties p) {
        final JsonNode value = p.raw("verify");
        if (value == null || value.isNull()) {
            return Verification.AUTO;
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? Verification.AUTO : Verification.NONE;
        }
        if (value.isTextual()) {
            final Optional<Verification> named = Verification.ofProperty(value.textValue());
            if (named.isPresent()) {
                return named.get();
            }
        }
        throw p.invalid("property 'verify' must be auto, checksum, readback or none (or true, false), but was "
                + (value.isTextual()
                        ? "'" + dev.baton.protocol.Names.printable(value.textValue()) + "'"
                        : PropertyReader.describe(value)));
    }

    /** A whole number, or a string of hex digits after {@code 0x}, from 0 to 0xFFFFFFFF. */
    private static OptionalLong hexOrNumber(final ComponentProperties p, final String name) {
        final JsonNode value = p.raw(name);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (value.isTextual()) {
            final String text = value.textValue();
            if (text.matches("0[xX][0-9a-fA-F]{1,8}")) {
                return OptionalLong.of(Long.parseLong(text.substring(2), 16));
            }
            throw p.invalid("property '" + name + "' must be a number or a hex string such as \"0x08000000\", but was '"
                    + dev.baton.protocol.Names.printable(text) + "'");
        }
        return p.optionalLong(name, 0, 0xFFFF_FFFFL);
    }
}
