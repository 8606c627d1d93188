package dev.baton.protocol.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The golden JSON fixtures of protocol v1, shared with agent and hub tests through the protocol test-jar. Each one
 * is a message as it travels on the wire; {@code invalid/…} ones must be refused.
 */
public final class Fixtures {

    private Fixtures() {}

    /** The bytes of {@code fixtures/<name>}, e.g. {@code "desired.json"} or {@code "invalid/desired-cycle.json"}. */
    public static byte[] bytes(final String name) {
        final String resource = "/dev/baton/protocol/fixtures/" + name;
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return in.readAllBytes();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(final String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }
}
