package dev.baton.adapters.onvif;

/**
 * The properties of an {@code onvif-camera} device, in the order the handler writes them. Top-level strings and
 * arrays of strings can be used in {@code include}/{@code exclude} filters; see docs/hardware/onvif.md.
 */
public final class OnvifDeviceProperties {

    /** The WS-Addressing endpoint reference address, usually {@code urn:uuid:…}; the device id is {@code onvif:} + it. */
    public static final String UUID = "uuid";
    /** The device service addresses the camera announced (WS-Discovery {@code XAddrs}), as an array. */
    public static final String XADDRS = "xaddrs";
    /** The camera's WS-Discovery scopes, sorted, as an array (ONVIF Core Specification "Discovery", scopes such as onvif://www.onvif.org/Profile/Streaming). */
    public static final String SCOPES = "scopes";
    /** The camera's IPv4 address (GetNetworkInterfaces), or the host of the XAddr used when that is unknown. */
    public static final String IP = "ip";
    /** The MAC address of the camera's first enabled interface (GetNetworkInterfaces), lower case. */
    public static final String MAC = "mac";

    public static final String MANUFACTURER = "manufacturer";
    public static final String MODEL = "model";
    public static final String FIRMWARE_VERSION = "firmwareVersion";
    public static final String SERIAL_NUMBER = "serialNumber";
    public static final String HARDWARE_ID = "hardwareId";
    /** One of {@link CameraStatus#value()}. */
    public static final String STATUS = "status";
    /** An array of {@code {token, name, encoding, width, height, streamUri}}, in the camera's order. */
    public static final String PROFILES = "profiles";

    public static final String SNAPSHOT_URI = "snapshotUri";
    /** The RTSP stream URIs of all profiles, in profile order. */
    public static final String STREAM_URIS = "streamUris";

    private OnvifDeviceProperties() {}
}
