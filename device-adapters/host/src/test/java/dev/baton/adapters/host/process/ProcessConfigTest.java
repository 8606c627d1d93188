package dev.baton.adapters.host.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.host.testing.Specs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessConfigTest {

    @Test
    void validSpecDecodesToItsTypedConfiguration() {
        final ProcessConfig config = ProcessConfig.decode(
                Specs.component(
                        "app",
                        "process",
                        """
                {"command": ["/usr/bin/python3", "app.py"], "env": {"PORT": "8080"}, "workingDir": "/srv/app"}"""));

        assertThat(config)
                .isEqualTo(new ProcessConfig(
                        List.of("/usr/bin/python3", "app.py"), Map.of("PORT", "8080"), Path.of("/srv/app")));
    }

    @Test
    void envAndWorkingDirAreOptional() {
        final ProcessConfig config =
                ProcessConfig.decode(Specs.component("app", "process", "{\"command\": [\"sleep\", \"1\"]}"));

        assertThat(config.env()).isEmpty();
        assertThat(config.workingDir()).isNull();
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            {}                                                 | process component 'app' needs property 'command' (an array of strings, the executable first
            {"command": []}                                    | property 'command' must hold at least 1 string (the executable), but was empty
            {"command": "sleep 1"}                             | property 'command' must be an array of strings, but was a string
            {"command": ["sleep", 1]}                          | property 'command[1]' must be a string, but was a number
            {"command": [""]}                                  | property 'command[0]' (the executable) must not be empty
            {"command": ["sleep"], "env": {"PORT": 8080}}      | property 'env.PORT' must be a string, but was a number
            {"command": ["sleep"], "env": {"A=B": "x"}}        | property 'env' has variable name "A=B"
            {"command": ["sleep"], "env": ["PORT=8080"]}       | property 'env' must be an object of strings, but was an array
            {"command": ["sleep"], "workingDir": "srv/app"}    | property 'workingDir' must be an absolute path, but was "srv/app"
            {"command": ["sleep"], "workingDir": "/srv/./app"} | property 'workingDir' must be a normalised path
            {"command": ["sleep"], "cmd": ["sleep"]}           | has unknown property 'cmd'; process components take command, env, workingDir
            """)
    void invalidSpecIsRefusedNamingTheProperty(final String json, final String expectedMessage) {
        assertThatThrownBy(() -> ProcessConfig.decode(Specs.component("app", "process", json)))
                .isInstanceOfSatisfying(ComponentException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComponentException.Reason.INVALID_SPEC))
                .hasMessageContaining(expectedMessage);
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            {"command": ["sleep"], "env": {"A=\\nB": "x"}}       | property 'env' has variable name "A=\\u000aB"
            {"command": ["sleep"], "env": {"A\\nB": "x\\u0000"}} | property 'env.A\\u000aB' must not contain a NUL character
            {"command": ["sleep"], "env": {"A\\nB": 1}}          | property 'env.A\\u000aB' must be a string, but was a number
            {"command": ["sleep"], "workingDir": "srv\\napp"}    | property 'workingDir' must be an absolute path, but was "srv\\u000aapp"
            {"command": ["sleep"], "c\\u001bmd": ["sleep"]}      | has unknown property 'c\\u001bmd'; process components take
            """)
    void userInputInAnErrorHasItsControlCharactersEscapedSoThatItCannotForgeLogLines(
            final String json, final String expectedMessage) {
        assertThatThrownBy(() -> ProcessConfig.decode(Specs.component("app", "process", json)))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining(expectedMessage)
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("\u001b");
    }
}
