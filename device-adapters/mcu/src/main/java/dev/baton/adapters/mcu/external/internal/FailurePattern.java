package dev.baton.adapters.mcu.external.internal;

import dev.baton.adapters.mcu.external.ExternalToolFailure;
import java.util.regex.Pattern;
import org.jetbrains.annotations.NotNull;

/**
 * A line a tool prints when it fails in a known way, the reason it means and what the user should do.
 *
 * @param line found anywhere in one output line (case-insensitive)
 * @param reason what it means
 * @param summary what failed, in a few words, e.g. "no CMSIS-DAP probe found"
 * @param advice what to do about it
 */
public record FailurePattern(
        @NotNull Pattern line,
        @NotNull ExternalToolFailure.Reason reason,
        @NotNull String summary,
        @NotNull String advice) {

    public static @NotNull FailurePattern of(
            final @NotNull String regex,
            final @NotNull ExternalToolFailure.Reason reason,
            final @NotNull String summary,
            final @NotNull String advice) {
        return new FailurePattern(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), reason, summary, advice);
    }
}
