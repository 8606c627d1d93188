package dev.baton.adapters.usb.internal;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What kind of USB device this is, as far as its ids and interfaces tell.
 *
 * @param deviceClass the {@code class} property: {@code mcu-bootloader}, {@code uvc-camera}, {@code usb-serial},
 *     {@code mass-storage}, {@code hid}, {@code hub} or {@code other}
 * @param bootloader for {@code mcu-bootloader}: {@code stm32-dfu}, {@code rp2040-boot}, … else null
 * @param bridge for a USB-serial bridge: {@code ftdi}, {@code cp210x}, {@code ch340}, {@code pl2303} or
 *     {@code cdc-acm}, else null
 */
public record UsbClassification(@NotNull String deviceClass, @Nullable String bootloader, @Nullable String bridge) {

    public static final String MCU_BOOTLOADER = "mcu-bootloader";
    public static final String UVC_CAMERA = "uvc-camera";
    public static final String USB_SERIAL = "usb-serial";
    public static final String MASS_STORAGE = "mass-storage";
    public static final String HID = "hid";
    public static final String HUB = "hub";
    public static final String OTHER = "other";

    public UsbClassification {
        Objects.requireNonNull(deviceClass, "deviceClass");
    }
}
