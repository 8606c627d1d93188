package dev.baton.sim.onvif;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * A media profile of a simulated camera (ONVIF Media Service Specification, GetProfiles), and the RTSP URI
 * GetStreamUri gives for it. Nothing serves that URI: it is an identity to check, not a stream.
 *
 * @param token the profile token, unique within the camera
 * @param name the profile's name
 * @param encoding the video encoder's encoding: {@code H264}, {@code JPEG} or {@code MPEG4}
 * @param width the video width in pixels
 * @param height the video height in pixels
 * @param streamUri the URI GetStreamUri answers
 */
public record ProfileSpec(
        @NotNull String token,
        @NotNull String name,
        @NotNull String encoding,
        int width,
        int height,
        @NotNull String streamUri) {

    public ProfileSpec {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(streamUri, "streamUri");
        if (token.isBlank()) {
            throw new IllegalArgumentException("a profile token must not be blank");
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "profile " + token + " must have a positive resolution, but had " + width + "x" + height);
        }
    }
}
