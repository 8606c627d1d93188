package dev.baton.sim.mcu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.adapters.mcu.Parity;
import dev.baton.adapters.mcu.SerialLink;
import dev.baton.adapters.mcu.SerialLinkConfig;
import dev.baton.adapters.mcu.SerialLinkException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Baton's jSerialComm link on a real pty pair, the other end driven directly by the test. */
class SerialLinkOnPtyTest {

    @TempDir
    Path tmp;

    private static SerialLinkConfig.Builder config(final PtyPair pair) {
        return SerialLinkConfig.builder(pair.clientEnd().toString()).parity(Parity.NONE);
    }

    @Test
    void bytesCrossTheLinkBothWaysAndAShortReadReturnsWhatArrivedByItsTimeout() throws Exception {
        ExternalTool.requireSocat();
        try (PtyPair pair = PtyPair.open(tmp, "link");
                FileChannel far =
                        FileChannel.open(pair.simulatorEnd(), StandardOpenOption.READ, StandardOpenOption.WRITE);
                SerialLink link = SerialLink.open(config(pair)
                        .controlLines(SerialLinkConfig.ControlLines.NONE)
                        .build())) {
            link.write(new byte[] {0x7F, 0x01});
            final ByteBuffer got = ByteBuffer.allocate(2);
            while (got.hasRemaining()) {
                far.read(got);
            }
            assertThat(got.array()).containsExactly(0x7F, 0x01);

            far.write(ByteBuffer.wrap(new byte[] {0x79, 0x1F, 0x76}));
            final byte[] buffer = new byte[5];
            final long started = System.nanoTime();
            final int n = link.read(buffer, 0, 5, Duration.ofMillis(150));

            assertThat(n).isEqualTo(3);
            assertThat(buffer).startsWith(0x79, 0x1F, 0x76);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThatThrownBy(() -> link.readExactly(1, Duration.ofMillis(50)))
                    .isInstanceOfSatisfying(SerialLinkException.class, e -> assertThat(e.reason())
                            .isEqualTo(SerialLinkException.Reason.TIMEOUT));
        }
    }

    @Test
    void discardInputDropsWhatArrivedUnread() throws Exception {
        ExternalTool.requireSocat();
        try (PtyPair pair = PtyPair.open(tmp, "link");
                FileChannel far =
                        FileChannel.open(pair.simulatorEnd(), StandardOpenOption.READ, StandardOpenOption.WRITE);
                SerialLink link = SerialLink.open(config(pair)
                        .controlLines(SerialLinkConfig.ControlLines.NONE)
                        .build())) {
            far.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            final byte[] first = link.readExactly(1, Duration.ofSeconds(1)); // the bytes have arrived
            link.discardInput();
            far.write(ByteBuffer.wrap(new byte[] {9}));

            assertThat(first).containsExactly(1);
            assertThat(link.readExactly(1, Duration.ofSeconds(1))).containsExactly(9);
        }
    }

    @Test
    void aPtyHasNoModemLinesSoSettingDtrFailsLoudlyInsteadOfResettingNothing() throws Exception {
        ExternalTool.requireSocat();
        try (PtyPair pair = PtyPair.open(tmp, "link");
                SerialLink link = SerialLink.open(config(pair)
                        .controlLines(SerialLinkConfig.ControlLines.MODEM)
                        .build())) {
            assertThat(link.resetLines().present()).isTrue();
            assertThatThrownBy(() -> link.resetLines().setDtr(true))
                    .isInstanceOfSatisfying(SerialLinkException.class, e -> assertThat(e.reason())
                            .isEqualTo(SerialLinkException.Reason.CONTROL_LINES))
                    .hasMessageContaining("controlLines NONE");
        }
    }

    @Test
    void unpluggingThePairMakesTheNextReadALostLink() throws Exception {
        ExternalTool.requireSocat();
        try (PtyPair pair = PtyPair.open(tmp, "link");
                SerialLink link = SerialLink.open(config(pair)
                        .controlLines(SerialLinkConfig.ControlLines.NONE)
                        .build())) {
            pair.unplug();

            assertThatThrownBy(() -> link.read(new byte[1], 0, 1, Duration.ofSeconds(2)))
                    .isInstanceOfSatisfying(SerialLinkException.class, e -> assertThat(e.reason())
                            .isEqualTo(SerialLinkException.Reason.LINK_LOST))
                    .hasMessageContaining("unplugged");
        }
    }

    @Test
    void aPortThatDoesNotExistFailsToOpenAsPortMissingNamingIt() {
        final String missing = tmp.resolve("no-such-tty").toString();

        assertThatThrownBy(
                        () -> SerialLink.open(SerialLinkConfig.builder(missing).build()))
                .isInstanceOfSatisfying(SerialLinkException.class, e -> assertThat(e.reason())
                        .isEqualTo(SerialLinkException.Reason.PORT_MISSING))
                .hasMessageContaining(missing)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aFileThatIsNotATerminalFailsToOpenAsAnOtherOpenFailureNotAsMissingOrForbidden() throws Exception {
        final java.nio.file.Path file = java.nio.file.Files.write(tmp.resolve("plain-file"), new byte[] {1});

        assertThatThrownBy(() -> SerialLink.open(SerialLinkConfig.builder(file.toString())
                        .controlLines(SerialLinkConfig.ControlLines.NONE)
                        .build()))
                .isInstanceOfSatisfying(SerialLinkException.class, e -> assertThat(e.reason())
                        .isEqualTo(SerialLinkException.Reason.OPEN_FAILED))
                .hasMessageContaining(file.toString());
    }
}
