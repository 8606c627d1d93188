package dev.baton.adapters.onvif;

import org.jetbrains.annotations.NotNull;

/** How far the {@code onvif} handler got with a camera it found; the device property {@code status}. */
public enum CameraStatus {
    /** Every query answered; all properties are filled in. */
    OK("ok"),
    /**
     * The camera refused the credentials (a SOAP fault with subcode {@code ter:NotAuthorized}, ONVIF Core Specification "Error handling",
     * or HTTP 401), or none were configured for it. Only what WS-Discovery told is known.
     */
    AUTH_FAILED("auth-failed"),
    /** No XAddr of the camera answered before the scan's deadline. */
    UNREACHABLE("unreachable"),
    /** The camera answered, but with a fault or a response that was malformed or too large. */
    ERROR("error");

    private final String value;

    CameraStatus(final String value) {
        this.value = value;
    }

    /** The value of the device property {@code status}. */
    public @NotNull String value() {
        return value;
    }
}
