package dev.baton.adapters.mcu.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.adapters.mcu.FlashException;
import dev.baton.adapters.mcu.FlashPhase;
import dev.baton.adapters.mcu.FlashProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the wrapper runs a tool: timeout with the whole process tree killed, bounded output, live progress. */
class ToolProcessTest {

    @TempDir
    Path tmp;

    private Path script(final String body) throws IOException {
        final Path script = tmp.resolve("avrdude-stand-in.sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private ExternalFlasher avrdude(final Path executable, final Duration timeout) {
        return ExternalFlashers.create(new AvrdudeSettings(
                "usbasp", "m328p", Optional.empty(), OptionalLong.empty(), true, Optional.of(executable), timeout));
    }

    private Path image() throws IOException {
        final Path image = tmp.resolve("fw.bin");
        Files.write(image, new byte[5000]);
        return image;
    }

    @Test
    void aToolThatHangsIsKilledAtTheTimeoutTogetherWithTheProcessesItStarted() throws IOException {
        final Path childPid = tmp.resolve("child.pid");
        final Path tool = script("sleep 600 &\necho $! > '" + childPid + "'\necho 'avrdude: writing flash'\nwait");

        final FlashException thrown = catchThrowableOfType(
                () -> avrdude(tool, Duration.ofSeconds(2)).flash(image(), p -> {}), FlashException.class);

        assertThat(thrown.reason()).isEqualTo(FlashException.Reason.TIMEOUT);
        final ExternalToolFailure failure = ExternalToolFailure.of(thrown).orElseThrow();
        assertThat(failure.reason()).isEqualTo(ExternalToolFailure.Reason.TIMEOUT);
        assertThat(failure.exitCode()).isEmpty();
        assertThat(thrown.getMessage())
                .contains("did not finish within 2 s")
                .contains("'timeoutSeconds'")
                .contains("avrdude: writing flash");
        final long pid = Long.parseLong(Files.readString(childPid).strip());
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .as("the tool's child 'sleep 600'")
                .isNotEqualTo(Optional.of(true));
    }

    @Test
    void aFloodOfOutputIsKeptToTheLastLinesAndTheMessageShowsTwenty() throws IOException {
        final Path tool =
                script("awk 'BEGIN { for (i = 0; i < 20000; i++) printf \"line %d %0300d\\n\", i, 0 }'\nexit 3");

        final FlashException thrown = catchThrowableOfType(
                () -> avrdude(tool, Duration.ofSeconds(60)).flash(image(), p -> {}), FlashException.class);

        final ExternalToolFailure failure = ExternalToolFailure.of(thrown).orElseThrow();
        assertThat(failure.reason()).isEqualTo(ExternalToolFailure.Reason.FAILED);
        assertThat(failure.exitCode()).hasValue(3);
        assertThat(failure.lastLines()).hasSize(20);
        assertThat(failure.lastLines().get(19)).startsWith("line 19999 ");
        assertThat(thrown.getMessage())
                .contains("exit code 3")
                .contains("line 19980 ")
                .doesNotContain("line 19979 ");
    }

    @Test
    void aBarDrawnOneCharacterAtATimeReportsProgressBeforeItsLineEnds() throws IOException {
        // avrdude on a pipe: "Writing | " then one '#' per 2 %, the line ending only at 100 %
        final Path tool = script("printf 'Writing | '\nfor i in 1 2 3 4 5; do printf '##########'; sleep 0.3; done\n"
                + "printf ' | 100%% 1.50s\\n'\necho 'avrdude: 5000 bytes of flash written'");
        final List<FlashProgress> progress = new ArrayList<>();
        final Thread caller = Thread.currentThread();
        final List<Thread> listenerThreads = new ArrayList<>();

        avrdude(tool, Duration.ofSeconds(30)).flash(image(), p -> {
            progress.add(p);
            listenerThreads.add(Thread.currentThread());
        });

        assertThat(progress).allMatch(p -> p.phase() == FlashPhase.WRITE);
        assertThat(progress)
                .extracting(FlashProgress::done)
                .as("intermediate figures, not only the end")
                .contains(1000L, 2000L, 3000L, 4000L)
                .endsWith(5000L);
        assertThat(listenerThreads).as("listener runs on the flashing thread").containsOnly(caller);
    }

    @Test
    void interruptingTheFlashingThreadKillsTheToolAndReportsCancelled() throws Exception {
        final Path tool = script("sleep 600");
        final Path image = image();
        final FlashException[] thrown = new FlashException[1];
        final Thread worker = new Thread(() -> {
            try {
                avrdude(tool, Duration.ofSeconds(600)).flash(image, p -> {});
            } catch (final FlashException e) {
                thrown[0] = e;
            }
        });
        worker.start();
        Thread.sleep(500);
        worker.interrupt();
        worker.join(10_000);

        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown[0]).isNotNull();
        assertThat(thrown[0].reason()).isEqualTo(FlashException.Reason.CANCELLED);
    }
}
