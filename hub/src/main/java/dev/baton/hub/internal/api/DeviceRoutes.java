package dev.baton.hub.internal.api;

import dev.baton.hub.internal.store.DeviceFirmware;
import dev.baton.hub.internal.store.DeviceQuery;
import dev.baton.hub.internal.store.DeviceRecord;
import dev.baton.hub.internal.store.DeviceStore;
import dev.baton.protocol.DeviceFilter;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.Names;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * {@code /api/v1/tenants/{tenant}/devices…}: the tenant's discovered devices. Handlers run on the event loop and
 * return stages that complete on the store thread.
 */
final class DeviceRoutes {

    static final int DEFAULT_LIMIT = 100;
    private static final int MAX_PROPERTY_FILTERS = 8;

    private final DeviceStore devices;
    private final MessageCodec codec;
    private final TenantAccess tenants;

    DeviceRoutes(
            final @NotNull DeviceStore devices,
            final @NotNull MessageCodec codec,
            final @NotNull TenantAccess tenants) {
        this.devices = devices;
        this.codec = codec;
        this.tenants = tenants;
    }

    /**
     * {@code GET …/devices?kind=K&node=N&state=present|missing&property=KEY=GLOB&limit=L&after=ID}, ordered by id;
     * {@code property} may repeat (all must match).
     */
    @NotNull
    CompletionStage<Reply> list(final @NotNull RoutingContext context) {
        final String tenant = tenants.require(context);
        final String kind = single(context, "kind");
        if (kind != null) {
            Names.checkKind(kind, "kind");
        }
        final String node = single(context, "node");
        if (node != null) {
            Names.checkName(node, "node");
        }
        final String state = single(context, "state");
        final Boolean present;
        if (state == null) {
            present = null;
        } else if (state.equals("present") || state.equals("missing")) {
            present = state.equals("present");
        } else {
            throw ApiException.badRequest(
                    "state must be 'present' or 'missing', but was '" + Names.printable(state) + "'");
        }
        final String after = single(context, "after");
        if (after != null) {
            Names.checkDeviceId(after, "after");
        }
        final int limit = Requests.intQuery(context, "limit", DEFAULT_LIMIT, 1, DeviceQuery.MAX_LIMIT);
        final DeviceQuery query = new DeviceQuery(kind, node, present, propertyFilter(context), after, limit);
        return devices.listDevices(tenant, query)
                .thenApply(page -> Reply.ok(new ApiViews.DeviceList(
                        page.items().stream().map(this::view).toList(), page.next())));
    }

    /** {@code GET …/devices/{id}}, the id percent-encoded (ids contain ':' and '/'). */
    @NotNull
    CompletionStage<Reply> detail(final @NotNull RoutingContext context) {
        final String tenant = tenants.require(context);
        final String id = Names.checkDeviceId(context.pathParam("id"), "device id");
        return devices.findDevice(tenant, id).thenCombine(devices.findFirmware(tenant, id), (found, firmware) -> {
            final DeviceRecord device = found.orElseThrow(() -> ApiException.notFound(
                    "DEVICE_NOT_FOUND",
                    "device '" + Names.printable(id) + "' does not exist in tenant '" + tenant
                            + "'; list devices with `baton devices` (ids are percent-encoded in URLs)"));
            return Reply.ok(view(device, firmware.orElse(null)));
        });
    }

    private ApiViews.DeviceView view(final DeviceRecord device) {
        return view(device, null);
    }

    private ApiViews.DeviceView view(final DeviceRecord device, final @Nullable DeviceFirmware firmware) {
        Instant lastSeen = device.lastSeen();
        for (final DeviceRecord.Sighting sighting : device.sightings()) {
            if (sighting.nodeOnline()
                    && sighting.nodeLastSeen() != null
                    && sighting.nodeLastSeen().isAfter(lastSeen)) {
                lastSeen = sighting.nodeLastSeen();
            }
        }
        return new ApiViews.DeviceView(
                device.id(),
                device.kind(),
                device.source(),
                device.name(),
                device.present() ? "present" : "missing",
                device.firstSeen(),
                lastSeen,
                device.sightings().stream()
                        .map(s -> new ApiViews.DeviceNodeView(s.node(), s.nodeOnline(), s.firstSeen(), s.lastSeen()))
                        .toList(),
                codec.readTree(device.properties().getBytes(StandardCharsets.UTF_8)),
                firmware == null
                        ? null
                        : new ApiViews.FirmwareView(
                                firmware.sha256(),
                                firmware.verified(),
                                firmware.chipId(),
                                firmware.flashedAt(),
                                firmware.node(),
                                firmware.component()));
    }

    private static @Nullable DeviceFilter propertyFilter(final RoutingContext context) {
        final List<String> values = context.queryParam("property");
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > MAX_PROPERTY_FILTERS) {
            throw ApiException.badRequest(
                    "at most " + MAX_PROPERTY_FILTERS + " property filters, but got " + values.size());
        }
        final Map<String, String> match = new LinkedHashMap<>();
        for (final String value : values) {
            final int equals = value.indexOf('=');
            if (equals < 1 || equals == value.length() - 1 || value.length() > 512) {
                throw ApiException.badRequest("property must be KEY=GLOB such as property=manufacturer=Acme* or"
                        + " property=ip=10.0.*, but was '" + Names.printable(value) + "'");
            }
            match.put(value.substring(0, equals), value.substring(equals + 1));
        }
        return new DeviceFilter(match);
    }

    private static @Nullable String single(final RoutingContext context, final String name) {
        final List<String> values = context.queryParam(name);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(name + " may be given once, but was given " + values.size() + " times");
        }
        return values.get(0);
    }
}
