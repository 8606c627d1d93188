package dev.baton.cli;

/** Ends a CLI command with {@code exitCode} and a message on standard error. */
final class CliException extends RuntimeException {

    private final int exitCode;

    CliException(final int exitCode, final String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
