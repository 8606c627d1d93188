package dev.baton.adapters.api.discovery;

import org.jetbrains.annotations.NotNull;

/**
 * Finds devices of one family ({@linkplain #name() name} {@code onvif}, {@code opcua}, {@code usb}, …) from the
 * agent's host. The agent's discovery scheduler owns the handler: it calls {@link #validate} for every desired
 * document that configures the handler, {@link #configure} when a valid configuration takes effect, and
 * {@link #scan} on the configured interval, never two scans of one handler at once. It filters, limits and diffs
 * what a scan yields, keeps devices through the grace period, and reports the changes; a handler only says what it
 * sees now.
 *
 * <p>A handler may also listen between scans (WS-Discovery Hello and Bye, say) and tell the agent through the
 * {@link DiscoveryListener} it was created with.
 */
public interface DiscoveryHandler extends AutoCloseable {

    /** The key of this handler's object in the desired document's {@code discovery}, e.g. {@code onvif}. */
    @NotNull
    String name();

    /**
     * Reads the handler's own keys of {@code config} (the common ones are already checked), without touching the
     * network or the host. A document whose configuration fails here is rejected as a whole.
     *
     * @throws DiscoveryException with {@link DiscoveryException.Reason#INVALID_CONFIG}, naming the key
     */
    void validate(@NotNull DiscoveryConfig config);

    /**
     * Takes a validated configuration into use: starts or stops listeners it asks for. Called again on every
     * change; {@code config.settings().enabled()} false means stop everything until the next call.
     */
    default void configure(@NotNull DiscoveryConfig config) {}

    /**
     * Looks for devices now and returns what it found by {@link ScanContext#deadline()}. A device the handler
     * found but could not fully query (wrong credentials, a refused connection) is still returned, with what it
     * knows, and the problem is named in {@link ScanResult#problems()}.
     *
     * @throws DiscoveryException when the scan as a whole cannot run (no network interface, a missing root)
     * @throws InterruptedException when the agent stops during the scan
     */
    @NotNull
    ScanResult scan(@NotNull DiscoveryConfig config, @NotNull ScanContext context) throws InterruptedException;

    /** Stops listeners and releases sockets. */
    @Override
    default void close() {}
}
