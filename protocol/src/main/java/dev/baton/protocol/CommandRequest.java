package dev.baton.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A request from the hub to one agent on {@code baton/v1/{tenant}/{node}/cmd/req}. The agent answers with a
 * {@link CommandResponse} carrying the same {@code id}, unless {@code deadline} has passed.
 */
public record CommandRequest(
        @NotNull String id, @NotNull String command, @NotNull ObjectNode args, @NotNull Instant deadline) {

    public CommandRequest(
            final @NotNull String id,
            final @NotNull String command,
            final @Nullable ObjectNode args,
            final @NotNull Instant deadline) {
        this.id = id;
        this.command = command;
        this.args = args == null ? JsonNodeFactory.instance.objectNode() : args.deepCopy();
        this.deadline = deadline;
    }

    @Override
    public @NotNull ObjectNode args() {
        return args.deepCopy();
    }
}
