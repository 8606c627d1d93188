package dev.baton.hub.internal.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.jetbrains.annotations.NotNull;

/**
 * Random secrets (API tokens, enrollment tokens, MQTT passwords) and their hashes. The hub stores only the SHA-256
 * of a secret; the secrets are 256 random bits, so a plain hash (no salt, no stretching) is enough to make a stolen
 * database useless for logging in.
 *
 * <p>Thread-safe.
 */
public final class SecretTokens {

    /** 32 random bytes, as the brief requires for every secret. */
    public static final int SECRET_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretTokens() {}

    /** 32 random bytes, base64url without padding (43 characters). */
    public static @NotNull String newSecret() {
        final byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A short random identifier for rows (not a secret), e.g. enrollment token ids. */
    public static @NotNull String newId(final @NotNull String prefix) {
        final byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    /** Lower-case hex SHA-256 of the secret's UTF-8 bytes. */
    public static @NotNull String sha256Hex(final @NotNull String secret) {
        return sha256Hex(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex SHA-256 of raw secret bytes (an MQTT password as it arrives in CONNECT). */
    public static @NotNull String sha256Hex(final byte @NotNull [] secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Compares two hashes in time independent of where they differ. */
    public static boolean hashesEqual(final @NotNull String a, final @NotNull String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
