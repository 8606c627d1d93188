package dev.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What an agent sends to {@code POST /api/v1/enroll} to exchange an enrollment token for node credentials.
 *
 * @param node the node name wanted; when absent the hub derives one from {@code hostname}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnrollmentRequest(
        @NotNull String token, @Nullable String node, @NotNull Map<String, String> labels, @Nullable String hostname) {

    public EnrollmentRequest {
        labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "EnrollmentRequest[token=<redacted>, node=" + node + ", labels=" + labels + ", hostname=" + hostname
                + "]";
    }
}
