package dev.baton.adapters.api.discovery;

/** The device kinds the bundled handlers report (see BRIEF's acceptance contract). */
public final class DeviceKinds {

    public static final String ONVIF_CAMERA = "onvif-camera";
    public static final String OPCUA_SERVER = "opcua-server";
    public static final String USB_DEVICE = "usb-device";
    public static final String SERIAL_PORT = "serial-port";
    public static final String MCU = "mcu";

    private DeviceKinds() {}
}
