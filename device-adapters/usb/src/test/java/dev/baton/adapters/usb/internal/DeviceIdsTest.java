package dev.baton.adapters.usb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceIdsTest {

    @Test
    void usbIdsJoinVendorProductAndSerialOrNameTheBusPath() {
        assertThat(DeviceIds.usb("0403", "6001", "A50285BI")).isEqualTo("usb:0403:6001:A50285BI");
        assertThat(DeviceIds.usbPath("1-1.2")).isEqualTo("usb:path:1-1.2");
        assertThat(DeviceIds.serialPort("/dev/serial/by-id/usb-FTDI_X-if00-port0"))
                .isEqualTo("serial:/dev/serial/by-id/usb-FTDI_X-if00-port0");
    }

    @Test
    void spacesPercentAndNonAsciiArePercentEncodedSoIdsStayPrintableAndDistinct() {
        assertThat(DeviceIds.usb("1234", "5678", "AB 12%é")).isEqualTo("usb:1234:5678:AB%2012%25%C3%A9");
        assertThat(DeviceIds.usb("1234", "5678", "AB%2012")).isEqualTo("usb:1234:5678:AB%252012");
        assertThat(DeviceIds.serialPort("COM3")).isEqualTo("serial:COM3");
    }

    @Test
    void overlongSerialIsReplacedByItsDigestWithinTheProtocolLimit() {
        final String a = DeviceIds.usb("1234", "5678", "x".repeat(300));
        final String b = DeviceIds.usb("1234", "5678", "x".repeat(299) + "y");

        assertThat(a).startsWith("usb:1234:5678:sha256-").hasSizeLessThanOrEqualTo(256);
        assertThat(a).isNotEqualTo(b);
        assertThat(DeviceIds.usb("1234", "5678", "x".repeat(300))).isEqualTo(a);
    }
}
