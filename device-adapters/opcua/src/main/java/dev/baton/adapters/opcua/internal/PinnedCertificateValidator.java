package dev.baton.adapters.opcua.internal;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.jetbrains.annotations.NotNull;

/**
 * Trusts a server certificate only when its SHA-1 or SHA-256 thumbprint was configured, and only while it is
 * within its validity period (OPC UA Part 4 §6.1.3). The host name and application URI checks of that clause are
 * left out on purpose: the thumbprint pins this exact certificate, and the handler may reach a server under
 * another host name than the certificate names (host substitution). With no thumbprints it trusts nothing, which
 * is what the {@code record} policy gives Milo, instead of Milo's insecure default validator.
 */
final class PinnedCertificateValidator implements CertificateValidator {

    private final Set<String> thumbprints;

    PinnedCertificateValidator(final @NotNull Set<String> thumbprints) {
        this.thumbprints = Set.copyOf(thumbprints);
    }

    @Override
    public void validateCertificateChain(
            final List<X509Certificate> chain, final String applicationUri, final String[] hostNames)
            throws UaException {
        if (chain == null || chain.isEmpty()) {
            throw new UaException(StatusCodes.Bad_SecurityChecksFailed, "the server sent no certificate");
        }
        final X509Certificate certificate = chain.get(0);
        final CertificateFacts facts = CertificateFacts.of(certificate);
        if (thumbprints.stream().noneMatch(facts::hasThumbprint)) {
            throw new UaException(
                    StatusCodes.Bad_CertificateUntrusted,
                    "certificate " + facts.sha256() + " is not among discovery.opcua.trustedThumbprints");
        }
        try {
            certificate.checkValidity();
        } catch (final CertificateExpiredException | CertificateNotYetValidException e) {
            throw new UaException(
                    StatusCodes.Bad_CertificateTimeInvalid,
                    "trusted certificate " + facts.sha256() + " is outside its validity period");
        }
    }
}
