package dev.baton.agent.testing;

import dev.baton.adapters.api.ComponentException;
import dev.baton.adapters.api.ComponentProvider;
import dev.baton.adapters.api.ComponentProviderFactory;
import dev.baton.adapters.api.Observation;
import dev.baton.adapters.api.ProviderContext;
import dev.baton.protocol.ComponentSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.jetbrains.annotations.NotNull;

/**
 * A test double of a component provider: records every call, fails or drifts on request, and refuses a spec with
 * property {@code "invalid"}. It stands in for real providers in reconciler tests; the end-to-end tests use the
 * real ones.
 */
public final class RecordingProvider implements ComponentProvider {

    /** One call the reconciler made. */
    public record Call(String operation, String component) {}

    private final String kind;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> failuresLeft = new ConcurrentHashMap<>();
    private final Set<String> drifted = ConcurrentHashMap.newKeySet();
    private final Map<String, ProviderContext> contexts = new ConcurrentHashMap<>();
    private final Map<String, Duration> applyDurations = new ConcurrentHashMap<>();

    public RecordingProvider(final String kind) {
        this.kind = kind;
    }

    public ComponentProviderFactory factory() {
        final RecordingProvider provider = this;
        return new ComponentProviderFactory() {
            @Override
            public @NotNull String kind() {
                return kind;
            }

            @Override
            public @NotNull ComponentProvider create(final @NotNull ScheduledExecutorService scheduler) {
                return provider;
            }
        };
    }

    /** The next {@code times} applies of {@code component} fail with a retryable error. */
    public void failNext(final String component, final int times) {
        failuresLeft.put(component, times);
    }

    /** From now on, observe reports {@code component} as drifted until it is applied again. */
    /** Makes every apply of {@code component} take this long, as a slow installation would. */
    public void slowApply(final String component, final Duration duration) {
        applyDurations.put(component, duration);
    }

    public void drift(final String component) {
        drifted.add(component);
    }

    /** Asks the reconciler to re-check {@code component}, as a provider's watcher would. */
    public void requestReconcile(final String component, final String reason) {
        contexts.get(component).requestReconcile(reason);
    }

    public Path stateDirectory(final String component) {
        return contexts.get(component).stateDirectory();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The components of every call of {@code operation}, in call order. */
    public List<String> calls(final String operation) {
        return calls.stream()
                .filter(c -> c.operation().equals(operation))
                .map(Call::component)
                .toList();
    }

    public void clearCalls() {
        calls.clear();
    }

    @Override
    public @NotNull String kind() {
        return kind;
    }

    @Override
    public void validate(final @NotNull ComponentSpec spec) {
        calls.add(new Call("validate", spec.name()));
        if (spec.properties().has("invalid")) {
            throw new ComponentException(
                    ComponentException.Reason.INVALID_SPEC,
                    kind + " component '" + spec.name() + "' has property 'invalid', which this provider refuses");
        }
    }

    @Override
    public @NotNull String apply(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        calls.add(new Call("apply", spec.name()));
        contexts.put(spec.name(), context);
        final Duration duration = applyDurations.get(spec.name());
        if (duration != null) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while applying " + spec.name(), e);
            }
        }
        final Integer left = failuresLeft.get(spec.name());
        if (left != null && left > 0) {
            failuresLeft.put(spec.name(), left - 1);
            throw new ComponentException(
                    ComponentException.Reason.APPLY_FAILED, "simulated failure applying " + spec.name());
        }
        try {
            Files.writeString(context.stateDirectory().resolve("applied"), spec.specHash());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        drifted.remove(spec.name());
        return "applied " + spec.name();
    }

    @Override
    public @NotNull Observation observe(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        calls.add(new Call("observe", spec.name()));
        contexts.put(spec.name(), context);
        return drifted.contains(spec.name()) ? Observation.drifted("simulated drift") : Observation.inSync();
    }

    @Override
    public void remove(final @NotNull ComponentSpec spec, final @NotNull ProviderContext context) {
        calls.add(new Call("remove", spec.name()));
    }
}
