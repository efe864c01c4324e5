package io.amdc.core.keyspace;

import java.util.Arrays;

/**
 * Memory for packed cells (a small string together with its key), carved out of large
 * {@code byte[]} pages instead of one array object per key.
 *
 * <p>Why: in a cache every new key outlives the young generation. With one array per key, each
 * young collection copied every key written since the last one and scanned the old tables' cards
 * that pointed at them (under eviction: 25 MB copied per collection, 18-28 ms pauses), and evicted
 * or overwritten keys died at random inside old regions, which only mixed collections reclaim.
 * A page is one primitive array the collector never looks into; a key costs an int address in
 * its table, and a freed cell is reused by the next cell of its size.
 *
 * <p>Addresses are ints in 8-byte units: the page is {@code addr >>> UNIT_SHIFT}, the byte offset
 * {@code (addr & UNIT_MASK) << 3}. Address 0 is never handed out, so it can mean "no cell". Cells
 * are rounded up to 8 bytes; each size has a free list threaded through its free cells (the
 * first 4 bytes hold the next address), refilled from the current page when empty.
 *
 * <p>Thread safety: allocating and freeing lock the slab (held for a few loads and stores); a
 * cell's content is read and written only by the holder of its slot's lock, who allocated it.
 */
public final class CellSlab {
    /** 256 KB pages: under G1's humongous threshold with the launcher's 1 MB regions. */
    static final int PAGE_SHIFT = 18;
    static final int PAGE_BYTES = 1 << PAGE_SHIFT;
    static final int UNIT_SHIFT = PAGE_SHIFT - 3;
    static final int UNIT_MASK = (1 << UNIT_SHIFT) - 1;
    /** 2^31 units of 8 bytes: 16 GB of cells, beyond any heap with compressed references. */
    static final int MAX_PAGES = 1 << (31 - UNIT_SHIFT);
    /** Largest cell; a bigger key and value are stored apart (see SlotTable). */
    public static final int MAX_CELL = 256;
    private static final int CLASSES = MAX_CELL / 8 + 1;
    /** Cells carved at once when a size's free list runs dry. */
    private static final int REFILL = 32;

    private volatile byte[][] pages = new byte[4][];
    private int pageCount;
    /** Next free unit in the newest page, as an address; 0 before the first page. */
    private int bump;
    private final int[] freeHead = new int[CLASSES];
    private long liveCells, liveBytes, pageBytes;

    /** Rounded size of a cell of {@code length} bytes. */
    public static int cellBytes(int length) {
        return (length + 7) & ~7;
    }

    /** A cell of at least {@code length} bytes (at most {@link #MAX_CELL}); returns its address. */
    public synchronized int allocate(int length) {
        int units = (length + 7) >>> 3;
        int a = freeHead[units];
        if (a == 0) a = refill(units);
        freeHead[units] = readInt(page(a), offset(a));
        liveCells++;
        liveBytes += (long) units << 3;
        return a;
    }

    /** Returns the cell at {@code addr}, which held {@code length} bytes, to its free list. */
    public synchronized void free(int addr, int length) {
        int units = (length + 7) >>> 3;
        writeInt(page(addr), offset(addr), freeHead[units]);
        freeHead[units] = addr;
        liveCells--;
        liveBytes -= (long) units << 3;
    }

    /** Carves up to {@link #REFILL} cells of {@code units} from the current page (or a new one). */
    private int refill(int units) {
        if (bump == 0 || (bump & UNIT_MASK) + units > UNIT_MASK + 1) newPage();
        int room = (UNIT_MASK + 1 - (bump & UNIT_MASK)) / units;
        int n = Math.min(REFILL, room);
        int first = bump;
        for (int k = 0; k < n; k++) {
            int a = bump;
            bump += units;
            writeInt(page(a), offset(a), k == n - 1 ? 0 : bump);
        }
        // A page left with less than one cell of this size keeps its tail unused.
        if ((bump & UNIT_MASK) == 0) bump = 0;
        return first;
    }

    private void newPage() {
        if (pageCount == MAX_PAGES) throw new OutOfMemoryError("cell slab full (16 GB of small strings)");
        byte[][] ps = pages;
        if (pageCount == ps.length) ps = Arrays.copyOf(ps, Math.min(MAX_PAGES, ps.length * 2));
        // Page 0 starts at unit 1: address 0 stays "no cell".
        ps[pageCount] = new byte[PAGE_BYTES];
        pages = ps;
        bump = pageCount == 0 ? 1 : pageCount << UNIT_SHIFT;
        pageCount++;
        pageBytes += PAGE_BYTES;
    }

    /** Drops every page once no cell is in use (after FLUSHALL), so the heap can shrink. */
    public synchronized void releaseIfEmpty() {
        if (liveCells != 0 || pageCount == 0) return;
        pages = new byte[4][];
        pageCount = 0;
        bump = 0;
        pageBytes = 0;
        Arrays.fill(freeHead, 0);
    }

    public byte[] page(int addr) {
        return pages[addr >>> UNIT_SHIFT];
    }

    public static int offset(int addr) {
        return (addr & UNIT_MASK) << 3;
    }

    public synchronized long liveCells() {
        return liveCells;
    }

    /** Bytes of the cells in use (rounded sizes). */
    public synchronized long liveBytes() {
        return liveBytes;
    }

    /** Bytes of all pages: cells in use, free cells and unused page tails. */
    public synchronized long pageBytes() {
        return pageBytes;
    }

    private static int readInt(byte[] p, int off) {
        return (p[off] & 0xff) | (p[off + 1] & 0xff) << 8 | (p[off + 2] & 0xff) << 16 | (p[off + 3] & 0xff) << 24;
    }

    private static void writeInt(byte[] p, int off, int v) {
        p[off] = (byte) v;
        p[off + 1] = (byte) (v >>> 8);
        p[off + 2] = (byte) (v >>> 16);
        p[off + 3] = (byte) (v >>> 24);
    }
}
