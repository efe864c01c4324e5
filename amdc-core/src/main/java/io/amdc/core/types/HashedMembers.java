package io.amdc.core.types;

import java.util.function.Consumer;

/**
 * The hashtable encoding of large sets: a {@link ProbeTable} of members. A uniform random member
 * (SPOP, SRANDMEMBER) is a random occupied slot; the table never falls below 1/10 full, so that
 * takes at most ten tries on average.
 */
final class HashedMembers extends ProbeTable {
    /** Heap bytes of the member arrays, kept current so memoryUsage() is O(1) (called per write). */
    private long memberBytes;

    HashedMembers(int expected) {
        super(expected, 0);
    }

    private HashedMembers(HashedMembers from) {
        super(from);
        memberBytes = from.memberBytes;
    }

    boolean contains(byte[] m) {
        return find(m) >= 0;
    }

    boolean add(byte[] m) {
        int h = hash(m);
        int slot = locate(m, h);
        if (slot >= 0) return false;
        claim(slot, m, h);
        memberBytes += arrayBytes(m);
        return true;
    }

    boolean remove(byte[] m) {
        int i = find(m);
        if (i < 0) return false;
        memberBytes -= arrayBytes(m);
        removeAt(i);
        return true;
    }

    /** The member at slot i, or null for a free slot (see {@link #capacity()}). */
    byte[] at(int slot) {
        return keyAt(slot);
    }

    /** A uniformly chosen member, or null when empty. */
    byte[] random() {
        int i = randomSlot();
        return i < 0 ? null : keyAt(i);
    }

    void forEach(Consumer<byte[]> action) {
        for (int i = 0, n = capacity(); i < n; i++) {
            byte[] m = keyAt(i);
            if (m != null) action.accept(m);
        }
    }

    /**
     * Visits home buckets from {@code cursor} in reverse-binary order until {@code count} members
     * were emitted or count*10 buckets were visited; returns the next cursor (0 when done).
     */
    long scan(long cursor, int count, Consumer<byte[]> action) {
        long v = cursor;
        int[] emitted = {0};
        long budget = (long) count * 10;
        do {
            v = scanStep(v, slot -> {
                action.accept(keyAt(slot));
                emitted[0]++;
            });
        } while (v != 0 && --budget > 0 && emitted[0] < count);
        return v;
    }

    long memoryUsage() {
        return 16 + tableBytes() + memberBytes;
    }

    HashedMembers copy() {
        return new HashedMembers(this);
    }
}
