package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.hub.testing.HubApi;
import dev.baton.hub.testing.SharedHub;
import dev.baton.protocol.EnrollmentResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hub's artifact store through its REST API: streamed uploads by SHA-256, ranged downloads, guarded deletes. */
@ExtendWith(SharedHub.class)
class ArtifactStoreTest {

    private static final String ARTIFACTS = HubApi.TENANT_PATH + "/artifacts";

    @Test
    void anUploadIsStoredUnderItsSha256AndDownloadsWholeOrByRangeToResume(final HubApi api) {
        final byte[] content = bytes(3 * 1024 * 1024 + 17, 1);
        final String sha256 = sha256(content);

        final HubApi.Response created = api.post(ARTIFACTS + "?name=app-1.2.tar.gz", content);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("sha256").asText()).isEqualTo(sha256);
        assertThat(created.body().get("size").asLong()).isEqualTo(content.length);
        assertThat(api.post(ARTIFACTS + "?name=again.tar.gz", content).status())
                .as("same content")
                .isEqualTo(200);

        final HubApi.Response whole = api.get(ARTIFACTS + "/" + sha256);
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.raw()).isEqualTo(content);

        // An interrupted transfer resumes from the bytes it has.
        final int have = 1_000_000;
        final HubApi.Response rest = api.get(ARTIFACTS + "/" + sha256, Map.of("Range", "bytes=" + have + "-"));
        assertThat(rest.status()).isEqualTo(206);
        assertThat(rest.headers().firstValue("Content-Range"))
                .hasValue("bytes " + have + "-" + (content.length - 1) + "/" + content.length);
        assertThat(rest.raw()).isEqualTo(Arrays.copyOfRange(content, have, content.length));
        assertThat(api.get(ARTIFACTS + "/" + sha256, Map.of("Range", "bytes=-10"))
                        .raw())
                .isEqualTo(Arrays.copyOfRange(content, content.length - 10, content.length));
        assertThat(api.get(ARTIFACTS + "/" + sha256, Map.of("Range", "bytes=" + content.length + "-"))
                        .status())
                .isEqualTo(416);

        assertThat(api.get(ARTIFACTS).body().get("items"))
                .anySatisfy(item -> assertThat(item.get("sha256").asText()).isEqualTo(sha256));
    }

    @Test
    void anUploadWhoseContentDoesNotMatchTheGivenSha256IsRefusedAndNotKept(final HubApi api) {
        final byte[] content = bytes(4096, 2);
        final String wrong = sha256(bytes(4096, 3));

        final HubApi.Response refused = api.post(ARTIFACTS + "?sha256=" + wrong, content);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).contains("has SHA-256 " + sha256(content)).contains("nothing was stored");
        assertThat(api.get(ARTIFACTS + "/" + sha256(content)).status()).isEqualTo(404);
    }

    @Test
    void anArtifactNamedByADesiredDocumentCannotBeDeletedUntilTheDocumentChanges(final HubApi api) {
        final byte[] content = bytes(1024, 4);
        final String sha256 = sha256(content);
        api.post(ARTIFACTS + "?name=fw.bin", content);
        api.putDesired(
                "artifact-user",
                "{\"components\": [{\"name\": \"fw\", \"kind\": \"file\", \"properties\": {\"path\": \"/tmp/x\","
                        + " \"content\": \"" + sha256 + "\"}}]}");

        final HubApi.Response inUse = api.delete(ARTIFACTS + "/" + sha256);
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.reason()).isEqualTo("ARTIFACT_IN_USE");
        assertThat(inUse.error()).contains("artifact-user");

        api.putDesired("artifact-user", "{\"components\": []}");
        assertThat(api.delete(ARTIFACTS + "/" + sha256).status()).isEqualTo(204);
        assertThat(api.get(ARTIFACTS + "/" + sha256).status()).isEqualTo(404);
    }

    @Test
    void aNodeDownloadsWithItsMqttCredentialsButCannotUseThemForAnythingElse(final HubApi api) {
        final byte[] content = bytes(2048, 5);
        final String sha256 = sha256(content);
        api.post(ARTIFACTS, content);
        final EnrollmentResponse node = api.enroll("artifact-node");
        final String basic = "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (node.mqtt().username() + ":" + node.mqtt().password())
                                        .getBytes(StandardCharsets.UTF_8));
        final HubApi anonymous = api.anonymous();

        assertThat(anonymous
                        .get(ARTIFACTS + "/" + sha256, Map.of("Authorization", basic))
                        .raw())
                .isEqualTo(content);
        assertThat(anonymous
                        .get(HubApi.TENANT_PATH + "/nodes", Map.of("Authorization", basic))
                        .status())
                .isEqualTo(401);
        final String wrong = "Basic "
                + Base64.getEncoder()
                        .encodeToString((node.mqtt().username() + ":not-it").getBytes(StandardCharsets.UTF_8));
        assertThat(anonymous
                        .get(ARTIFACTS + "/" + sha256, Map.of("Authorization", wrong))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void badNamesAndHashesAreRefusedWithTheRule(final HubApi api) {
        assertThat(api.post(ARTIFACTS + "?name=../etc/passwd", new byte[1]).error())
                .contains("without '/'");
        assertThat(api.get(ARTIFACTS + "/NOTAHASH").error()).contains("64 lower-case hex digits");
    }

    private static byte[] bytes(final int size, final long seed) {
        final byte[] out = new byte[size];
        new Random(seed).nextBytes(out);
        return out;
    }

    private static String sha256(final byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (final java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
