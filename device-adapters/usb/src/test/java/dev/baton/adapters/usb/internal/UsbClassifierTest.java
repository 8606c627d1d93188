package dev.baton.adapters.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsbClassifierTest {

    private static SysfsUsbDevice device(final String vid, final String pid, final SysfsUsbInterface... interfaces) {
        return new SysfsUsbDevice(
                "1-1", new TreeMap<>(Map.of("idVendor", vid, "idProduct", pid)), "usb", List.of(interfaces));
    }

    private static SysfsUsbInterface usbInterface(final String cls, final String sub, final String protocol) {
        return new SysfsUsbInterface(
                "1-1:1.0",
                new TreeMap<>(
                        Map.of("bInterfaceClass", cls, "bInterfaceSubClass", sub, "bInterfaceProtocol", protocol)),
                null,
                List.of());
    }

    @ParameterizedTest(name = "{0}:{1} is {2} {3}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            0483 | df11 | mcu-bootloader | stm32-dfu
            2e8a | 0003 | mcu-bootloader | rp2040-boot
            2e8a | 000f | mcu-bootloader | rp2350-boot
            303a | 0002 | mcu-bootloader | esp32s2-rom
            303a | 1001 | mcu-bootloader | esp32-usb-serial-jtag
            03eb | 2ff4 | mcu-bootloader | atmel-dfu
            03eb | 2fef | mcu-bootloader | atmel-dfu
            2341 | 0043 | mcu-bootloader | arduino-optiboot
            2341 | 0036 | mcu-bootloader | arduino-caterina
            303a | 80c6 | other          |
            03eb | 2404 | other          |
            """)
    void bootloadersAreRecognisedByTheirExactIds(
            final String vid, final String pid, final String expectedClass, final String expectedBootloader) {
        final UsbClassification classification = UsbClassifier.classify(device(vid, pid));

        assertThat(classification.deviceClass()).isEqualTo(expectedClass);
        assertThat(classification.bootloader()).isEqualTo(expectedBootloader);
    }

    @Test
    void anyInterfaceInDfuModeIsABootloaderButARuntimeDfuInterfaceIsNot() {
        assertThat(UsbClassifier.classify(device("1209", "0001", usbInterface("fe", "01", "02")))
                        .bootloader())
                .isEqualTo("usb-dfu");
        assertThat(UsbClassifier.classify(device("1209", "0001", usbInterface("fe", "01", "01")))
                        .bootloader())
                .isNull();
    }

    @Test
    void bridgeVendorsAndCdcAcmAreUsbSerialNamingTheirBridge() {
        assertThat(UsbClassifier.classify(device("10c4", "ea60", usbInterface("ff", "00", "00"))))
                .isEqualTo(new UsbClassification("usb-serial", null, "cp210x"));
        assertThat(UsbClassifier.classify(device("067b", "2303", usbInterface("ff", "00", "00"))))
                .isEqualTo(new UsbClassification("usb-serial", null, "pl2303"));
        assertThat(UsbClassifier.classify(device("1234", "0001", usbInterface("02", "02", "01"))))
                .isEqualTo(new UsbClassification("usb-serial", null, "cdc-acm"));
    }

    @Test
    void cameraWinsOverItsAudioAndStorageOverHid() {
        assertThat(UsbClassifier.classify(
                                device("046d", "0825", usbInterface("01", "01", "00"), usbInterface("0e", "01", "00")))
                        .deviceClass())
                .isEqualTo("uvc-camera");
        assertThat(UsbClassifier.classify(
                                device("0781", "5567", usbInterface("03", "00", "00"), usbInterface("08", "06", "50")))
                        .deviceClass())
                .isEqualTo("mass-storage");
    }
}
