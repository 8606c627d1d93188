package dev.baton.hub.internal.mqtt;

import dev.baton.hub.internal.HostNames;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** Where and as whom the hub's MQTT client connects. */
public record MqttEndpoint(
        @NotNull String host,
        int port,
        @NotNull String clientId,
        @Nullable String username,
        @Nullable String password) {

    public MqttEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clientId, "clientId");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, but was " + port);
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("password is set but username is not");
        }
    }

    /** {@code tcp://host:port}, for messages. */
    public @NotNull String uri() {
        return "tcp://" + HostNames.bracket(host) + ':' + port;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "MqttEndpoint[" + uri() + ", clientId=" + clientId + ", username=" + username + ", password="
                + (password == null ? "null" : "<redacted>") + ']';
    }
}
