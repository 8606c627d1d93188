package dev.baton.adapters.opcua.internal;

import org.jetbrains.annotations.NotNull;

/**
 * A user name and password for a UserName identity token (OPC UA Part 4 §7.36.4). {@link #toString()} leaves the
 * password out so that a log line cannot carry it.
 */
public record UserCredentials(@NotNull String username, @NotNull String password) {

    @Override
    public String toString() {
        return "UserCredentials[username=" + username + ", password=<hidden>]";
    }
}
