package dev.baton.adapters.onvif.internal;

import org.jetbrains.annotations.NotNull;

/**
 * A user name and password from {@code secrets/onvif.json}. The password leaves this object only as a
 * WS-Security PasswordDigest; {@link #toString()} leaves it out so that a log line cannot carry it.
 */
record Credentials(@NotNull String username, @NotNull String password) {

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=<hidden>]";
    }
}
