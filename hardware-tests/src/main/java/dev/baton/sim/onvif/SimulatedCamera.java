package dev.baton.sim.onvif;

import java.net.InetSocketAddress;
import java.net.URI;
import org.jetbrains.annotations.NotNull;

/**
 * A running simulated camera.
 *
 * @param spec what it is
 * @param deviceService its ONVIF device service address, the XAddr it announces
 * @param mediaService its media service address, which GetCapabilities and GetServices give
 * @param discoveryAddress the UDP address it answers unicast WS-Discovery Probes on, for the handler's
 *     {@code unicast} setting
 */
public record SimulatedCamera(
        @NotNull CameraSpec spec,
        @NotNull URI deviceService,
        @NotNull URI mediaService,
        @NotNull InetSocketAddress discoveryAddress) {

    /** {@code host:port} of {@link #discoveryAddress()}, as the handler's {@code unicast} setting takes it. */
    public @NotNull String unicastTarget() {
        return discoveryAddress.getAddress().getHostAddress() + ":" + discoveryAddress.getPort();
    }

    /** What GetSnapshotUri answers. */
    public @NotNull String snapshotUri() {
        return spec.snapshotUri()
                .orElse("http://" + deviceService.getHost() + ":" + deviceService.getPort() + "/snapshot.jpg");
    }
}
