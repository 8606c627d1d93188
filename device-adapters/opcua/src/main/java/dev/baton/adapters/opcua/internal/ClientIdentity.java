package dev.baton.adapters.opcua.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Period;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.jetbrains.annotations.NotNull;

/**
 * The agent's OPC UA application instance certificate (OPC UA Part 4 §6.1.2), needed only for secure sessions to
 * servers with a trusted thumbprint. It is created once, self-signed, and kept in the agent's secrets directory
 * ({@value #KEY_FILE}, {@value #CERTIFICATE_FILE}) so that an operator can trust it on a server once and the trust
 * survives restarts.
 *
 * @param keyPair the RSA key pair; the private key never leaves the secrets directory and this object
 * @param certificate the self-signed certificate whose SAN URI is {@link #APPLICATION_URI}
 */
record ClientIdentity(@NotNull KeyPair keyPair, @NotNull X509Certificate certificate) {

    static final String APPLICATION_URI = "urn:baton:agent:opcua-discovery";
    static final String APPLICATION_NAME = "Baton agent OPC UA discovery";
    static final String KEY_FILE = "opcua-client-key.der";
    static final String CERTIFICATE_FILE = "opcua-client-cert.der";

    /**
     * Loads the identity from {@code secrets}, creating and storing it there first when missing.
     *
     * @throws IOException when the files cannot be read or written, or do not hold a key and certificate
     */
    static @NotNull ClientIdentity loadOrCreate(final @NotNull Path secrets) throws IOException {
        final Path keyFile = secrets.resolve(KEY_FILE);
        final Path certificateFile = secrets.resolve(CERTIFICATE_FILE);
        if (Files.isRegularFile(keyFile) && Files.isRegularFile(certificateFile)) {
            return load(keyFile, certificateFile);
        }
        final ClientIdentity created = create();
        Files.createDirectories(secrets);
        try {
            writePrivately(keyFile, created.keyPair.getPrivate().getEncoded());
            writePrivately(certificateFile, created.certificate.getEncoded());
        } catch (final GeneralSecurityException e) {
            throw new IOException("could not encode the new OPC UA client certificate", e);
        }
        return created;
    }

    private static ClientIdentity load(final Path keyFile, final Path certificateFile) throws IOException {
        try {
            final X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificateFile)));
            final PrivateKey privateKey =
                    KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile)));
            return new ClientIdentity(new KeyPair(certificate.getPublicKey(), privateKey), certificate);
        } catch (final GeneralSecurityException | ClassCastException e) {
            throw new IOException(
                    keyFile + " and " + certificateFile + " do not hold an RSA key and X.509 certificate; delete both"
                            + " to have new ones created",
                    e);
        }
    }

    private static ClientIdentity create() throws IOException {
        try {
            final KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            final SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName(APPLICATION_NAME)
                    .setOrganization("Baton")
                    .setApplicationUri(APPLICATION_URI)
                    .setValidityPeriod(Period.ofYears(10));
            builder.addDnsName(InetAddress.getLocalHost().getHostName());
            return new ClientIdentity(keyPair, builder.build());
        } catch (final IOException e) {
            throw e;
        } catch (final Exception e) {
            // SelfSignedCertificateBuilder.build() declares Exception.
            throw new IOException("could not create the OPC UA client certificate: " + e.getMessage(), e);
        }
    }

    private static void writePrivately(final Path file, final byte[] bytes) throws IOException {
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(
                    temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (final UnsupportedOperationException e) {
            Files.createFile(temporary); // no POSIX permissions (Windows): the directory's ACL protects it
        } catch (final FileAlreadyExistsException e) {
            throw new IOException("another process is writing " + file, e);
        }
        Files.write(temporary, bytes);
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
