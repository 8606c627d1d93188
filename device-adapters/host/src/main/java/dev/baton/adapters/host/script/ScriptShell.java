package dev.baton.adapters.host.script;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jetbrains.annotations.NotNull;

/** The interpreter that runs a component's scripts: bash on Linux (and other POSIX hosts), PowerShell on Windows. */
enum ScriptShell {
    BASH(".sh") {
        @Override
        @NotNull
        List<String> command(final @NotNull Path scriptFile) {
            return List.of("/bin/bash", scriptFile.toString());
        }
    },
    /**
     * Windows PowerShell 5.1, present on every supported Windows. {@code -ExecutionPolicy Bypass} applies to this run
     * only: the default policy of client Windows refuses every script file, and the script's text comes from the
     * desired document, which the hub already authorised.
     */
    POWERSHELL(".ps1") {
        @Override
        @NotNull
        List<String> command(final @NotNull Path scriptFile) {
            return List.of(
                    "powershell",
                    "-NoProfile",
                    "-NonInteractive",
                    "-ExecutionPolicy",
                    "Bypass",
                    "-File",
                    scriptFile.toString());
        }
    };

    private final String fileSuffix;

    ScriptShell(final String fileSuffix) {
        this.fileSuffix = fileSuffix;
    }

    /** The command line that runs {@code scriptFile}. */
    @NotNull
    abstract List<String> command(@NotNull Path scriptFile);

    /** The suffix the script's file needs ({@code -File} insists on {@code .ps1}). */
    @NotNull
    String fileSuffix() {
        return fileSuffix;
    }

    /** The shell of the host this JVM runs on. */
    static @NotNull ScriptShell ofThisHost() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? POWERSHELL : BASH;
    }
}
