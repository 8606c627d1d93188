package dev.baton.adapters.mcu.external.internal;

import dev.baton.adapters.mcu.FlashProgress;
import dev.baton.adapters.mcu.external.ExternalToolSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.jetbrains.annotations.NotNull;

/**
 * What differs between the external tools: how to find them, how to call them, how to read their output and what
 * their failures mean. Stateless.
 *
 * @param <S> the tool's settings
 */
public interface ToolDriver<S extends ExternalToolSettings> {

    @NotNull
    String toolId();

    /** Executable names to look for on PATH, in order of preference. */
    @NotNull
    List<String> executableNames();

    /** How to install the tool, for the "not installed" message. */
    @NotNull
    String installHint();

    /**
     * The arguments after the executable. {@code image} is absolute and was checked by {@link #checkImagePath}.
     *
     * @param executable the executable found, since one tool may have two command-line generations
     */
    @NotNull
    List<String> arguments(@NotNull Path executable, @NotNull S settings, @NotNull Path image);

    /** Refuses an image path the tool would misread; the default accepts any absolute path. */
    default void checkImagePath(final @NotNull Path image) {}

    @NotNull
    OutputParser parser(@NotNull S settings, long imageSize, @NotNull Consumer<FlashProgress> sink);

    /** Known failures, most specific first: the first that matches any output line wins. */
    @NotNull
    List<FailurePattern> failures();

    /** What the report calls the chip when the tool did not print its name. */
    @NotNull
    String chipName(@NotNull S settings);

    /** Where the image goes, for the report's nominal flash layout; 0 when the file itself says. */
    long baseAddress(@NotNull S settings);
}
