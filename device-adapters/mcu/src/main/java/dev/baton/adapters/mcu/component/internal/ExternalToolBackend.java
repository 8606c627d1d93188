package dev.baton.adapters.mcu.component.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.adapters.mcu.FlashProgressListener;
import dev.baton.adapters.mcu.FlashReport;
import dev.baton.adapters.mcu.Verification;
import dev.baton.adapters.mcu.component.FirmwareArtifact;
import dev.baton.adapters.mcu.component.FirmwareBackend;
import dev.baton.adapters.mcu.component.FirmwareFlashResult;
import dev.baton.adapters.mcu.component.FirmwareSettings;
import dev.baton.adapters.mcu.component.FirmwareTarget;
import dev.baton.adapters.mcu.external.ExternalFlasher;
import dev.baton.adapters.mcu.external.ExternalFlashers;
import java.util.Set;
import org.jetbrains.annotations.NotNull;

/**
 * A firmware back-end that runs an installed flashing tool ({@code openocd}, {@code dfu-util}, {@code avrdude},
 * {@code esptool}, {@code pyocd}) through {@link ExternalFlashers}. The tool's own settings come from the component's
 * {@code options} property; for the serial tools (avrdude, esptool) the resolved target's port fills in {@code port}
 * when the options name none, so a device selector works as it does for the native flashers.
 *
 * <p>The tool checks the chip itself (avrdude's signature against {@code part}, esptool's {@code --chip});
 * {@code chipId} is not compared before the tool runs, and dfu-util and pyocd do not read the image back, so their results are not verified.
 */
final class ExternalToolBackend implements FirmwareBackend {

    /** The tools get only the component's {@code options}, so there are no other properties to skip. */
    private static final Set<String> NO_COMPONENT_PROPERTIES = Set.of();

    private final String toolId;

    ExternalToolBackend(final @NotNull String toolId) {
        this.toolId = toolId;
    }

    @Override
    public @NotNull String id() {
        return toolId;
    }

    @Override
    public FirmwareTarget.@NotNull Type targetType() {
        return serialTool() ? FirmwareTarget.Type.SERIAL_PORT : FirmwareTarget.Type.USB_DEVICE;
    }

    @Override
    public void validate(final @NotNull FirmwareSettings settings) {
        if (settings.verify() == Verification.CHECKSUM || settings.verify() == Verification.READBACK) {
            throw new IllegalArgumentException("property 'verify' does not apply to flasher " + toolId
                    + ": the tool verifies as its 'options' say");
        }
        try {
            ExternalFlashers.settings(toolId, withPort(settings.options(), "/dev/null"), NO_COMPONENT_PROPERTIES);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("property 'options' for flasher " + toolId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public @NotNull FirmwareFlashResult flash(
            final @NotNull FirmwareTarget target,
            final @NotNull FirmwareArtifact artifact,
            final @NotNull FirmwareSettings settings,
            final @NotNull FlashProgressListener listener) {
        final ObjectNode options =
                target.location() == null ? settings.options() : withPort(settings.options(), target.location());
        final ExternalFlasher flasher = ExternalFlashers.create(toolId, options, NO_COMPONENT_PROPERTIES);
        final FlashReport report = flasher.flash(artifact.file(), listener);
        // avrdude reports the signature it read; tools that report none leave 0.
        return new FirmwareFlashResult(
                report.chip().chipId() == 0 ? null : report.chip().chipIdHex(),
                report.verified(),
                report.bytesWritten(),
                report.duration(),
                toolId + " " + flasher.executable() + ", " + report.bytesWritten() + " bytes"
                        + (report.verified() ? ", verified by the tool" : ", not read back"));
    }

    private boolean serialTool() {
        return toolId.equals("avrdude") || toolId.equals("esptool");
    }

    /** The serial tools need a {@code port}: the target's, unless the options name one. */
    private ObjectNode withPort(final ObjectNode options, final String port) {
        final ObjectNode copy = options.deepCopy();
        if (serialTool() && !copy.has("port")) {
            copy.put("port", port);
        }
        return copy;
    }
}
