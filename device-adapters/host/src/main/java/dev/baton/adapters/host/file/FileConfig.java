package dev.baton.adapters.host.file;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProperties;
import dev.baton.adapters.host.internal.PathProperties;
import dev.baton.protocol.ComponentSpec;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import org.jetbrains.annotations.NotNull;

/**
 * The typed configuration of a {@code file} component.
 *
 * @param path absolute, normalised, and naming a file rather than the root
 * @param content written as UTF-8; at most {@link #MAX_CONTENT_BYTES} once encoded
 * @param mode applied where the file system has POSIX permissions, ignored elsewhere
 */
record FileConfig(@NotNull Path path, @NotNull String content, @NotNull FileMode mode) {

    static final String PATH = "path";
    static final String CONTENT = "content";
    static final String MODE = "mode";
    static final Set<String> PROPERTIES = Set.of(PATH, CONTENT, MODE);

    /**
     * Bounds the content so that a desired document (at most 1 MiB) holds a few files; larger artifacts belong in
     * the hub's artifact store.
     */
    static final int MAX_CONTENT_BYTES = 512 * 1024;

    /**
     * Decodes and checks {@code spec}'s properties, touching nothing on the host.
     *
     * @throws ComponentException with {@link ComponentException.Reason#INVALID_SPEC}, naming the property
     */
    static @NotNull FileConfig decode(final @NotNull ComponentSpec spec) {
        final ComponentProperties properties = ComponentProperties.of(spec, PROPERTIES);
        final Path path = PathProperties.absoluteNormalised(properties, PATH, properties.requiredString(PATH));
        if (path.getFileName() == null) {
            throw properties.invalid("property '" + PATH + "' must name a file, but was \"" + path + '"');
        }
        final String content = properties.optionalString(CONTENT).orElse("");
        final int encodedLength = utf8Length(properties, content);
        if (encodedLength > MAX_CONTENT_BYTES) {
            throw properties.invalid("property '" + CONTENT + "' must not exceed " + MAX_CONTENT_BYTES
                    + " bytes (512 KiB) as UTF-8, but was " + encodedLength + " bytes");
        }
        final FileMode mode = properties
                .optionalString(MODE)
                .map(text -> parseMode(properties, text))
                .orElse(FileMode.DEFAULT);
        return new FileConfig(path, content, mode);
    }

    byte @NotNull [] contentBytes() {
        return content.getBytes(StandardCharsets.UTF_8);
    }

    private static int utf8Length(final ComponentProperties properties, final String content) {
        try {
            // A strict encoder, because String.getBytes would silently write '?' for an unpaired surrogate.
            return StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(content))
                    .remaining();
        } catch (final CharacterCodingException e) {
            throw properties.invalid(
                    "property '" + CONTENT + "' is not valid Unicode text (it holds an unpaired surrogate)");
        }
    }

    private static FileMode parseMode(final ComponentProperties properties, final String text) {
        try {
            return FileMode.parse(text);
        } catch (final IllegalArgumentException e) {
            throw properties.invalid("property '" + MODE + "' " + e.getMessage());
        }
    }
}
