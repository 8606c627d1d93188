package dev.baton.hub.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the REST API's views show when printed rather than serialised. */
class ApiViewsTest {

    @Test
    void aCreatedEnrollmentTokenNeverPrintsTheToken() {
        final ApiViews.CreatedToken created = new ApiViews.CreatedToken(
                "bt_enroll_s3cr3t", "et-1", Instant.parse("2026-11-22T10:00:00Z"), 1, Map.of("site", "berlin"));

        assertThat(created.toString())
                .doesNotContain("s3cr3t")
                .contains("<redacted>", "et-1", "2026-11-22T10:00:00Z", "site=berlin");
    }
}
