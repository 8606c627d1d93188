package dev.baton.adapters.host.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.jetbrains.annotations.NotNull;

/**
 * Turns an {@link IOException} into the "why" of an operator-facing message. The NIO exceptions for the commonest
 * failures carry only the path and leave the reason to their type ({@code AccessDeniedException: /etc/x}), which
 * reads as no reason at all once it is in a component's reported message.
 */
public final class IoFailures {

    private IoFailures() {}

    public static @NotNull String describe(final @NotNull IOException failure) {
        if (failure instanceof FileSystemException fileSystemFailure && fileSystemFailure.getReason() == null) {
            final String reason = reasonOf(fileSystemFailure);
            if (reason != null) {
                final String file = fileSystemFailure.getFile();
                return file == null ? reason : file + ": " + reason;
            }
        }
        final String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    private static String reasonOf(final FileSystemException failure) {
        if (failure instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (failure instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (failure instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (failure instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (failure instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        return null;
    }
}
