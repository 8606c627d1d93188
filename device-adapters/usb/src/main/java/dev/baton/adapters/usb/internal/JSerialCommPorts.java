package dev.baton.adapters.usb.internal;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Lists and describes serial ports through jSerialComm, on every OS it supports; ports are never opened. jSerialComm
 * loads a native library on first use: when that fails (an unsupported architecture, a temp directory mounted
 * {@code noexec}) the failure becomes a problem of the scan, not an error of the agent.
 */
public final class JSerialCommPorts {

    private JSerialCommPorts() {}

    /** Every port the OS lists, sorted by path; a failure adds a sentence to {@code problems}. */
    public static @NotNull List<SerialPortInfo> enumerate(final @NotNull List<String> problems) {
        try {
            final List<SerialPortInfo> out = new ArrayList<>();
            for (final SerialPort port : SerialPort.getCommPorts()) {
                out.add(describe(port));
            }
            out.sort((a, b) -> a.systemPortPath().compareTo(b.systemPortPath()));
            return out;
        } catch (final LinkageError e) {
            problems.add("serial ports could not be listed: jSerialComm's native library did not load (" + e
                    + "); check that java.io.tmpdir allows executables or set jSerialComm.library.directory");
            return List.of();
        }
    }

    /**
     * Describes the port at {@code path} (a device, or a link to one such as a socat pty link), which no
     * enumeration needs to list; empty, with a problem added, when it does not name a port.
     */
    public static @NotNull Optional<SerialPortInfo> describe(
            final @NotNull String path, final @NotNull List<String> problems) {
        try {
            return Optional.of(describe(SerialPort.getCommPort(path)));
        } catch (final SerialPortInvalidPortException e) {
            problems.add("serial port " + path + " from discovery.usb.serialPorts is not a port jSerialComm can use ("
                    + e.getMessage() + "): check the path");
            return Optional.empty();
        } catch (final LinkageError e) {
            problems.add("serial port " + path + " could not be described: jSerialComm's native library did not load ("
                    + e + ")");
            return Optional.empty();
        }
    }

    private static SerialPortInfo describe(final SerialPort port) {
        return new SerialPortInfo(
                port.getSystemPortPath(),
                port.getSystemPortName(),
                known(port.getPortDescription()),
                hex4(port.getVendorID()),
                hex4(port.getProductID()),
                known(port.getSerialNumber()),
                known(port.getManufacturer()),
                usbLocation(port.getPortLocation()));
    }

    private static @Nullable String known(final @Nullable String value) {
        if (value == null) {
            return null;
        }
        final String clean = SysfsFiles.withoutControls(value.strip());
        return clean.isEmpty() || clean.equalsIgnoreCase("Unknown") ? null : clean;
    }

    private static @Nullable String hex4(final int id) {
        return id < 0 || id > 0xffff ? null : String.format("%04x", id);
    }

    /** jSerialComm says {@code 0-0} or {@code 0-0.0} for a port that is not on USB. */
    private static @Nullable String usbLocation(final @Nullable String location) {
        final String value = known(location);
        return value == null || value.startsWith("0-0") ? null : value;
    }
}
