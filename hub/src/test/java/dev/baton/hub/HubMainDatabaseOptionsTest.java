package dev.baton.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code baton-hub --database …}: refused before anything starts when it cannot work. */
class HubMainDatabaseOptionsTest {

    @TempDir
    Path tmp;

    private record Run(int exitCode, String err) {}

    private Run hubMain(final String... args) {
        final StringWriter err = new StringWriter();
        final CommandLine command = new CommandLine(new HubMain());
        command.setErr(new PrintWriter(err));
        command.setOut(new PrintWriter(new StringWriter()));
        return new Run(command.execute(args), err.toString());
    }

    @Test
    void aDatabaseUrlThatIsNotPostgresIsABadFlagAndItsPasswordIsNotEchoed() {
        final Run run = hubMain(
                "--data-dir", tmp.resolve("d").toString(), "--database", "jdbc:mysql://db/baton?password=hunter2");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("databaseUrl must be a PostgreSQL JDBC URL")
                .contains("password=<redacted>")
                .doesNotContain("hunter2");
        assertThat(tmp.resolve("d")).as("nothing started").doesNotExist();
    }

    @Test
    void aDatabasePasswordFileWithoutADatabaseIsABadFlag() throws Exception {
        final Path password = Files.writeString(tmp.resolve("db.password"), "s3cret\n");

        final Run run =
                hubMain("--data-dir", tmp.resolve("d").toString(), "--database-password-file", password.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--database-password-file needs --database");
    }

    @Test
    void anUnreadablePasswordFileIsNamedInTheRefusal() {
        final Run run = hubMain(
                "--data-dir",
                tmp.resolve("d").toString(),
                "--database",
                "jdbc:postgresql://127.0.0.1:1/baton?user=baton",
                "--database-password-file",
                tmp.resolve("missing.password").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot read --database-password-file " + tmp.resolve("missing.password"));
    }
}
