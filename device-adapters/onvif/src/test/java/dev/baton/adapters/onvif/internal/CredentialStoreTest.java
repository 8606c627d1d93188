package dev.baton.adapters.onvif.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {

    @TempDir
    Path secrets;

    @Test
    void aMissingFileMeansNoCredentialsAndNoProblem() {
        final CredentialStore store = CredentialStore.read(secrets);

        assertThat(store.lookup("urn:uuid:1")).isEmpty();
        assertThat(store.problems()).isEmpty();
    }

    @Test
    void aCameraOwnEntryByAddressOrBareUuidInAnyCaseComesBeforeTheDefault() throws Exception {
        Files.writeString(
                secrets.resolve("onvif.json"),
                """
                {"default": {"username": "admin", "password": "d"},
                 "urn:uuid:AAAA-1": {"username": "a", "password": "1"},
                 "bbbb-2": {"username": "b", "password": "2"}}
                """);

        final CredentialStore store = CredentialStore.read(secrets);

        assertThat(store.lookup("urn:uuid:aaaa-1")).contains(new Credentials("a", "1"));
        assertThat(store.lookup("urn:uuid:BBBB-2")).contains(new Credentials("b", "2"));
        assertThat(store.lookup("urn:uuid:cccc-3")).contains(new Credentials("admin", "d"));
        assertThat(store.problems()).isEmpty();
    }

    @Test
    void brokenJsonIsAProblemThatGivesThePlaceButNotTheText() throws Exception {
        Files.writeString(
                secrets.resolve("onvif.json"),
                "{\"default\": {\"username\": \"admin\", \"password\": " + "\"hunter2-secret\" \"oops\": 1}}");

        final CredentialStore store = CredentialStore.read(secrets);

        assertThat(store.lookup("urn:uuid:1")).isEmpty();
        assertThat(store.problems())
                .singleElement()
                .asString()
                .startsWith("secrets/onvif.json is not valid JSON (line 1, column ")
                .endsWith(": cameras are queried without credentials until it is fixed")
                .doesNotContain("hunter2");
    }

    @Test
    void anEntryWithoutAUsernameIsIgnoredWithAProblemNamingItButNotItsPassword() throws Exception {
        Files.writeString(
                secrets.resolve("onvif.json"),
                """
                {"default": {"username": "admin", "password": "d"},
                 "urn:uuid:x": {"password": "hunter2-secret"},
                 "urn:uuid:y": "admin:pw"}
                """);

        final CredentialStore store = CredentialStore.read(secrets);

        assertThat(store.lookup("urn:uuid:x")).contains(new Credentials("admin", "d"));
        assertThat(store.problems())
                .containsExactly(
                        "secrets/onvif.json entry 'urn:uuid:x' must be an object with a non-empty string 'username'"
                                + " and a string 'password'; the entry is ignored",
                        "secrets/onvif.json entry 'urn:uuid:y' must be an object with a non-empty string 'username'"
                                + " and a string 'password'; the entry is ignored");
    }

    @Test
    void aFileThatIsNotAnObjectOrTooLargeIsRefused() throws Exception {
        Files.writeString(secrets.resolve("onvif.json"), "[1, 2]");
        assertThat(CredentialStore.read(secrets).problems())
                .singleElement()
                .asString()
                .contains("must hold a JSON object");

        Files.writeString(secrets.resolve("onvif.json"), " ".repeat(CredentialStore.MAX_FILE_BYTES + 1));
        assertThat(CredentialStore.read(secrets).problems())
                .singleElement()
                .asString()
                .contains("is larger than 262144 bytes");
    }
}
