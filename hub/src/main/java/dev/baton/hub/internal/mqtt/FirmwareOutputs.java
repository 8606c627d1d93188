package dev.baton.hub.internal.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.hub.internal.store.DeviceFirmware;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.Names;
import dev.baton.protocol.ProtocolException;
import dev.baton.protocol.ReportedState;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * Reads what {@code firmware} components report to have flashed: {@code outputs.devices[]} entries with a
 * {@code device} (inventory ID), {@code sha256}, {@code verified}, {@code chipId}, {@code flashedAt}. Entries without
 * a device ID (a bare port) or with malformed fields are skipped: outputs are the provider's facts, not validated
 * protocol, and one odd entry must not lose the others.
 */
final class FirmwareOutputs {

    static final String KIND = "firmware";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private FirmwareOutputs() {}

    static @NotNull List<DeviceFirmware> read(final @NotNull ReportedState reported) {
        final List<DeviceFirmware> out = new ArrayList<>();
        for (final ComponentStatus component : reported.components()) {
            if (!component.kind().equals(KIND)) {
                continue;
            }
            for (final JsonNode entry : component.outputs().path("devices")) {
                final String device = entry.path("device").asText(null);
                final String sha256 = entry.path("sha256").asText("");
                if (device == null || !SHA256.matcher(sha256).matches()) {
                    continue;
                }
                try {
                    Names.checkDeviceId(device, "device");
                    final String chipId = entry.path("chipId").asText(null);
                    out.add(new DeviceFirmware(
                            device,
                            "",
                            component.name(),
                            sha256,
                            entry.path("verified").asBoolean(false),
                            chipId == null || chipId.length() > 32 ? null : chipId,
                            Instant.parse(entry.path("flashedAt").asText(""))));
                } catch (final ProtocolException | DateTimeException e) {
                    // skipped, see the class comment
                }
            }
        }
        return out;
    }
}
