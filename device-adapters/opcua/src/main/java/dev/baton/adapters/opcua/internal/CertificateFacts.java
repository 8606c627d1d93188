package dev.baton.adapters.opcua.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What the handler records of a server's application instance certificate (OPC UA Part 4 §7.14: an
 * EndpointDescription's serverCertificate, DER, possibly followed by its issuers). Thumbprints are of the DER of the
 * first (the server's own) certificate, lower-case hex, as {@code openssl x509 -fingerprint} prints them without
 * the colons.
 *
 * @param subject the subject's distinguished name (RFC 2253), or null when the bytes are not a certificate
 * @param notBefore null when the bytes are not a certificate
 * @param notAfter null when the bytes are not a certificate
 */
record CertificateFacts(
        @NotNull String sha1,
        @NotNull String sha256,
        @Nullable String subject,
        @Nullable Instant notBefore,
        @Nullable Instant notAfter) {

    /** The facts of the certificate in {@code serverCertificate}, or empty when the endpoint carries none. */
    static @NotNull Optional<CertificateFacts> of(final @Nullable ByteString serverCertificate) {
        if (serverCertificate == null || serverCertificate.isNullOrEmpty()) {
            return Optional.empty();
        }
        final byte[] bytes = serverCertificate.bytesOrEmpty();
        try {
            final List<X509Certificate> chain = CertificateUtil.decodeCertificates(bytes);
            if (!chain.isEmpty()) {
                return Optional.of(of(chain.get(0)));
            }
        } catch (final UaException e) {
            // Recorded by the thumbprints of the raw bytes below, so that the operator still sees something to pin.
        }
        return Optional.of(new CertificateFacts(hex("SHA-1", bytes), hex("SHA-256", bytes), null, null, null));
    }

    static @NotNull CertificateFacts of(final @NotNull X509Certificate certificate) {
        final byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (final CertificateEncodingException e) {
            throw new IllegalStateException("a decoded certificate could not be encoded again", e);
        }
        return new CertificateFacts(
                hex("SHA-1", der),
                hex("SHA-256", der),
                certificate.getSubjectX500Principal().getName(),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
    }

    /** True when {@code thumbprint} is this certificate's SHA-1 or SHA-256 thumbprint. */
    boolean hasThumbprint(final @NotNull String thumbprint) {
        return sha1.equals(thumbprint) || sha256.equals(thumbprint);
    }

    static @NotNull String hex(final @NotNull String algorithm, final byte @NotNull [] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }
}
