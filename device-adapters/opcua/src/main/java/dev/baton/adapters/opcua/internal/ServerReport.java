package dev.baton.adapters.opcua.internal;

import java.util.List;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * Everything one scan learned of one server, before it becomes a {@link dev.baton.protocol.Device}.
 *
 * @param application as FindServers described it
 * @param status {@code ok}, {@code endpoints-only} or {@code unreachable}
 * @param endpoints as GetEndpoints returned them; empty when unreachable
 * @param facts present when a session read them
 * @param browse present when a browse ran
 * @param sessionSecurityPolicy the policy URI of the session, when one was opened
 * @param problems one sentence per problem, naming the server
 */
record ServerReport(
        @NotNull ApplicationFacts application,
        @NotNull String status,
        @NotNull List<EndpointFacts> endpoints,
        @NotNull Optional<ServerFacts> facts,
        @NotNull Optional<BrowseSummary> browse,
        @NotNull Optional<HostSubstitution> substitution,
        @NotNull Optional<String> sessionSecurityPolicy,
        @NotNull List<String> problems) {

    ServerReport {
        endpoints = List.copyOf(endpoints);
        problems = List.copyOf(problems);
    }

    /** How complete the report is, for choosing between two reports of one server: higher is better. */
    int completeness() {
        return switch (status) {
            case "ok" -> 2;
            case "endpoints-only" -> 1;
            default -> 0;
        };
    }
}
