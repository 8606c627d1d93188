package dev.baton.adapters.mcu.external.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.api.PropertyReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jetbrains.annotations.NotNull;

/**
 * Reads one tool's settings out of a JSON object (the {@code firmware} component's properties): unknown settings
 * are refused, every value is type-checked, and errors name the setting and the tool.
 */
public final class SettingsReader extends PropertyReader {

    /** Settings every tool takes. */
    public static final Set<String> COMMON = Set.of("executable", "timeoutSeconds");

    private final String toolId;

    private SettingsReader(final ObjectNode settings, final String toolId) {
        super(settings);
        this.toolId = toolId;
    }

    /**
     * A reader of {@code settings} for {@code toolId} that refuses any setting outside {@code known} and
     * {@link #COMMON}. {@code ignored} names properties that belong to the caller (e.g. the component's
     * {@code flasher} and {@code artifact}) and are skipped.
     */
    public static @NotNull SettingsReader of(
            final @NotNull ObjectNode settings,
            final @NotNull String toolId,
            final @NotNull Set<String> known,
            final @NotNull Set<String> ignored) {
        final SettingsReader reader = new SettingsReader(settings, toolId);
        final Set<String> all = new HashSet<>(known);
        all.addAll(COMMON);
        all.addAll(ignored);
        reader.refuseUnknown(all, toolId + " settings");
        return reader;
    }

    @Override
    public @NotNull IllegalArgumentException invalid(final @NotNull String problem) {
        return new IllegalArgumentException(toolId + " settings: " + problem);
    }

    public @NotNull Optional<Path> executable() {
        return optionalString("executable").map(Path::of);
    }

    public @NotNull Duration timeout() {
        return optionalLong("timeoutSeconds", 1, SettingChecks.MAX_TIMEOUT_SECONDS).stream()
                .mapToObj(Duration::ofSeconds)
                .findFirst()
                .orElse(SettingChecks.DEFAULT_TIMEOUT);
    }

    public boolean flag(final @NotNull String name, final boolean defaultValue) {
        return optionalBoolean(name).orElse(defaultValue);
    }

    /**
     * An address as a JSON number or a string ({@code "0x08000000"} or decimal), since JSON has no hex numbers.
     */
    public @NotNull OptionalLong address(final @NotNull String name) {
        final JsonNode value = raw(name);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (value.isTextual()) {
            final String text = value.textValue().strip();
            try {
                final long parsed = text.startsWith("0x") || text.startsWith("0X")
                        ? Long.parseLong(text.substring(2), 16)
                        : Long.parseLong(text);
                return checkAddress(name, parsed, value.textValue());
            } catch (final NumberFormatException e) {
                throw invalid("property '" + name + "' must be an address such as \"0x08000000\" or 134217728, but"
                        + " was '" + SettingChecks.printable(value.textValue()) + "'");
            }
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return checkAddress(name, value.longValue(), value.toString());
        }
        throw invalid("property '" + name + "' must be an address such as \"0x08000000\" or 134217728, but was "
                + describe(value));
    }

    private OptionalLong checkAddress(final String name, final long address, final String written) {
        if (address < 0 || address > 0xFFFF_FFFFL) {
            throw invalid("property '" + name + "' must be from 0 to 0xFFFFFFFF, but was " + written);
        }
        return OptionalLong.of(address);
    }

    /** A string or a whole number, as text (dfu-util's {@code alt} is either a number or a name). */
    public @NotNull Optional<String> stringOrNumber(final @NotNull String name) {
        final JsonNode value = raw(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            return Optional.of(value.textValue());
        }
        if (value.isIntegralNumber()) {
            return Optional.of(value.asText());
        }
        throw invalid("property '" + name + "' must be a number or a string, but was " + describe(value));
    }
}
