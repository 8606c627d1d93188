package dev.baton.adapters.mcu;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * Where a chip's flash lies and how it is cut into erase units (pages, or sectors of different sizes on e.g. STM32F4).
 *
 * @param start the address of the first byte of flash
 * @param pages the erase units in address order; the first starts at {@code start} and each follows the previous
 */
public record FlashLayout(long start, @NotNull List<Page> pages) {

    /**
     * One erase unit.
     *
     * @param index the number the bootloader's erase command takes
     * @param address its first byte
     * @param size its length in bytes
     */
    public record Page(int index, long address, int size) {

        public long end() {
            return address + size;
        }
    }

    public FlashLayout {
        pages = List.copyOf(pages);
        if (pages.isEmpty()) {
            throw new IllegalArgumentException("a flash layout needs at least one page");
        }
        long expected = start;
        for (int i = 0; i < pages.size(); i++) {
            final Page page = Objects.requireNonNull(pages.get(i), "page");
            if (page.index() != i || page.address() != expected || page.size() <= 0) {
                throw new IllegalArgumentException(
                        "page " + i + " must start at " + expected + " with a positive size");
            }
            expected = page.end();
        }
    }

    /** {@code count} pages of {@code size} bytes from {@code start}. */
    public static @NotNull FlashLayout uniform(final long start, final int size, final int count) {
        final List<Page> pages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pages.add(new Page(i, start + (long) i * size, size));
        }
        return new FlashLayout(start, pages);
    }

    /**
     * Pages of the given sizes in order, the last size repeated until {@code totalSize} bytes are covered (as AN2606
     * lists STM32F4 sectors: 16, 16, 16, 16, 64, then 128 KiB).
     */
    public static @NotNull FlashLayout sectors(final long start, final long totalSize, final int... sizes) {
        final List<Page> pages = new ArrayList<>();
        long address = start;
        int i = 0;
        while (address < start + totalSize) {
            final int size = sizes[Math.min(i, sizes.length - 1)];
            pages.add(new Page(i, address, size));
            address += size;
            i++;
        }
        return new FlashLayout(start, pages);
    }

    /** The address just past the last byte of flash. */
    public long end() {
        return pages.get(pages.size() - 1).end();
    }

    public long size() {
        return end() - start;
    }

    /** Whether {@code [from, to)} lies inside flash. */
    public boolean covers(final long from, final long to) {
        return from >= start && to <= end() && from <= to;
    }

    /** The page holding {@code address}. */
    public @NotNull Page pageAt(final long address) {
        if (address < start || address >= end()) {
            throw new IllegalArgumentException(String.format("0x%08X is outside flash", address));
        }
        int low = 0;
        int high = pages.size() - 1;
        while (low < high) {
            final int mid = (low + high + 1) >>> 1;
            if (pages.get(mid).address() <= address) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return pages.get(low);
    }

    /** The pages holding at least one byte of {@code image}, in address order. */
    public @NotNull List<Page> pagesHolding(final @NotNull FirmwareImage image) {
        final List<Page> out = new ArrayList<>();
        for (final Page page : pages) {
            if (image.intersects(page.address(), page.end())) {
                out.add(page);
            }
        }
        return List.copyOf(out);
    }
}
