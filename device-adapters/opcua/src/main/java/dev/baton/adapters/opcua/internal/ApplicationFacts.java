package dev.baton.adapters.opcua.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ApplicationType;
import org.eclipse.milo.opcua.stack.core.types.structured.ApplicationDescription;
import org.jetbrains.annotations.NotNull;

/**
 * A server as FindServers or GetEndpoints describe it (OPC UA Part 4 §7.2 ApplicationDescription), with nulls made
 * empty.
 *
 * @param discoveryUrls as advertised, in the server's order
 */
record ApplicationFacts(
        @NotNull String applicationUri,
        @NotNull String applicationName,
        @NotNull String productUri,
        @NotNull String applicationType,
        @NotNull List<String> discoveryUrls) {

    ApplicationFacts {
        discoveryUrls = List.copyOf(discoveryUrls);
    }

    static @NotNull ApplicationFacts of(final @NotNull ApplicationDescription description) {
        final String name = description.getApplicationName() == null
                ? ""
                : Objects.requireNonNullElse(description.getApplicationName().getText(), "");
        final ApplicationType type = description.getApplicationType();
        final String[] urls = description.getDiscoveryUrls();
        return new ApplicationFacts(
                Objects.requireNonNullElse(description.getApplicationUri(), ""),
                name,
                Objects.requireNonNullElse(description.getProductUri(), ""),
                type == null ? "Server" : type.name(),
                urls == null
                        ? List.of()
                        : Arrays.stream(urls).filter(Objects::nonNull).toList());
    }

    /** True for applications that are (also) servers: Client applications have nothing to report. */
    boolean isServer() {
        return !ApplicationType.Client.name().equals(applicationType);
    }
}
