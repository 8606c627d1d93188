package dev.baton.sim.opcua;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/**
 * A simulator's application instance certificate (OPC UA Part 4 §6.1.2): RSA 2048, self-signed, made at start, with
 * the application URI and the host names in its subject alternative name, written as DER into the simulator's
 * directory ({@code server-cert.der}, {@code server-key.der}) so that other tools can use it.
 */
record SimulatorCertificate(KeyPair keyPair, X509Certificate certificate) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    static SimulatorCertificate create(
            final String applicationUri, final String commonName, final Path directory, final String... hosts) {
        try {
            final KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            final SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName(commonName)
                    .setOrganization("Baton simulators")
                    .setApplicationUri(applicationUri)
                    .setValidityPeriod(Period.ofYears(1));
            for (final String host : hosts) {
                if (IPV4.matcher(host).matches()) {
                    builder.addIpAddress(host);
                } else {
                    builder.addDnsName(host);
                }
            }
            final X509Certificate certificate = builder.build();
            Files.createDirectories(directory);
            Files.write(directory.resolve("server-cert.der"), certificate.getEncoded());
            Files.write(
                    directory.resolve("server-key.der"), keyPair.getPrivate().getEncoded());
            return new SimulatorCertificate(keyPair, certificate);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final Exception e) {
            // SelfSignedCertificateBuilder.build() declares Exception.
            throw new IllegalStateException("could not create the simulator's certificate", e);
        }
    }

    /** SHA-256 of the certificate's DER, lower-case hex. */
    String sha256() {
        return digest("SHA-256");
    }

    /** SHA-1 of the certificate's DER, lower-case hex. */
    String sha1() {
        return digest("SHA-1");
    }

    private String digest(final String algorithm) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(certificate.getEncoded()));
        } catch (final NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
