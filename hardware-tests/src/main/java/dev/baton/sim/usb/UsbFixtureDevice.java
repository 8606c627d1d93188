package dev.baton.sim.usb;

import java.util.List;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A simulated USB device with the descriptor values real ones report (taken from {@code lsusb -v} of such
 * devices), and presets for the kinds the {@code usb} handler recognises.
 *
 * @param busPath where it is plugged: {@code 1-1.2} is port 2 of the hub on port 1 of bus 1; its hub must be
 *     plugged first
 * @param vid {@code idVendor}, 4 hex digits
 * @param serial {@code serial}, or null for a device without a serial number string
 * @param speed {@code speed} in Mbit/s as sysfs writes it: {@code 1.5}, {@code 12}, {@code 480}, {@code 5000}
 * @param deviceClass {@code bDeviceClass}, 2 hex digits ({@code 00}: per interface, {@code 09}: hub)
 * @param maxChild the number of downstream ports of a hub, 0 for other devices
 */
public record UsbFixtureDevice(
        @NotNull String busPath,
        @NotNull String vid,
        @NotNull String pid,
        @Nullable String serial,
        @Nullable String manufacturer,
        @Nullable String product,
        @NotNull String speed,
        @NotNull String usbVersion,
        @NotNull String bcdDevice,
        @NotNull String deviceClass,
        int maxChild,
        @NotNull List<UsbFixtureInterface> interfaces) {

    public UsbFixtureDevice {
        Objects.requireNonNull(busPath, "busPath");
        if (!busPath.matches("[0-9]{1,3}-[0-9]{1,3}(\\.[0-9]{1,3}){0,6}")) {
            throw new IllegalArgumentException(
                    "busPath must look like 1-1 or 1-1.2 (bus-port.port…), but was \"" + busPath + '"');
        }
        interfaces = List.copyOf(interfaces);
    }

    /** The same device on another port. */
    public @NotNull UsbFixtureDevice at(final @NotNull String otherBusPath) {
        return new UsbFixtureDevice(
                otherBusPath,
                vid,
                pid,
                serial,
                manufacturer,
                product,
                speed,
                usbVersion,
                bcdDevice,
                deviceClass,
                maxChild,
                interfaces);
    }

    /** The same device with another serial number (null for none). */
    public @NotNull UsbFixtureDevice withSerial(final @Nullable String otherSerial) {
        return new UsbFixtureDevice(
                busPath,
                vid,
                pid,
                otherSerial,
                manufacturer,
                product,
                speed,
                usbVersion,
                bcdDevice,
                deviceClass,
                maxChild,
                interfaces);
    }

    public int bus() {
        return Integer.parseInt(busPath.substring(0, busPath.indexOf('-')));
    }

    /** A 7-port USB 2.0 hub (Terminus FE1.1s, no serial number). */
    public static @NotNull UsbFixtureDevice hub(final @NotNull String busPath) {
        return new UsbFixtureDevice(
                busPath,
                "1a40",
                "0201",
                null,
                null,
                "USB 2.0 Hub [MTT]",
                "480",
                "2.00",
                "0100",
                "09",
                7,
                List.of(new UsbFixtureInterface(0, "09", "00", "01", 1, "hub", null, List.of())));
    }

    /** An FTDI FT232R USB-serial converter on {@code ttyUSB0}. */
    public static @NotNull UsbFixtureDevice ftdiSerial(final @NotNull String busPath) {
        return new UsbFixtureDevice(
                busPath,
                "0403",
                "6001",
                "A50285BI",
                "FTDI",
                "FT232R USB UART",
                "12",
                "2.00",
                "0600",
                "00",
                0,
                List.of(new UsbFixtureInterface(
                        0,
                        "ff",
                        "ff",
                        "ff",
                        2,
                        "ftdi_sio",
                        "FT232R USB UART",
                        List.of(UsbFixtureNode.usbSerialTty(
                                0, "ftdi_sio", "usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0")))));
    }

    /** A Raspberry Pi Pico running MicroPython: CDC ACM on {@code ttyACM0} (2e8a:0005, not a bootloader). */
    public static @NotNull UsbFixtureDevice cdcAcm(final @NotNull String busPath) {
        return new UsbFixtureDevice(
                busPath,
                "2e8a",
                "0005",
                "e6614c311b7e6a35",
                "MicroPython",
                "Board in FS mode",
                "12",
                "2.00",
                "0100",
                "ef",
                0,
                List.of(
                        new UsbFixtureInterface(
                                0,
                                "02",
                                "02",
                                "00",
                                1,
                                "cdc_acm",
                                "Board CDC",
                                List.of(UsbFixtureNode.acmTty(
                                        0, "usb-MicroPython_Board_in_FS_mode_e6614c311b7e6a35-if00"))),
                        new UsbFixtureInterface(1, "0a", "00", "00", 2, "cdc_acm", null, List.of())));
    }

    /** A Logitech C270 webcam: UVC on {@code video0} and {@code video1}, plus its microphone. */
    public static @NotNull UsbFixtureDevice uvcCamera(final @NotNull String busPath) {
        return new UsbFixtureDevice(
                busPath,
                "046d",
                "0825",
                "8A0C1B10",
                null,
                "C270 HD WEBCAM",
                "480",
                "2.00",
                "0012",
                "ef",
                0,
                List.of(
                        new UsbFixtureInterface(
                                0,
                                "0e",
                                "01",
                                "00",
                                1,
                                "uvcvideo",
                                null,
                                List.of(UsbFixtureNode.video(0), UsbFixtureNode.video(1))),
                        new UsbFixtureInterface(1, "0e", "02", "00", 0, "uvcvideo", null, List.of()),
                        new UsbFixtureInterface(
                                2, "01", "01", "00", 0, "snd-usb-audio", null, List.of(UsbFixtureNode.soundControl(1))),
                        new UsbFixtureInterface(3, "01", "02", "00", 0, "snd-usb-audio", null, List.of())));
    }

    /** An STM32F4 in its system-memory bootloader, USB DFU mode (0483:df11). */
    public static @NotNull UsbFixtureDevice stm32Dfu(final @NotNull String busPath) {
        return new UsbFixtureDevice(
                busPath,
                "0483",
                "df11",
                "205F37A35430",
                "STMicroelectronics",
                "STM32  BOOTLOADER",
                "12",
                "2.00",
                "2200",
                "00",
                0,
                List.of(new UsbFixtureInterface(
                        0,
                        "fe",
                        "01",
                        "02",
                        0,
                        null,
                        "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
                        List.of())));
    }

    /** An RP2040 in BOOTSEL mode (2e8a:0003): a UF2 mass-storage volume ({@code sda}) and PICOBOOT. */
    public static @NotNull UsbFixtureDevice rp2040Boot(final @NotNull String busPath) {
        return new UsbFixtureDevice(
                busPath,
                "2e8a",
                "0003",
                "E0C9125B0D9B",
                "Raspberry Pi",
                "RP2 Boot",
                "12",
                "1.10",
                "0100",
                "00",
                0,
                List.of(
                        new UsbFixtureInterface(
                                0,
                                "08",
                                "06",
                                "50",
                                2,
                                "usb-storage",
                                null,
                                List.of(UsbFixtureNode.disk(0, "sda", 0), UsbFixtureNode.partition(0, "sda", 0, 1))),
                        new UsbFixtureInterface(1, "ff", "00", "00", 2, null, null, List.of())));
    }

    /** A Logitech K120 keyboard: HID boot keyboard with {@code hidraw0} and {@code input/event3}, no serial. */
    public static @NotNull UsbFixtureDevice hidKeyboard(final @NotNull String busPath) {
        return new UsbFixtureDevice(
                busPath,
                "046d",
                "c31c",
                null,
                "Logitech",
                "USB Keyboard",
                "1.5",
                "1.10",
                "6400",
                "00",
                0,
                List.of(
                        new UsbFixtureInterface(
                                0,
                                "03",
                                "01",
                                "01",
                                1,
                                "usbhid",
                                null,
                                List.of(
                                        UsbFixtureNode.hidraw("0003:046D:C31C.0001", 0),
                                        UsbFixtureNode.inputEvent("0003:046D:C31C.0001", 3, 3))),
                        new UsbFixtureInterface(
                                1,
                                "03",
                                "00",
                                "00",
                                1,
                                "usbhid",
                                null,
                                List.of(UsbFixtureNode.hidraw("0003:046D:C31C.0002", 1)))));
    }

    /** A CH340 USB-serial converter, which has no serial number, on {@code ttyUSB1}. */
    public static @NotNull UsbFixtureDevice ch340WithoutSerial(final @NotNull String busPath) {
        return new UsbFixtureDevice(
                busPath,
                "1a86",
                "7523",
                null,
                null,
                "USB Serial",
                "12",
                "1.10",
                "0264",
                "ff",
                0,
                List.of(new UsbFixtureInterface(
                        0,
                        "ff",
                        "01",
                        "02",
                        3,
                        "ch341",
                        null,
                        List.of(UsbFixtureNode.usbSerialTty(1, "ch341", "usb-1a86_USB_Serial-if00-port0")))));
    }

    /** An Arduino Uno R3: the ATmega16U2 bridge (CDC ACM on {@code ttyACM1}) that resets the board into optiboot. */
    public static @NotNull UsbFixtureDevice arduinoUno(final @NotNull String busPath) {
        return new UsbFixtureDevice(
                busPath,
                "2341",
                "0043",
                "75833353035351F0B0D1",
                "Arduino (www.arduino.cc)",
                null,
                "12",
                "1.10",
                "0001",
                "02",
                0,
                List.of(
                        new UsbFixtureInterface(
                                0,
                                "02",
                                "02",
                                "01",
                                1,
                                "cdc_acm",
                                null,
                                List.of(UsbFixtureNode.acmTty(
                                        1, "usb-Arduino__www.arduino.cc__0043_75833353035351F0B0D1-if00"))),
                        new UsbFixtureInterface(1, "0a", "00", "00", 2, "cdc_acm", null, List.of())));
    }
}
