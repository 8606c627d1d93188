package dev.baton.adapters.usb.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * Recognises USB devices by vendor and product id and by interface class (USB-IF class codes: 02 CDC, 03 HID, 08
 * mass storage, 09 hub, 0e video, fe application-specific with subclass 01 DFU, protocol 02 DFU mode; DFU 1.1
 * section 4.2.3). A microcontroller in its bootloader wins over everything else, since that is what a flasher
 * looks for; then cameras, serial ports, storage, HID and hubs.
 */
public final class UsbClassifier {

    /** Exact vendor:product ids of ROM and factory bootloaders, and the Arduino bridges that reset into one. */
    private static final Map<String, String> BOOTLOADERS = Map.ofEntries(
            // STM32 system memory bootloader in DFU mode (ST AN3156).
            Map.entry("0483:df11", "stm32-dfu"),
            // RP2040 and RP2350 BOOTSEL mode: UF2 mass storage plus PICOBOOT (RP2040 datasheet 2.8.4).
            Map.entry("2e8a:0003", "rp2040-boot"),
            Map.entry("2e8a:000f", "rp2350-boot"),
            // ESP32-S2 ROM download mode over USB-OTG CDC.
            Map.entry("303a:0002", "esp32s2-rom"),
            // ESP32-S3/C3/C6 USB-Serial/JTAG: the ROM's download port, and an app's console when it keeps it.
            Map.entry("303a:1001", "esp32-usb-serial-jtag"),
            // Arduino boards whose USB bridge (ATmega16U2/8U2) resets the target into optiboot or STK500v2.
            Map.entry("2341:0001", "arduino-optiboot"),
            Map.entry("2341:0043", "arduino-optiboot"),
            Map.entry("2341:0243", "arduino-optiboot"),
            Map.entry("2a03:0043", "arduino-optiboot"),
            Map.entry("2341:0010", "arduino-stk500v2"),
            Map.entry("2341:0042", "arduino-stk500v2"),
            // ATmega32U4 boards in the Caterina bootloader (Leonardo, Micro).
            Map.entry("2341:0036", "arduino-caterina"),
            Map.entry("2341:0037", "arduino-caterina"),
            // Atmel/Microchip FLIP DFU bootloaders of the 8U2/16U2/32U2/32U4/AT90USB parts (AVR DFU, doc7618).
            Map.entry("03eb:2fee", "atmel-dfu"),
            Map.entry("03eb:2fef", "atmel-dfu"));

    private static final Map<String, String> BRIDGE_VENDORS =
            Map.of("0403", "ftdi", "10c4", "cp210x", "1a86", "ch340", "067b", "pl2303");

    private UsbClassifier() {}

    public static @NotNull UsbClassification classify(final @NotNull SysfsUsbDevice device) {
        final String vid = device.vid().orElse("");
        final String pid = device.pid().orElse("");
        final List<SysfsUsbInterface> interfaces = device.interfaces();
        final Optional<String> bootloader = bootloader(vid, pid, interfaces);
        if (bootloader.isPresent()) {
            return new UsbClassification(UsbClassification.MCU_BOOTLOADER, bootloader.get(), bridge(vid, interfaces));
        }
        if (hasInterface(interfaces, "0e", null)) {
            return new UsbClassification(UsbClassification.UVC_CAMERA, null, null);
        }
        final String bridge = bridge(vid, interfaces);
        if (bridge != null || hasTty(interfaces)) {
            return new UsbClassification(UsbClassification.USB_SERIAL, null, bridge);
        }
        if (hasInterface(interfaces, "08", null)) {
            return new UsbClassification(UsbClassification.MASS_STORAGE, null, null);
        }
        if (hasInterface(interfaces, "03", null)) {
            return new UsbClassification(UsbClassification.HID, null, null);
        }
        if ("09".equals(hex2(device.attribute("bDeviceClass").orElse(""))) || hasInterface(interfaces, "09", null)) {
            return new UsbClassification(UsbClassification.HUB, null, null);
        }
        return new UsbClassification(UsbClassification.OTHER, null, null);
    }

    private static Optional<String> bootloader(
            final String vid, final String pid, final List<SysfsUsbInterface> interfaces) {
        final String known = BOOTLOADERS.get(vid + ":" + pid);
        if (known != null) {
            return Optional.of(known);
        }
        // FLIP DFU ids 03eb:2ff0 to 2fff (AT90USB, ATmega32U4/U2 families).
        if (vid.equals("03eb") && pid.startsWith("2ff")) {
            return Optional.of("atmel-dfu");
        }
        // Any device in DFU mode (not the run-time DFU interface of an application, protocol 01).
        for (final SysfsUsbInterface candidate : interfaces) {
            if (candidate.interfaceClass().filter("fe"::equals).isPresent()
                    && candidate.subClass().filter("01"::equals).isPresent()
                    && candidate.protocol().filter("02"::equals).isPresent()) {
                return Optional.of("usb-dfu");
            }
        }
        return Optional.empty();
    }

    private static String bridge(final String vid, final List<SysfsUsbInterface> interfaces) {
        final String vendor = BRIDGE_VENDORS.get(vid);
        if (vendor != null) {
            return vendor;
        }
        return hasInterface(interfaces, "02", "02") ? "cdc-acm" : null;
    }

    private static boolean hasTty(final List<SysfsUsbInterface> interfaces) {
        return interfaces.stream().flatMap(i -> i.nodes().stream()).anyMatch(node -> node.subsystem()
                .equals("tty"));
    }

    private static boolean hasInterface(
            final List<SysfsUsbInterface> interfaces, final String interfaceClass, final String subClass) {
        for (final SysfsUsbInterface candidate : interfaces) {
            if (candidate.interfaceClass().filter(interfaceClass::equals).isPresent()
                    && (subClass == null
                            || candidate.subClass().filter(subClass::equals).isPresent())) {
                return true;
            }
        }
        return false;
    }

    private static String hex2(final String text) {
        if (text.isEmpty() || text.length() > 2 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return "";
        }
        return String.format("%02x", Integer.parseInt(text, 16));
    }
}
