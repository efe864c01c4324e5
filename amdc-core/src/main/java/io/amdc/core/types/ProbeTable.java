package io.amdc.core.types;

import io.amdc.core.util.ByteHash;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The linear-probing core of the large set and hash encodings ({@link HashedMembers},
 * {@link HashTable}). Keys sit in a power-of-two table with their hashes in a parallel
 * {@code int[]} where 0 marks a free slot, so a probe reads the hash array alone (sixteen slots a
 * cache line) and touches a key only when its hash matches. A lookup in a large table is then
 * three cache misses: hash, cell, key bytes. The chained table it replaced took four (bucket head,
 * chain link, member reference, member bytes), and each miss is a full memory latency in a server
 * whose request path evicts the table between commands.
 *
 * <p>Each slot owns {@code 1 << shift} consecutive references in {@code cells}: the key first, then
 * its companions (a hash's value sits beside its field, in the same cache line). No tombstones:
 * removal shifts later members of the probe run back. SCAN walks home buckets in reverse-binary
 * cursor order, which keeps Redis's SCAN guarantee across resizes: an entry whose home bucket is h
 * always sits in the run of occupied slots that starts at h.
 */
abstract class ProbeTable {
    private static final int MIN_CAPACITY = 8;

    /** Hash of each slot's key; 0 for a free slot (a key hashing to 0 is stored as 1). */
    int[] hashes;
    /** Slot i's key at {@code cells[i << shift]}, its companions after it. */
    Object[] cells;
    final int shift;
    int size;

    ProbeTable(int expected, int shift) {
        this.shift = shift;
        int cap = MIN_CAPACITY;
        while (cap * 3 / 4 < expected) cap <<= 1;
        hashes = new int[cap];
        cells = new Object[cap << shift];
    }

    /** A table with the same shape and contents (the key and value arrays themselves are shared). */
    ProbeTable(ProbeTable from) {
        shift = from.shift;
        hashes = from.hashes.clone();
        cells = from.cells.clone();
        size = from.size;
    }

    static int hash(byte[] k) {
        int h = ByteHash.hash(k);
        return h == 0 ? 1 : h;
    }

    public final int size() {
        return size;
    }

    /** Number of slots; walk {@code 0 <= i < capacity()} and skip slots where {@link #keyAt} is null. */
    public final int capacity() {
        return hashes.length;
    }

    final byte[] keyAt(int slot) {
        return (byte[]) cells[slot << shift];
    }

    /** Slot of the key with hash h, or {@code ~slot} of the free slot that ends its probe run. */
    final int locate(byte[] k, int h) {
        int[] hs = hashes;
        int mask = hs.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int x = hs[i];
            if (x == 0) return ~i;
            if (x == h && Arrays.equals((byte[]) cells[i << shift], k)) return i;
        }
    }

    /** Slot of k, or -1. */
    public final int find(byte[] k) {
        int i = locate(k, hash(k));
        return i < 0 ? -1 : i;
    }

    /**
     * Stores a new key at the free slot {@code ~located} that {@link #locate} returned for it,
     * growing first when the table would pass 3/4 full; returns the key's slot.
     */
    final int claim(int located, byte[] k, int h) {
        int slot;
        if ((size + 1) * 4 > hashes.length * 3) {
            resize(hashes.length * 2);
            slot = freeSlot(h);
        } else {
            slot = ~located;
        }
        hashes[slot] = h;
        cells[slot << shift] = k;
        size++;
        return slot;
    }

    private int freeSlot(int h) {
        int mask = hashes.length - 1;
        int i = h & mask;
        while (hashes[i] != 0) i = (i + 1) & mask;
        return i;
    }

    /**
     * Removes the entry at slot i, shifting later members of its probe run back; may shrink.
     * Subclasses that account their keys' bytes do so before calling this.
     */
    final void removeAt(int i) {
        int mask = hashes.length - 1;
        int width = 1 << shift;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            int hj = hashes[j];
            if (hj == 0) break;
            int home = hj & mask;
            // j stays unless its home lies cyclically outside (i, j]: then it moves into the hole.
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (stays) continue;
            hashes[i] = hj;
            System.arraycopy(cells, j << shift, cells, i << shift, width);
            moved(j, i);
            i = j;
        }
        hashes[i] = 0;
        Arrays.fill(cells, i << shift, (i + 1) << shift, null);
        cleared(i);
        size--;
        shrinkIfSparse();
    }

    /**
     * Halves the table down to about 1/4 full once it is under 1/10 full. Removals call it; so does
     * a command that may have sized a new table for more keys than it brought (SADD presizes for
     * its argument count), which keeps every table at least 1/10 full.
     */
    final void shrinkIfSparse() {
        if (hashes.length > MIN_CAPACITY && size * 10 < hashes.length) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size * 2)) * 2));
        }
    }

    private void resize(int cap) {
        int[] oldHashes = hashes;
        Object[] oldCells = cells;
        int width = 1 << shift;
        hashes = new int[cap];
        cells = new Object[cap << shift];
        resizing(cap);
        int mask = cap - 1;
        for (int i = 0; i < oldHashes.length; i++) {
            int h = oldHashes[i];
            if (h == 0) continue;
            int n = h & mask;
            while (hashes[n] != 0) n = (n + 1) & mask;
            hashes[n] = h;
            System.arraycopy(oldCells, i << shift, cells, n << shift, width);
            relocated(i, n);
        }
        resized();
    }

    /** Hooks for per-slot data kept outside {@code cells} (a hash's field TTLs). */
    void moved(int from, int to) {
    }

    void cleared(int slot) {
    }

    void resizing(int newCapacity) {
    }

    void relocated(int oldSlot, int newSlot) {
    }

    void resized() {
    }

    /**
     * A uniformly chosen occupied slot; -1 when empty. The table is at least 1/10 full (see
     * {@link #shrinkIfSparse}), so that takes at most ten probes on average.
     */
    final int randomSlot() {
        if (size == 0) return -1;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int mask = hashes.length - 1;
        while (true) {
            int i = rnd.nextInt() & mask;
            if (hashes[i] != 0) return i;
        }
    }

    public interface SlotVisitor {
        void visit(int slot);
    }

    /** Visits the entries whose home bucket is {@code cursor & mask}; returns the next cursor (0 when done). */
    public final long scanStep(long cursor, SlotVisitor v) {
        int mask = hashes.length - 1;
        int home = (int) (cursor & mask);
        for (int i = home; hashes[i] != 0; i = (i + 1) & mask) {
            if ((hashes[i] & mask) == home) v.visit(i);
        }
        long c = cursor | ~(long) mask;
        c = Long.reverse(c);
        c++;
        return Long.reverse(c);
    }

    /** Heap bytes of the two arrays. */
    final long tableBytes() {
        return 2 * 16L + 4L * hashes.length + 4L * cells.length;
    }

    static long arrayBytes(byte[] b) {
        return (16 + b.length + 7) & ~7L;
    }
}
