package dev.baton.adapters.host.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.host.testing.Specs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileConfigTest {

    private final FileProvider provider = new FileProvider();

    @Test
    void validSpecDecodesToItsTypedConfiguration() {
        final FileConfig config = FileConfig.decode(
                Specs.component("motd", "file", "{\"path\": \"/etc/motd\", \"content\": \"hi\", \"mode\": \"600\"}"));

        assertThat(config).isEqualTo(new FileConfig(Path.of("/etc/motd"), "hi", new FileMode(0600)));
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            {"content": "x"}                             | file component 'motd' needs property 'path' (a string)
            {"path": "etc/motd"}                         | property 'path' must be an absolute path, but was "etc/motd"
            {"path": "/etc/../tmp/motd"}                 | property 'path' must be a normalised path without '.' or '..' ("/tmp/motd")
            {"path": "/"}                                | property 'path' must name a file, but was "/"
            {"path": "/etc/mo\\u0000td"}                 | property 'path' must not contain a NUL character
            {"path": 42}                                 | property 'path' must be a string, but was a number
            {"path": "/etc/motd", "content": 42}         | property 'content' must be a string, but was a number
            {"path": "/etc/motd", "mode": "0999"}        | property 'mode' must be 3 or 4 octal digits such as "0644", but was "0999"
            {"path": "/etc/motd", "mode": "64"}          | property 'mode' must be 3 or 4 octal digits such as "0644", but was "64"
            {"path": "/etc/motd", "mode": "rw-r--r--"}   | property 'mode' must be 3 or 4 octal digits such as "0644", but was "rw-r--r--"
            {"path": "/etc/motd", "mode": "4755"}        | property 'mode' must not set the setuid, setgid or sticky bit
            {"path": "/etc/motd", "mode": 644}           | property 'mode' must be a string, but was a number
            {"path": "/etc/motd", "owner": "root"}       | has unknown property 'owner'; file components take content, mode, path
            """)
    void invalidSpecIsRefusedNamingTheProperty(final String json, final String expectedMessage) {
        assertThatThrownBy(() -> provider.validate(Specs.component("motd", "file", json)))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.INVALID_SPEC))
                .hasMessageContaining(expectedMessage);
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            {"path": "/etc/motd", "own\\ner": "root"}    | has unknown property 'own\\u000aer'; file components take
            {"path": "etc\\nmotd"}                       | property 'path' must be an absolute path, but was "etc\\u000amotd"
            {"path": "/etc/../tmp\\nmotd"}               | ("/tmp\\u000amotd"), but was "/etc/../tmp\\u000amotd"
            {"path": "/etc/motd", "mode": "06\\n4"}      | property 'mode' must be 3 or 4 octal digits such as "0644", but was "06\\u000a4"
            """)
    void userInputInAnErrorHasItsControlCharactersEscapedSoThatItCannotForgeLogLines(
            final String json, final String expectedMessage) {
        assertThatThrownBy(() -> provider.validate(Specs.component("motd", "file", json)))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining(expectedMessage)
                .hasMessageNotContaining("\n");
    }

    @Test
    void contentLargerThan512KiBIsRefusedWithLimitAndSize() {
        final String content = "é".repeat(256 * 1024 + 1);

        assertThatThrownBy(() -> provider.validate(Specs.component(
                        "motd",
                        "file",
                        Specs.properties().put("path", "/etc/motd").put("content", content))))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("property 'content' must not exceed 524288 bytes (512 KiB) as UTF-8, but was"
                        + " 524290 bytes");
    }

    @Test
    void contentOfExactly512KiBIsAccepted() {
        final String content = "x".repeat(512 * 1024);

        provider.validate(Specs.component(
                "motd", "file", Specs.properties().put("path", "/etc/motd").put("content", content)));
    }

    @Test
    void contentWithAnUnpairedSurrogateIsRefusedRatherThanWrittenAsQuestionMark() {
        assertThatThrownBy(() -> provider.validate(Specs.component(
                        "motd",
                        "file",
                        Specs.properties().put("path", "/etc/motd").put("content", "a\ud800b"))))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("property 'content' is not valid Unicode text");
    }

    @Test
    void modeRoundTripsThroughPosixPermissions() {
        for (int bits = 0; bits <= 0777; bits++) {
            final FileMode mode = new FileMode(bits);
            assertThat(FileMode.of(mode.permissions())).isEqualTo(mode);
        }
        assertThat(FileMode.parse("0751").toString()).isEqualTo("0751");
        assertThat(FileMode.parse("751")).isEqualTo(FileMode.parse("0751"));
    }
}
