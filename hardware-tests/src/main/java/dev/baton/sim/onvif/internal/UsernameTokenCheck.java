package dev.baton.sim.onvif.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.w3c.dom.Element;

/**
 * Checks a WS-Security UsernameToken as an ONVIF camera does (OASIS UsernameToken Profile 1.0 section 3.1):
 * PasswordDigest {@code Base64(SHA-1(nonce + created + password))} or PasswordText, {@code Created} within
 * {@link #MAX_CLOCK_SKEW} of the camera's clock, and each nonce accepted once while its token is fresh (replay
 * protection). Thread-safe.
 */
public final class UsernameTokenCheck {

    public enum Outcome {
        ACCEPTED,
        MISSING,
        WRONG_USER,
        WRONG_PASSWORD,
        STALE,
        REPLAYED
    }

    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    private static final String PASSWORD_TEXT =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";

    private final String username;
    private final String password;
    private final Map<String, Instant> recentNonces = new LinkedHashMap<>();

    public UsernameTokenCheck(final @NotNull String username, final @NotNull String password) {
        this.username = username;
        this.password = password;
    }

    /** Checks the {@code wsse:Security} block of {@code header}, if any. */
    public @NotNull Outcome check(final @NotNull Optional<Element> header) {
        final Optional<Element> token = header.flatMap(h -> SimXml.child(h, SimXml.WSSE, "Security"))
                .flatMap(s -> SimXml.child(s, SimXml.WSSE, "UsernameToken"));
        if (token.isEmpty()) {
            return Outcome.MISSING;
        }
        final Optional<String> user = SimXml.text(SimXml.child(token.get(), SimXml.WSSE, "Username"));
        final Optional<Element> passwordElement = SimXml.child(token.get(), SimXml.WSSE, "Password");
        if (user.isEmpty() || passwordElement.isEmpty()) {
            return Outcome.MISSING;
        }
        if (!user.get().equals(username)) {
            return Outcome.WRONG_USER;
        }
        final String given = passwordElement.get().getTextContent().strip();
        if (PASSWORD_TEXT.equals(passwordElement.get().getAttribute("Type"))) {
            return MessageDigest.isEqual(
                            given.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8))
                    ? Outcome.ACCEPTED
                    : Outcome.WRONG_PASSWORD;
        }
        final Optional<String> nonce = SimXml.text(SimXml.child(token.get(), SimXml.WSSE, "Nonce"));
        final Optional<String> created = SimXml.text(SimXml.child(token.get(), SimXml.WSU, "Created"));
        if (nonce.isEmpty() || created.isEmpty()) {
            return Outcome.MISSING;
        }
        final byte[] nonceBytes;
        final Instant createdAt;
        try {
            nonceBytes = Base64.getDecoder().decode(nonce.get());
            createdAt = Instant.parse(created.get());
        } catch (final IllegalArgumentException | DateTimeParseException e) {
            return Outcome.MISSING;
        }
        final byte[] expected = digest(nonceBytes, created.get(), password);
        final byte[] actual;
        try {
            actual = Base64.getDecoder().decode(given);
        } catch (final IllegalArgumentException e) {
            return Outcome.WRONG_PASSWORD;
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            return Outcome.WRONG_PASSWORD;
        }
        final Instant now = Instant.now();
        if (Duration.between(createdAt, now).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            return Outcome.STALE;
        }
        return firstUse(nonce.get(), now) ? Outcome.ACCEPTED : Outcome.REPLAYED;
    }

    private synchronized boolean firstUse(final String nonce, final Instant now) {
        final Iterator<Map.Entry<String, Instant>> oldest =
                recentNonces.entrySet().iterator();
        while (oldest.hasNext() && oldest.next().getValue().isBefore(now.minus(MAX_CLOCK_SKEW.multipliedBy(2)))) {
            oldest.remove();
        }
        return recentNonces.putIfAbsent(nonce, now) == null;
    }

    static byte[] digest(final byte[] nonce, final String created, final String password) {
        try {
            final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(nonce);
            sha1.update(created.getBytes(StandardCharsets.UTF_8));
            sha1.update(password.getBytes(StandardCharsets.UTF_8));
            return sha1.digest();
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }
}
