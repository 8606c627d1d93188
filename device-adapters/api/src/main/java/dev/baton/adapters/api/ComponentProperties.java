package dev.baton.adapters.api;

import dev.baton.protocol.ComponentSpec;
import dev.baton.protocol.Names;
import java.util.Set;
import org.jetbrains.annotations.NotNull;

/**
 * Reads a component's properties into a provider's typed configuration; errors are
 * {@link ComponentException.Reason#INVALID_SPEC} and name the component and property.
 */
public final class ComponentProperties extends PropertyReader {

    private final String component;
    private final String kind;

    private ComponentProperties(final ComponentSpec spec) {
        super(spec.properties());
        this.component = spec.name();
        this.kind = spec.kind();
    }

    /**
     * Starts reading {@code spec}'s properties and refuses any property not in {@code known}, since a misspelt
     * optional property would otherwise be ignored silently.
     */
    public static @NotNull ComponentProperties of(final @NotNull ComponentSpec spec, final @NotNull Set<String> known) {
        final ComponentProperties reader = new ComponentProperties(spec);
        reader.refuseUnknown(known, Names.printable(spec.kind()) + " components");
        return reader;
    }

    /** An {@link ComponentException.Reason#INVALID_SPEC} error about this component. */
    @Override
    public @NotNull ComponentException invalid(final @NotNull String problem) {
        return new ComponentException(
                ComponentException.Reason.INVALID_SPEC,
                // The spec's name and kind are checked when a desired document is decoded, but not by ComponentSpec.
                Names.printable(kind) + " component '" + Names.printable(component) + "' " + problem);
    }
}
