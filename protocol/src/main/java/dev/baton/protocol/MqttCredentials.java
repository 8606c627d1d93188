package dev.baton.protocol;

import org.jetbrains.annotations.NotNull;

/**
 * Where and as whom a node connects to MQTT. Issued once, at enrollment; the hub keeps only a hash of the password.
 *
 * @param serverUri {@code tcp://host:port} (or {@code ssl://…})
 * @param clientId must be used as the MQTT client identifier; the broker refuses any other
 */
public record MqttCredentials(
        @NotNull String serverUri, @NotNull String clientId, @NotNull String username, @NotNull String password) {

    /** Never shows the password. */
    @Override
    public String toString() {
        return "MqttCredentials[serverUri=" + serverUri + ", clientId=" + clientId + ", username=" + username
                + ", password=<redacted>]";
    }
}
