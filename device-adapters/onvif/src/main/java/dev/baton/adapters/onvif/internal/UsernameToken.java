package dev.baton.adapters.onvif.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.jetbrains.annotations.NotNull;

/**
 * A WS-Security UsernameToken with a PasswordDigest (OASIS Web Services Security UsernameToken Profile 1.0,
 * section 3.1: {@code Password_Digest = Base64(SHA-1(nonce + created + password))}), which ONVIF devices must
 * accept (ONVIF Core Specification, "Security", user token profile). A fresh 16-byte nonce per message, and
 * {@code Created} taken from the camera's clock so that a camera that refuses stale tokens accepts it.
 */
final class UsernameToken {

    private static final String PASSWORD_DIGEST =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
    private static final String BASE64_BINARY =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";
    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private UsernameToken() {}

    /** The {@code wsse:Security} header block for {@code credentials}, created at {@code cameraNow}. */
    static @NotNull String securityHeader(final @NotNull Credentials credentials, final @NotNull Instant cameraNow) {
        final byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        final String created = CREATED.format(cameraNow.truncatedTo(ChronoUnit.MILLIS));
        return "<wsse:Security s:mustUnderstand=\"1\" xmlns:wsse=\"" + Namespaces.WSSE + "\" xmlns:wsu=\""
                + Namespaces.WSU + "\"><wsse:UsernameToken>"
                + "<wsse:Username>" + Soap.escape(credentials.username()) + "</wsse:Username>"
                + "<wsse:Password Type=\"" + PASSWORD_DIGEST + "\">"
                + digest(nonce, created, credentials.password()) + "</wsse:Password>"
                + "<wsse:Nonce EncodingType=\"" + BASE64_BINARY + "\">"
                + Base64.getEncoder().encodeToString(nonce) + "</wsse:Nonce>"
                + "<wsu:Created>" + created + "</wsu:Created>"
                + "</wsse:UsernameToken></wsse:Security>";
    }

    /** {@code Base64(SHA-1(nonce + created + password))}, with {@code created} and {@code password} as UTF-8. */
    static @NotNull String digest(
            final byte @NotNull [] nonce, final @NotNull String created, final @NotNull String password) {
        try {
            final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(nonce);
            sha1.update(created.getBytes(StandardCharsets.UTF_8));
            sha1.update(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sha1.digest());
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }
}
