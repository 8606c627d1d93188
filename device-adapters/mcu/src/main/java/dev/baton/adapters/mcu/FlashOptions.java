package dev.baton.adapters.mcu;

import java.util.Objects;
import java.util.OptionalLong;
import org.jetbrains.annotations.NotNull;

/**
 * How to flash: immutable, checked when built. Defaults are the safe ones: erase only the pages the image covers,
 * verify, never touch read protection, do not start the application.
 *
 * @param expectedChipId the chip ID the target must report (STM32 product ID, AVR signature); when present a different
 *     chip is refused before anything is erased
 * @param eraseMode pages the image covers (default) or the whole flash
 * @param verification how the written image is confirmed (default {@link Verification#AUTO}: the bootloader's
 *     checksum where it offers one, read-back where not)
 * @param removeReadProtection allow lifting STM32 read-out protection, which mass-erases the chip (default false)
 * @param startApplication start the written application when done (STM32 Go to the image's first address; optiboot
 *     always starts it when programming mode ends)
 * @param retries how often a refused command is repeated before the flash fails, 0 to 16 (default 3)
 * @param rewriteRounds how often pages that fail verification are erased and written again, 0 to 8 (default 2)
 * @param syncAttempts how often the synchronisation sequence is sent, 1 to 100 (default 10)
 */
public record FlashOptions(
        @NotNull OptionalLong expectedChipId,
        @NotNull EraseMode eraseMode,
        @NotNull Verification verification,
        boolean removeReadProtection,
        boolean startApplication,
        int retries,
        int rewriteRounds,
        int syncAttempts) {

    public static final int MAX_RETRIES = 16;
    public static final int MAX_REWRITE_ROUNDS = 8;
    public static final int MAX_SYNC_ATTEMPTS = 100;

    public FlashOptions {
        Objects.requireNonNull(expectedChipId, "expectedChipId");
        Objects.requireNonNull(eraseMode, "eraseMode");
        Objects.requireNonNull(verification, "verification");
        if (expectedChipId.isPresent()
                && (expectedChipId.getAsLong() < 0 || expectedChipId.getAsLong() > 0xFFFFFFFFL)) {
            throw new IllegalArgumentException(
                    "expectedChipId must be from 0 to 0xFFFFFFFF, but was " + expectedChipId.getAsLong());
        }
        check("retries", retries, 0, MAX_RETRIES);
        check("rewriteRounds", rewriteRounds, 0, MAX_REWRITE_ROUNDS);
        check("syncAttempts", syncAttempts, 1, MAX_SYNC_ATTEMPTS);
    }

    /** Whether the written image is checked at all. */
    public boolean verify() {
        return verification != Verification.NONE;
    }

    /** The defaults. */
    public static @NotNull FlashOptions defaults() {
        return builder().build();
    }

    public static @NotNull Builder builder() {
        return new Builder();
    }

    private static void check(final String field, final int value, final int min, final int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be from " + min + " to " + max + ", but was " + value);
        }
    }

    /** Builds {@link FlashOptions}; not thread-safe. */
    public static final class Builder {

        private OptionalLong expectedChipId = OptionalLong.empty();
        private EraseMode eraseMode = EraseMode.PAGES;
        private Verification verification = Verification.AUTO;
        private boolean removeReadProtection;
        private boolean startApplication;
        private int retries = 3;
        private int rewriteRounds = 2;
        private int syncAttempts = 10;

        private Builder() {}

        public @NotNull Builder expectedChipId(final long chipId) {
            this.expectedChipId = OptionalLong.of(chipId);
            return this;
        }

        public @NotNull Builder eraseMode(final @NotNull EraseMode eraseMode) {
            this.eraseMode = Objects.requireNonNull(eraseMode, "eraseMode");
            return this;
        }

        /** {@code true}: {@link Verification#AUTO}; {@code false}: {@link Verification#NONE}. */
        public @NotNull Builder verify(final boolean verify) {
            this.verification = verify ? Verification.AUTO : Verification.NONE;
            return this;
        }

        public @NotNull Builder verification(final @NotNull Verification verification) {
            this.verification = Objects.requireNonNull(verification, "verification");
            return this;
        }

        public @NotNull Builder removeReadProtection(final boolean removeReadProtection) {
            this.removeReadProtection = removeReadProtection;
            return this;
        }

        public @NotNull Builder startApplication(final boolean startApplication) {
            this.startApplication = startApplication;
            return this;
        }

        public @NotNull Builder retries(final int retries) {
            this.retries = retries;
            return this;
        }

        public @NotNull Builder rewriteRounds(final int rewriteRounds) {
            this.rewriteRounds = rewriteRounds;
            return this;
        }

        public @NotNull Builder syncAttempts(final int syncAttempts) {
            this.syncAttempts = syncAttempts;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field, its limits and the value
         */
        public @NotNull FlashOptions build() {
            return new FlashOptions(
                    expectedChipId,
                    eraseMode,
                    verification,
                    removeReadProtection,
                    startApplication,
                    retries,
                    rewriteRounds,
                    syncAttempts);
        }
    }
}
