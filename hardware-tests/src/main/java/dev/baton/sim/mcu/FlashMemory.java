package dev.baton.sim.mcu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NOR flash as a bootloader sees it: erasing a page sets its bytes to 0xFF, programming can only clear bits (the
 * stored value is the AND of old and new), pages may differ in size (STM32F4 sectors). A "weak cell" fault makes
 * the first programming of one address clear more bits than asked, so only an erase and a rewrite repair it.
 *
 * <p>Threading: every method is synchronised; the device thread writes while a test reads.
 */
public final class FlashMemory {

    private final long base;
    private final long[] pageStarts;
    private final int[] pageSizes;
    private final int[] eraseCounts;
    private final byte[] cells;
    private final Map<Long, Integer> weakCells = new HashMap<>();
    private long programmedBytes;

    /** Flash at {@code base} cut into pages of {@code pageSizes}, erased. */
    public FlashMemory(final long base, final List<Integer> pageSizes) {
        this.base = base;
        this.pageSizes = pageSizes.stream().mapToInt(Integer::intValue).toArray();
        this.pageStarts = new long[this.pageSizes.length];
        long at = base;
        for (int i = 0; i < this.pageSizes.length; i++) {
            pageStarts[i] = at;
            at += this.pageSizes[i];
        }
        this.cells = new byte[(int) (at - base)];
        this.eraseCounts = new int[this.pageSizes.length];
        Arrays.fill(cells, (byte) 0xFF);
    }

    /** {@code count} pages of {@code size} bytes. */
    public static FlashMemory uniform(final long base, final int size, final int count) {
        final List<Integer> sizes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sizes.add(size);
        }
        return new FlashMemory(base, sizes);
    }

    public long base() {
        return base;
    }

    public synchronized long end() {
        return base + cells.length;
    }

    public synchronized int pageCount() {
        return pageSizes.length;
    }

    public synchronized long pageStart(final int page) {
        return pageStarts[page];
    }

    public synchronized int pageSize(final int page) {
        return pageSizes[page];
    }

    /** The index of the page holding {@code address}. */
    public synchronized int pageAt(final long address) {
        int index = Arrays.binarySearch(pageStarts, address);
        if (index < 0) {
            index = -index - 2;
        }
        return index;
    }

    public synchronized boolean contains(final long address, final long length) {
        return address >= base && length >= 0 && address + length <= base + cells.length;
    }

    public synchronized byte[] read(final long address, final int length) {
        final int from = offset(address, length);
        return Arrays.copyOfRange(cells, from, from + length);
    }

    /** Programs {@code data} at {@code address}: each byte becomes old AND new (a weak cell clears more). */
    public synchronized void program(final long address, final byte[] data) {
        final int from = offset(address, data.length);
        for (int i = 0; i < data.length; i++) {
            final Integer weak = weakCells.remove(address + i);
            final int value = data[i] & (weak == null ? 0xFF : ~weak);
            cells[from + i] &= (byte) value;
        }
        programmedBytes += data.length;
    }

    /** Puts bytes in place as if programmed long ago (the state of a chip before a test). */
    public synchronized void load(final long address, final byte[] data) {
        System.arraycopy(data, 0, cells, offset(address, data.length), data.length);
    }

    public synchronized void erasePage(final int page) {
        final int from = (int) (pageStarts[page] - base);
        Arrays.fill(cells, from, from + pageSizes[page], (byte) 0xFF);
        eraseCounts[page]++;
    }

    public synchronized void eraseAll() {
        for (int page = 0; page < pageSizes.length; page++) {
            erasePage(page);
        }
    }

    /** The next programming of {@code address} also clears the bits of {@code clearMask}; once. */
    public synchronized void weakenCell(final long address, final int clearMask) {
        weakCells.put(address, clearMask);
    }

    /** How often page {@code page} was erased since the simulator started. */
    public synchronized int eraseCount(final int page) {
        return eraseCounts[page];
    }

    /** Total erases of all pages. */
    public synchronized int totalErases() {
        return Arrays.stream(eraseCounts).sum();
    }

    /** Bytes programmed since the simulator started. */
    public synchronized long programmedBytes() {
        return programmedBytes;
    }

    /** A copy of the whole flash. */
    public synchronized byte[] contents() {
        return cells.clone();
    }

    private int offset(final long address, final int length) {
        if (!contains(address, length)) {
            throw new IllegalArgumentException(String.format(
                    "0x%08X + %d is outside flash 0x%08X..0x%08X", address, length, base, base + cells.length));
        }
        return (int) (address - base);
    }
}
