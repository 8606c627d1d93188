package dev.baton.adapters.container;

/**
 * The labels by which the provider recognises its containers. It never stops, replaces or removes a container that
 * lacks {@link #MANAGED}, and only touches one whose {@link #NODE} and {@link #COMPONENT} name the component at hand.
 */
public final class ContainerLabels {

    /** Labels under this prefix are the provider's; a component's {@code labels} may not use it. */
    public static final String RESERVED_PREFIX = "dev.baton.";

    /** {@code true} on every container the provider created. */
    public static final String MANAGED = "dev.baton.managed";

    /** The component's name. */
    public static final String COMPONENT = "dev.baton.component";

    /** The node of the agent that created it. */
    public static final String NODE = "dev.baton.node";

    /**
     * The spec the container was created from ({@code ComponentSpec.specHash()}): equal means the container is what
     * the spec asks for, different means it must be recreated.
     */
    public static final String SPEC_HASH = "dev.baton.spec-hash";

    private ContainerLabels() {}
}
