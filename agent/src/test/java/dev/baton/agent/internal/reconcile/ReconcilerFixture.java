package dev.baton.agent.internal.reconcile;

import dev.baton.agent.Backoff;
import dev.baton.agent.internal.artifact.HubArtifactSource;
import dev.baton.agent.internal.outbox.NodeReporter;
import dev.baton.agent.internal.outbox.OutboxBounds;
import dev.baton.agent.internal.outbox.OutboxMessage;
import dev.baton.agent.internal.outbox.OutboxStore;
import dev.baton.agent.internal.store.AgentDatabase;
import dev.baton.agent.internal.store.StateStore;
import dev.baton.agent.testing.Documents;
import dev.baton.agent.testing.RecordingProvider;
import dev.baton.protocol.ComponentStatus;
import dev.baton.protocol.Condition;
import dev.baton.protocol.DesiredDocument;
import dev.baton.protocol.Event;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.ReportedState;
import dev.baton.protocol.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A reconciler on a real store in a temporary directory, with a recording provider of kind "test". */
final class ReconcilerFixture implements AutoCloseable {

    static final String TENANT = "default";
    static final String NODE = "edge-1";
    static final String KIND = "test";
    static final Backoff FAST_RETRY = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 0.2);

    private static final MessageCodec CODEC = new MessageCodec();

    final Path directory;
    final RecordingProvider provider;
    final OutboxStore outbox;
    final StateStore store;
    final Reconciler reconciler;
    private final AgentDatabase database;
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final ProviderRegistry providers;

    ReconcilerFixture(final Path directory, final RecordingProvider provider) {
        this(directory, provider, FAST_RETRY);
    }

    ReconcilerFixture(final Path directory, final RecordingProvider provider, final Backoff retry) {
        this.directory = directory;
        this.provider = provider;
        this.database = AgentDatabase.open(directory.resolve("agent.db"));
        this.outbox = new OutboxStore(database, new OutboxBounds(16 << 20, Duration.ofDays(7)), Clock.systemUTC());
        this.store = new StateStore(database, CODEC);
        this.providers = ProviderRegistry.create(List.of(provider.factory()), scheduler);
        this.reconciler = new Reconciler(
                new ReconcilerSettings(TENANT, NODE, componentStateRoot(), retry, null),
                store,
                new NodeReporter(outbox, CODEC, "boot-0000-test", Clock.systemUTC()),
                providers,
                new ProviderServices(
                        new HubArtifactSource(
                                null,
                                TENANT,
                                "user",
                                "password",
                                directory.resolve("artifacts"),
                                1 << 20,
                                Duration.ofSeconds(5),
                                scheduler),
                        List::of,
                        directory.resolve("secrets")),
                DesiredSection.NONE,
                CODEC,
                Clock.systemUTC());
        reconciler.start();
        idle();
    }

    Path componentStateRoot() {
        return directory.resolve("state").resolve("components");
    }

    void offer(final DesiredDocument document) {
        offer(Documents.encode(document));
    }

    void offer(final byte[] payload) {
        reconciler.offerDesired(payload);
        idle();
    }

    void idle() {
        try {
            reconciler.idle().get(10, TimeUnit.SECONDS);
        } catch (final InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("the reconciler did not become idle", e);
        }
    }

    ReportedState lastReport() {
        final List<OutboxMessage> reports = outbox.after(0, 100_000).stream()
                .filter(m -> m.channel() == Topics.Channel.REPORTED)
                .toList();
        if (reports.isEmpty()) {
            throw new AssertionError("no report in the outbox");
        }
        return CODEC.decode(reports.get(reports.size() - 1).payload(), MessageType.REPORTED);
    }

    ComponentStatus status(final String component) {
        return lastReport().components().stream()
                .filter(c -> c.name().equals(component))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no component " + component + " in " + lastReport()));
    }

    Optional<Condition> desiredAccepted() {
        return lastReport().conditions().stream()
                .filter(c -> c.type().equals(Condition.DESIRED_ACCEPTED))
                .findFirst();
    }

    List<Event> events() {
        return outbox.after(0, 100_000).stream()
                .filter(m -> m.channel() == Topics.Channel.EVENTS)
                .map(m -> CODEC.decode(m.payload(), MessageType.EVENT))
                .toList();
    }

    List<Event> events(final String type) {
        return events().stream().filter(e -> e.type().equals(type)).toList();
    }

    @Override
    public void close() {
        reconciler.close();
        providers.close();
        scheduler.shutdownNow();
        database.close();
    }
}
