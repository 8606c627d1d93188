package dev.baton.agent.internal.command;

import dev.baton.agent.internal.discovery.DiscoveryScheduler;
import dev.baton.agent.internal.outbox.OutboxTransport;
import dev.baton.agent.internal.reconcile.Reconciler;
import dev.baton.protocol.CommandRequest;
import dev.baton.protocol.CommandResponse;
import dev.baton.protocol.MessageCodec;
import dev.baton.protocol.MessageType;
import dev.baton.protocol.ProtocolException;
import dev.baton.protocol.Topics;
import java.time.Clock;
import java.util.concurrent.CompletionException;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the hub's command requests ({@code cmd/req}) on {@code cmd/res}. Responses are published directly with
 * QoS 1, not through the outbox: a response that cannot be sent before its deadline is worthless, so it is dropped.
 *
 * <p>Commands: {@code reconcile.now} runs a drift pass (observe everything, repair drift, retry failed components)
 * and answers {@code ok} with a summary; {@code inventory.snapshot} sends a complete inventory (the hub asks when a
 * delta does not follow the inventory it holds) and answers {@code ok}; any other command is answered
 * {@code unknown-command}.
 *
 * <p>Threading: {@link #onRequest} runs on an MQTT client thread and returns at once; the reconciler completes the
 * work on its own thread.
 */
public final class CommandHandler {

    public static final String RECONCILE_NOW = "reconcile.now";
    public static final String INVENTORY_SNAPSHOT = "inventory.snapshot";

    private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);

    private final MessageCodec codec;
    private final Reconciler reconciler;
    private final DiscoveryScheduler discovery;
    private final OutboxTransport transport;
    private final Clock clock;

    public CommandHandler(
            final @NotNull MessageCodec codec,
            final @NotNull Reconciler reconciler,
            final @NotNull DiscoveryScheduler discovery,
            final @NotNull OutboxTransport transport,
            final @NotNull Clock clock) {
        this.codec = codec;
        this.reconciler = reconciler;
        this.discovery = discovery;
        this.transport = transport;
        this.clock = clock;
    }

    public void onRequest(final byte @NotNull [] payload) {
        final CommandRequest request;
        try {
            request = codec.decode(payload, MessageType.COMMAND_REQUEST);
        } catch (final ProtocolException e) {
            LOG.warn("ignoring a command request that is not valid ({}): {}", e.reason(), e.getMessage());
            return;
        }
        if (expired(request)) {
            LOG.debug(
                    "ignoring command {} ({}): its deadline {} has passed",
                    request.id(),
                    request.command(),
                    request.deadline());
            return;
        }
        if (RECONCILE_NOW.equals(request.command())) {
            LOG.info("command {}: {}", request.id(), request.command());
            reconciler.reconcileNow("command " + request.id()).whenComplete((summary, error) -> {
                if (error == null) {
                    respond(request, CommandResponse.Outcome.OK, "drift pass done: " + summary);
                } else {
                    final Throwable cause =
                            error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    respond(request, CommandResponse.Outcome.FAILED, "drift pass failed: " + cause.getMessage());
                }
            });
            return;
        }
        if (INVENTORY_SNAPSHOT.equals(request.command())) {
            LOG.info("command {}: {}", request.id(), request.command());
            discovery.snapshotNow();
            respond(request, CommandResponse.Outcome.OK, "inventory snapshot queued");
            return;
        }
        respond(
                request,
                CommandResponse.Outcome.UNKNOWN_COMMAND,
                "unknown command '" + request.command() + "'; this agent supports: " + RECONCILE_NOW + ", "
                        + INVENTORY_SNAPSHOT);
    }

    private void respond(final CommandRequest request, final CommandResponse.Outcome outcome, final String message) {
        if (expired(request)) {
            LOG.debug(
                    "dropping the response to command {}: its deadline {} has passed",
                    request.id(),
                    request.deadline());
            return;
        }
        final byte[] payload =
                codec.encode(new CommandResponse(request.id(), outcome, message, null), MessageType.COMMAND_RESPONSE);
        transport.publish(Topics.Channel.COMMAND_RESPONSE, payload).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.debug("the response to command {} was not delivered: {}", request.id(), error.toString());
            }
        });
    }

    private boolean expired(final CommandRequest request) {
        return clock.instant().isAfter(request.deadline());
    }
}
