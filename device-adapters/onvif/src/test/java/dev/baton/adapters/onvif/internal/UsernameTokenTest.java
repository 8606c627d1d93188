package dev.baton.adapters.onvif.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class UsernameTokenTest {

    /** The worked example of the ONVIF Application Programmer's Guide (user token, PasswordDigest). */
    @Test
    void digestMatchesTheOnvifProgrammersGuideExample() {
        final byte[] nonce = Base64.getDecoder().decode("LKqI6G/AikKCQrN0zqZFlg==");

        assertThat(UsernameToken.digest(nonce, "2010-09-16T07:50:45Z", "userpassword"))
                .isEqualTo("tuOSpGlFlIXsozq4HFNeeGeFLEI=");
    }

    @Test
    void headerCarriesUserDigestNonceAndCreatedButNeverThePassword() {
        final String header = UsernameToken.securityHeader(
                new Credentials("ad<min", "pass&word"), Instant.parse("2024-03-01T12:00:00.250Z"));
        final byte[] xml = ("<s:Envelope xmlns:s=\"" + Namespaces.SOAP12 + "\"><s:Header>" + header
                        + "</s:Header></s:Envelope>")
                .getBytes(StandardCharsets.UTF_8);

        final Element envelope = SecureXml.parse(xml, 0, xml.length).getDocumentElement();
        final Element token = SecureXml.path(envelope, Namespaces.SOAP12, "Header")
                .flatMap(h -> SecureXml.path(h, Namespaces.WSSE, "Security", "UsernameToken"))
                .orElseThrow();
        final String created = SecureXml.text(SecureXml.child(token, Namespaces.WSU, "Created"))
                .orElseThrow();
        final byte[] nonce = Base64.getDecoder()
                .decode(SecureXml.text(SecureXml.child(token, Namespaces.WSSE, "Nonce"))
                        .orElseThrow());

        assertThat(SecureXml.text(SecureXml.child(token, Namespaces.WSSE, "Username")))
                .contains("ad<min");
        assertThat(created).isEqualTo("2024-03-01T12:00:00.250Z");
        assertThat(nonce).hasSize(16);
        assertThat(SecureXml.text(SecureXml.child(token, Namespaces.WSSE, "Password")))
                .contains(UsernameToken.digest(nonce, created, "pass&word"));
        assertThat(header).doesNotContain("pass&amp;word").doesNotContain("pass&word");
        assertThat(new Credentials("u", "pass&word").toString()).doesNotContain("pass&word");
    }

    @Test
    void everyHeaderHasAFreshNonce() {
        final Credentials credentials = new Credentials("admin", "pw");
        final Instant now = Instant.now();

        assertThat(UsernameToken.securityHeader(credentials, now))
                .isNotEqualTo(UsernameToken.securityHeader(credentials, now));
    }
}
