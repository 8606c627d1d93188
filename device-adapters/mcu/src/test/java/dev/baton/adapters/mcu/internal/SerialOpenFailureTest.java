package dev.baton.adapters.mcu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.adapters.mcu.SerialLinkException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How an {@code openPort()} failure is told apart by the {@code errno} jSerialComm reports. A missing port is also
 * tested for real (SerialLinkOnPtyTest); EACCES is not reproducible for real here because the tests run as root,
 * which opens a chmod-000 pty anyway.
 */
class SerialOpenFailureTest {

    @TempDir
    Path tmp;

    @Test
    void enoentIsAMissingPort() {
        final Path gone = tmp.resolve("ttyUSB9");

        final SerialLinkException e = JSerialCommLink.openFailed(gone.toString(), gone, 2);

        assertThat(e.reason()).isEqualTo(SerialLinkException.Reason.PORT_MISSING);
        assertThat(e.getMessage()).contains(gone.toString()).contains("does not exist");
    }

    @Test
    void eaccesOnAnExistingPortIsPermissionDeniedSayingWhichGroupToJoin() throws Exception {
        final Path port = Files.createFile(tmp.resolve("ttyACM0"));

        final SerialLinkException e = JSerialCommLink.openFailed(port.toString(), port, 13);

        assertThat(e.reason()).isEqualTo(SerialLinkException.Reason.PERMISSION_DENIED);
        assertThat(e.getMessage()).contains("may not open serial port " + port).contains("dialout");
    }

    @Test
    void anotherErrnoOnAnExistingPortIsAPlainOpenFailure() throws Exception {
        final Path port = Files.createFile(tmp.resolve("ttyACM1"));

        final SerialLinkException e = JSerialCommLink.openFailed(port.toString(), port, 16); // EBUSY

        assertThat(e.reason()).isEqualTo(SerialLinkException.Reason.OPEN_FAILED);
        assertThat(e.getMessage()).contains("error 16").contains("no other program holds it");
    }
}
