package dev.baton.adapters.mcu.internal;

import dev.baton.adapters.mcu.FirmwareImage;
import dev.baton.adapters.mcu.FlashLayout;
import dev.baton.adapters.mcu.ImageSegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Cuts an image into the blocks a bootloader writes: aligned to {@code block} bytes, trimmed to the image's bytes
 * (rounded out to {@code alignment}), with 0xFF (erased flash) filling gaps inside a block.
 */
final class WriteWindows {

    /**
     * One write command's worth.
     *
     * @param address first byte, a multiple of the alignment
     * @param data the bytes to write, a multiple of the alignment long
     */
    record Window(long address, byte[] data) {

        long end() {
            return address + data.length;
        }
    }

    private WriteWindows() {}

    static List<Window> of(final FirmwareImage image, final int block, final int alignment) {
        final TreeMap<Long, long[]> spans = new TreeMap<>();
        for (final ImageSegment segment : image.segments()) {
            long address = segment.address();
            while (address < segment.end()) {
                final long blockStart = address - Math.floorMod(address, block);
                final long to = Math.min(segment.end(), blockStart + block);
                spans.merge(blockStart, new long[] {address, to}, (a, b) ->
                        new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
                address = to;
            }
        }
        final List<Window> windows = new ArrayList<>(spans.size());
        spans.forEach((blockStart, span) -> {
            final long from = span[0] - Math.floorMod(span[0], alignment);
            final long to = span[1] + Math.floorMod(-span[1], alignment);
            windows.add(new Window(from, image.read(from, (int) (to - from), (byte) 0xFF)));
        });
        return List.copyOf(windows);
    }

    /** Whether the window holds nothing but 0xFF, what erased flash reads. */
    static boolean erased(final Window window) {
        for (final byte b : window.data()) {
            if (b != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** The pages {@code windows} touch, by index. */
    static TreeSet<Integer> pagesOf(final Collection<Window> windows, final FlashLayout layout) {
        final TreeSet<Integer> pages = new TreeSet<>();
        for (final Window window : windows) {
            for (long a = window.address(); a < window.end(); ) {
                final FlashLayout.Page page = layout.pageAt(a);
                pages.add(page.index());
                a = page.end();
            }
        }
        return pages;
    }

    /** The windows that touch any of {@code pages}. */
    static List<Window> touching(
            final List<Window> windows, final Collection<Integer> pages, final FlashLayout layout) {
        final List<Window> out = new ArrayList<>();
        for (final Window window : windows) {
            if (!java.util.Collections.disjoint(pagesOf(List.of(window), layout), pages)) {
                out.add(window);
            }
        }
        return out;
    }
}
