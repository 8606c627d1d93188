package dev.baton.agent.internal.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class EnrollmentClientTest {

    @Test
    void plainHttpToAHostOtherThanThisOneCountsAsUnencrypted() {
        // Literal addresses only: they are parsed, never looked up or contacted.
        assertThat(EnrollmentClient.travelsInPlainText(URI.create("http://192.0.2.10:8080")))
                .isTrue();
        assertThat(EnrollmentClient.travelsInPlainText(URI.create("https://192.0.2.10:8443")))
                .isFalse();
        assertThat(EnrollmentClient.travelsInPlainText(URI.create("http://127.0.0.1:8080")))
                .isFalse();
        assertThat(EnrollmentClient.travelsInPlainText(URI.create("http://[::1]:8080")))
                .isFalse();
    }
}
