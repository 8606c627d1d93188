package dev.baton.sim.onvif;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What one simulated ONVIF camera is: its identity (endpoint UUID, device information, MAC, scopes), the
 * credentials it demands, its media profiles, and how it refuses a wrong password. Build with {@link #builder()};
 * every value has a default, so {@code CameraSpec.builder().build()} is a valid camera with a random UUID.
 *
 * @param uuid the WS-Addressing endpoint reference address, {@code urn:uuid:…}
 * @param username with {@code password}, the only user the camera accepts; empty means it asks for no
 *     credentials
 * @param snapshotUri what GetSnapshotUri answers; empty means {@code http://<its address>:<its port>/snapshot.jpg}
 * @param authFailureStatus the HTTP status of the {@code ter:NotAuthorized} fault: 400 (SOAP 1.2's status for a
 *     Sender fault, what most cameras send) or 401 (what some send)
 */
public record CameraSpec(
        @NotNull String uuid,
        @NotNull String manufacturer,
        @NotNull String model,
        @NotNull String serialNumber,
        @NotNull String firmwareVersion,
        @NotNull String hardwareId,
        @NotNull String mac,
        @NotNull List<String> scopes,
        @NotNull Optional<String> username,
        @NotNull Optional<String> password,
        @NotNull List<ProfileSpec> profiles,
        @NotNull Optional<String> snapshotUri,
        int authFailureStatus) {

    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    public CameraSpec {
        Objects.requireNonNull(uuid, "uuid");
        if (!uuid.startsWith("urn:uuid:") || uuid.length() > 128 || uuid.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("uuid must be urn:uuid:… without spaces, but was " + uuid);
        }
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException(
                    "mac must be six lower-case hex pairs such as 02:00:00:00:00:01," + " but was " + mac);
        }
        if (username.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("a camera needs both a username and a password, or neither");
        }
        if (authFailureStatus != 400 && authFailureStatus != 401) {
            throw new IllegalArgumentException("authFailureStatus must be 400 or 401, but was " + authFailureStatus);
        }
        if (profiles.stream().map(ProfileSpec::token).distinct().count() != profiles.size()) {
            throw new IllegalArgumentException("profile tokens must be unique within a camera");
        }
        scopes = List.copyOf(scopes);
        profiles = List.copyOf(profiles);
    }

    public static @NotNull Builder builder() {
        return new Builder();
    }

    /** A builder preset with this camera's values. */
    public @NotNull Builder toBuilder() {
        final Builder builder = new Builder()
                .uuid(uuid)
                .manufacturer(manufacturer)
                .model(model)
                .serialNumber(serialNumber)
                .firmwareVersion(firmwareVersion)
                .hardwareId(hardwareId)
                .mac(mac)
                .scopes(scopes)
                .profiles(profiles)
                .authFailureStatus(authFailureStatus);
        username.ifPresent(u -> builder.credentials(u, password.orElseThrow()));
        snapshotUri.ifPresent(builder::snapshotUri);
        return builder;
    }

    /** The device id the {@code onvif} handler gives this camera. */
    public @NotNull String deviceId() {
        return "onvif:" + uuid;
    }

    @Override
    public String toString() {
        return "CameraSpec[" + uuid + ", " + manufacturer + " " + model + ", serial " + serialNumber + "]";
    }

    /** Builds a {@link CameraSpec}; not thread-safe. */
    public static final class Builder {

        private String uuid = "urn:uuid:" + UUID.randomUUID();
        private String manufacturer = "Baton Simulated";
        private String model = "SimCam S1";
        private @Nullable String serialNumber;
        private String firmwareVersion = "1.0.0";
        private String hardwareId = "SIM-HW-1";
        private @Nullable String mac;
        private @Nullable List<String> scopes;
        private final List<String> extraScopes = new ArrayList<>();
        private @Nullable String username;
        private @Nullable String password;
        private @Nullable List<ProfileSpec> profiles;
        private @Nullable String snapshotUri;
        private int authFailureStatus = 400;

        private Builder() {}

        public @NotNull Builder uuid(final @NotNull String uuid) {
            this.uuid = uuid;
            return this;
        }

        public @NotNull Builder manufacturer(final @NotNull String manufacturer) {
            this.manufacturer = manufacturer;
            return this;
        }

        public @NotNull Builder model(final @NotNull String model) {
            this.model = model;
            return this;
        }

        public @NotNull Builder serialNumber(final @NotNull String serialNumber) {
            this.serialNumber = serialNumber;
            return this;
        }

        public @NotNull Builder firmwareVersion(final @NotNull String firmwareVersion) {
            this.firmwareVersion = firmwareVersion;
            return this;
        }

        public @NotNull Builder hardwareId(final @NotNull String hardwareId) {
            this.hardwareId = hardwareId;
            return this;
        }

        public @NotNull Builder mac(final @NotNull String mac) {
            this.mac = mac.toLowerCase(Locale.ROOT);
            return this;
        }

        /** Replaces the default scopes (Profile S, video encoder, name, hardware). */
        public @NotNull Builder scopes(final @NotNull List<String> scopes) {
            this.scopes = List.copyOf(scopes);
            return this;
        }

        /** Adds a scope to the default or given ones, e.g. a test's own {@code onvif://www.onvif.org/location/…}. */
        public @NotNull Builder addScope(final @NotNull String scope) {
            extraScopes.add(scope);
            return this;
        }

        /** The one user the camera accepts; without this call the camera asks for no credentials. */
        public @NotNull Builder credentials(final @NotNull String username, final @NotNull String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        public @NotNull Builder profiles(final @NotNull List<ProfileSpec> profiles) {
            this.profiles = List.copyOf(profiles);
            return this;
        }

        public @NotNull Builder snapshotUri(final @NotNull String snapshotUri) {
            this.snapshotUri = snapshotUri;
            return this;
        }

        public @NotNull Builder authFailureStatus(final int status) {
            this.authFailureStatus = status;
            return this;
        }

        public @NotNull CameraSpec build() {
            final String suffix = uuid.substring(Math.max(0, uuid.length() - 12));
            final String serial = serialNumber != null ? serialNumber : "SIM" + suffix.toUpperCase(Locale.ROOT);
            final String macAddress = mac != null ? mac : macFrom(suffix);
            final List<String> allScopes = new ArrayList<>(
                    scopes != null
                            ? scopes
                            : List.of(
                                    "onvif://www.onvif.org/Profile/Streaming",
                                    "onvif://www.onvif.org/type/video_encoder",
                                    "onvif://www.onvif.org/hardware/" + model.replace(' ', '_'),
                                    "onvif://www.onvif.org/name/" + (manufacturer + "_" + model).replace(' ', '_')));
            allScopes.addAll(extraScopes);
            final List<ProfileSpec> allProfiles = profiles != null
                    ? profiles
                    : List.of(
                            new ProfileSpec(
                                    "Profile_1",
                                    "mainStream",
                                    "H264",
                                    1920,
                                    1080,
                                    "rtsp://127.0.0.1:554/" + serial + "/main"),
                            new ProfileSpec(
                                    "Profile_2",
                                    "subStream",
                                    "H264",
                                    640,
                                    360,
                                    "rtsp://127.0.0.1:554/" + serial + "/sub"));
            return new CameraSpec(
                    uuid,
                    manufacturer,
                    model,
                    serial,
                    firmwareVersion,
                    hardwareId,
                    macAddress,
                    allScopes,
                    Optional.ofNullable(username),
                    Optional.ofNullable(password),
                    allProfiles,
                    Optional.ofNullable(snapshotUri),
                    authFailureStatus);
        }

        /** A locally administered unicast MAC (02:…) from the UUID's last hex digits. */
        private static String macFrom(final String hex) {
            final String digits = (hex.replaceAll("[^0-9a-fA-F]", "") + "0000000000").substring(0, 10);
            final StringBuilder mac = new StringBuilder("02");
            for (int i = 0; i < 10; i += 2) {
                mac.append(':').append(digits, i, i + 2);
            }
            return mac.toString().toLowerCase(Locale.ROOT);
        }
    }
}
