package io.amdc.core.types;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A hash set of byte strings built on parallel arrays instead of per-entry node objects.
 * Members live densely in {@code members[0..size)} so a uniform random member is one array read
 * (SPOP/SRANDMEMBER) and removal moves the last member into the hole. Buckets are power-of-two
 * chains threaded through {@code next}, so each member sits in its home bucket and SSCAN can use
 * Redis's reverse-binary cursor, which stays correct while the table grows or shrinks.
 */
final class HashedMembers {

    private byte[][] members;
    private int[] hashes;
    /** Index of the next member in the same bucket, or -1. */
    private int[] next;
    /** First member index of each bucket, or -1. */
    private int[] heads;
    private int size;
    /** Heap bytes of the member arrays, kept current so memoryUsage() is O(1) (called per write). */
    private long memberBytes;

    HashedMembers(int expected) {
        int cap = Math.max(4, Integer.highestOneBit(Math.max(1, expected - 1)) << 1);
        members = new byte[cap][];
        hashes = new int[cap];
        next = new int[cap];
        heads = new int[cap];
        Arrays.fill(heads, -1);
    }

    int size() {
        return size;
    }

    static int hash(byte[] b) {
        return io.amdc.core.util.ByteHash.hash(b);
    }

    private int find(byte[] m, int h) {
        for (int i = heads[h & (heads.length - 1)]; i >= 0; i = next[i]) {
            if (hashes[i] == h && Arrays.equals(members[i], m)) return i;
        }
        return -1;
    }

    boolean contains(byte[] m) {
        return find(m, hash(m)) >= 0;
    }

    boolean add(byte[] m) {
        int h = hash(m);
        if (find(m, h) >= 0) return false;
        if (size == members.length) resize(members.length * 2);
        members[size] = m;
        memberBytes += arrayBytes(m);
        hashes[size] = h;
        int b = h & (heads.length - 1);
        next[size] = heads[b];
        heads[b] = size;
        size++;
        return true;
    }

    boolean remove(byte[] m) {
        int h = hash(m);
        int i = find(m, h);
        if (i < 0) return false;
        unlink(i);
        memberBytes -= arrayBytes(members[i]);
        int last = size - 1;
        if (i != last) {
            // Move the last member into the hole and repoint whatever referenced it.
            unlink(last);
            members[i] = members[last];
            hashes[i] = hashes[last];
            int b = hashes[i] & (heads.length - 1);
            next[i] = heads[b];
            heads[b] = i;
        }
        members[last] = null;
        size--;
        if (members.length > 4 && size < members.length / 8) resize(members.length / 2);
        return true;
    }

    private void unlink(int i) {
        int b = hashes[i] & (heads.length - 1);
        if (heads[b] == i) {
            heads[b] = next[i];
            return;
        }
        int p = heads[b];
        while (next[p] != i) p = next[p];
        next[p] = next[i];
    }

    private void resize(int cap) {
        members = Arrays.copyOf(members, cap);
        hashes = Arrays.copyOf(hashes, cap);
        next = new int[cap];
        heads = new int[cap];
        Arrays.fill(heads, -1);
        int mask = cap - 1;
        for (int i = 0; i < size; i++) {
            int b = hashes[i] & mask;
            next[i] = heads[b];
            heads[b] = i;
        }
    }

    byte[] at(int i) {
        return members[i];
    }

    void forEach(Consumer<byte[]> action) {
        for (int i = 0; i < size; i++) action.accept(members[i]);
    }

    /**
     * Visits buckets from {@code cursor} in reverse-binary order until {@code count} members were
     * emitted or count*10 buckets were visited; returns the next cursor (0 when done).
     */
    long scan(long cursor, int count, Consumer<byte[]> action) {
        long mask = heads.length - 1;
        long v = cursor;
        int emitted = 0;
        long budget = (long) count * 10;
        do {
            for (int i = heads[(int) (v & mask)]; i >= 0; i = next[i]) {
                action.accept(members[i]);
                emitted++;
            }
            v |= ~mask;
            v = Long.reverse(v);
            v++;
            v = Long.reverse(v);
        } while (v != 0 && --budget > 0 && emitted < count);
        return v;
    }

    long memoryUsage() {
        return 16 + 4L * members.length + 3 * (16 + 4L * members.length) + memberBytes;
    }

    private static long arrayBytes(byte[] m) {
        return 16 + ((m.length + 7) & ~7);
    }

    HashedMembers copy() {
        HashedMembers c = new HashedMembers(members.length);
        for (int i = 0; i < size; i++) c.add(members[i]);
        return c;
    }
}
