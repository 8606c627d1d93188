package dev.baton.adapters.mcu.external;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.mcu.external.internal.AvrdudeDriver;
import dev.baton.adapters.mcu.external.internal.DfuUtilDriver;
import dev.baton.adapters.mcu.external.internal.EsptoolDriver;
import dev.baton.adapters.mcu.external.internal.ExecutableLocator;
import dev.baton.adapters.mcu.external.internal.OpenOcdDriver;
import dev.baton.adapters.mcu.external.internal.PyOcdDriver;
import dev.baton.adapters.mcu.external.internal.ToolFlasher;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jetbrains.annotations.NotNull;

/** Makes {@link ExternalFlasher}s by tool ID, from typed settings or from the JSON the firmware component holds. */
public final class ExternalFlashers {

    /** The tool IDs, as the {@code flasher} property names them. */
    public static final List<String> TOOL_IDS = List.of(
            OpenOcdSettings.TOOL_ID,
            DfuUtilSettings.TOOL_ID,
            AvrdudeSettings.TOOL_ID,
            EsptoolSettings.TOOL_ID,
            PyOcdSettings.TOOL_ID);

    private ExternalFlashers() {}

    /** Whether {@code toolId} names an external tool. */
    public static boolean isToolId(final @NotNull String toolId) {
        return TOOL_IDS.contains(toolId);
    }

    /**
     * Reads the settings of tool {@code toolId} from {@code json}. {@code callerProperties} are properties that
     * belong to the caller (e.g. the firmware component's {@code flasher}, {@code artifact}, {@code chipId}) and are
     * skipped; any other property the tool does not take is refused, so a misspelt setting is not ignored.
     *
     * @throws IllegalArgumentException naming the tool, the setting and what it must be, or the unknown tool ID
     */
    public static @NotNull ExternalToolSettings settings(
            final @NotNull String toolId, final @NotNull ObjectNode json, final @NotNull Set<String> callerProperties) {
        Objects.requireNonNull(json, "json");
        return switch (toolId) {
            case OpenOcdSettings.TOOL_ID -> OpenOcdSettings.fromJson(json, callerProperties);
            case DfuUtilSettings.TOOL_ID -> DfuUtilSettings.fromJson(json, callerProperties);
            case AvrdudeSettings.TOOL_ID -> AvrdudeSettings.fromJson(json, callerProperties);
            case EsptoolSettings.TOOL_ID -> EsptoolSettings.fromJson(json, callerProperties);
            case PyOcdSettings.TOOL_ID -> PyOcdSettings.fromJson(json, callerProperties);
            default -> throw new IllegalArgumentException(
                    "unknown external flashing tool '" + toolId + "'; the tools are " + String.join(", ", TOOL_IDS));
        };
    }

    /** A flasher for tool {@code toolId} with the settings in {@code json} (see {@link #settings}). */
    public static @NotNull ExternalFlasher create(
            final @NotNull String toolId, final @NotNull ObjectNode json, final @NotNull Set<String> callerProperties) {
        return create(settings(toolId, json, callerProperties));
    }

    /** A flasher that finds its executable on PATH unless the settings name one. */
    public static @NotNull ExternalFlasher create(final @NotNull ExternalToolSettings settings) {
        return create(settings, ExecutableLocator.fromPath());
    }

    /** A flasher that looks for its executable in {@code searchPath} instead of PATH. */
    public static @NotNull ExternalFlasher create(
            final @NotNull ExternalToolSettings settings, final @NotNull List<Path> searchPath) {
        return create(settings, new ExecutableLocator(searchPath));
    }

    private static ExternalFlasher create(final ExternalToolSettings settings, final ExecutableLocator locator) {
        if (settings instanceof OpenOcdSettings s) {
            return new ToolFlasher<>(new OpenOcdDriver(), s, locator);
        }
        if (settings instanceof DfuUtilSettings s) {
            return new ToolFlasher<>(new DfuUtilDriver(), s, locator);
        }
        if (settings instanceof AvrdudeSettings s) {
            return new ToolFlasher<>(new AvrdudeDriver(), s, locator);
        }
        if (settings instanceof EsptoolSettings s) {
            return new ToolFlasher<>(new EsptoolDriver(), s, locator);
        }
        return new ToolFlasher<>(new PyOcdDriver(), (PyOcdSettings) settings, locator);
    }
}
