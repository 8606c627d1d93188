package dev.baton.protocol;

import org.jetbrains.annotations.NotNull;

/** The hub's answer to an {@link EnrollmentRequest}: the node's identity and its MQTT credentials. */
public record EnrollmentResponse(@NotNull String tenant, @NotNull String node, @NotNull MqttCredentials mqtt) {}
