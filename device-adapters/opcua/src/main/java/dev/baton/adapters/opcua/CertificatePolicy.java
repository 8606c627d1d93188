package dev.baton.adapters.opcua;

import java.util.Locale;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * Which OPC UA server certificates the handler trusts for a session (OPC UA Part 4 §6.1.3: an application
 * instance certificate identifies a server only once the client has decided to trust it). Neither policy ever
 * trusts a certificate just because a server presented it.
 */
public enum CertificatePolicy {

    /**
     * Trust no certificate: sessions use only endpoints with security mode None; every server certificate is
     * recorded (thumbprints, subject, validity) and reported, so that an operator can decide to trust it.
     */
    RECORD("record"),

    /**
     * Open secure sessions (Sign or SignAndEncrypt) only to servers whose certificate has one of the configured
     * SHA-1 or SHA-256 thumbprints; other servers are treated as under {@link #RECORD}.
     */
    TRUSTED_THUMBPRINTS("trusted-thumbprints");

    private final String key;

    CertificatePolicy(final String key) {
        this.key = key;
    }

    /** The value in the desired document, e.g. {@code trusted-thumbprints}. */
    public @NotNull String key() {
        return key;
    }

    /**
     * {@code text} as a thumbprint the policies compare: lower-case hex without ':' between bytes, 40 digits (SHA-1)
     * or 64 (SHA-256); empty when it is neither.
     */
    public static @NotNull Optional<String> normaliseThumbprint(final @NotNull String text) {
        final String hex = text.replace(":", "").toLowerCase(Locale.ROOT);
        final boolean valid = (hex.length() == 40 || hex.length() == 64)
                && hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        return valid ? Optional.of(hex) : Optional.empty();
    }

    /** The policy named {@code key} in the desired document, or empty for an unknown name. */
    public static @NotNull Optional<CertificatePolicy> ofKey(final @NotNull String key) {
        for (final CertificatePolicy policy : values()) {
            if (policy.key.equals(key)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }
}
