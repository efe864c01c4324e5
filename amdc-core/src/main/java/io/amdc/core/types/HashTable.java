package io.amdc.core.types;

import java.util.Arrays;

/**
 * Open-addressing hash table for large hashes: parallel arrays (no entry objects), linear probing
 * with backward-shift deletion (no tombstones), optional per-field expiry times. SCAN walks home
 * buckets in reverse-binary cursor order, which keeps Redis's SCAN guarantee across resizes:
 * an entry with home bucket h always sits in the run of occupied slots starting at h.
 */
public final class HashTable {
    private byte[][] fields;
    private byte[][] values;
    private int[] hashes;
    private long[] expires; // null until a field gets a TTL; 0 = none
    private int size;
    /** Heap bytes of the field and value arrays held, kept current so memoryUsage is O(1). */
    private long dataBytes;

    public HashTable(int expected) {
        int cap = 8;
        while (cap * 3 / 4 < expected) cap <<= 1;
        alloc(cap);
    }

    private void alloc(int cap) {
        fields = new byte[cap][];
        values = new byte[cap][];
        hashes = new int[cap];
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return fields.length;
    }

    static int hash(byte[] b) {
        return io.amdc.core.util.ByteHash.hash(b);
    }

    /** Slot of field, or -1. */
    public int find(byte[] field) {
        int h = hash(field);
        int mask = fields.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            byte[] f = fields[i];
            if (f == null) return -1;
            if (hashes[i] == h && Arrays.equals(f, field)) return i;
        }
    }

    public byte[] fieldAt(int slot) {
        return fields[slot];
    }

    public byte[] valueAt(int slot) {
        return values[slot];
    }

    public void valueAt(int slot, byte[] v) {
        dataBytes += align(16 + v.length) - align(16 + values[slot].length);
        values[slot] = v;
    }

    public long expireAt(int slot) {
        return expires == null ? 0 : expires[slot];
    }

    public void expireAt(int slot, long when) {
        if (expires == null) {
            if (when == 0) return;
            expires = new long[fields.length];
        }
        expires[slot] = when;
    }

    public boolean hasExpires() {
        return expires != null;
    }

    /** Inserts or replaces; returns true when the field was new. A replaced field loses its TTL. */
    public boolean put(byte[] field, byte[] value) {
        int h = hash(field);
        int mask = fields.length - 1;
        int i = h & mask;
        for (; fields[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && Arrays.equals(fields[i], field)) {
                dataBytes += align(16 + value.length) - align(16 + values[i].length);
                values[i] = value;
                if (expires != null) expires[i] = 0;
                return false;
            }
        }
        dataBytes += align(16 + field.length) + align(16 + value.length);
        if ((size + 1) * 4 > fields.length * 3) {
            resize(fields.length * 2);
            insertNew(field, value, h, 0);
        } else {
            fields[i] = field;
            values[i] = value;
            hashes[i] = h;
            size++;
        }
        return true;
    }

    private void insertNew(byte[] field, byte[] value, int h, long exp) {
        int mask = fields.length - 1;
        int i = h & mask;
        while (fields[i] != null) i = (i + 1) & mask;
        fields[i] = field;
        values[i] = value;
        hashes[i] = h;
        if (exp != 0) expireAt(i, exp);
        size++;
    }

    private void resize(int cap) {
        byte[][] of = fields;
        byte[][] ov = values;
        int[] oh = hashes;
        long[] oe = expires;
        alloc(cap);
        expires = oe == null ? null : new long[cap];
        size = 0;
        for (int i = 0; i < of.length; i++) {
            if (of[i] != null) insertNew(of[i], ov[i], oh[i], oe == null ? 0 : oe[i]);
        }
    }

    public boolean remove(byte[] field) {
        int i = find(field);
        if (i < 0) return false;
        removeAt(i);
        return true;
    }

    /** Removes the entry at slot, shifting later members of its probe run back. */
    public void removeAt(int i) {
        dataBytes -= align(16 + fields[i].length) + align(16 + values[i].length);
        int mask = fields.length - 1;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (fields[j] == null) break;
            int k = hashes[j] & mask;
            // Move j into the hole at i unless j's home lies cyclically in (i, j].
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (stays) continue;
            fields[i] = fields[j];
            values[i] = values[j];
            hashes[i] = hashes[j];
            if (expires != null) expires[i] = expires[j];
            i = j;
        }
        fields[i] = null;
        values[i] = null;
        hashes[i] = 0;
        if (expires != null) expires[i] = 0;
        size--;
        if (fields.length > 8 && size * 10 < fields.length) resize(Math.max(8, Integer.highestOneBit(Math.max(1, size * 2)) * 2));
    }

    /** Visits the entries whose home bucket is {@code cursor & mask}; returns the next cursor (0 when done). */
    public long scanStep(long cursor, SlotVisitor v) {
        int mask = fields.length - 1;
        int home = (int) (cursor & mask);
        for (int i = home; fields[i] != null; i = (i + 1) & mask) {
            if ((hashes[i] & mask) == home) v.visit(i);
        }
        long c = cursor | ~(long) mask;
        c = Long.reverse(c);
        c++;
        return Long.reverse(c);
    }

    public interface SlotVisitor {
        void visit(int slot);
    }

    long memoryUsage() {
        return 48 + 3 * (16L + 4L * fields.length) + (expires == null ? 0 : 16 + 8L * expires.length) + dataBytes;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    HashTable copy() {
        HashTable t = new HashTable(0);
        t.fields = fields.clone();
        t.values = values.clone();
        t.hashes = hashes.clone();
        t.expires = expires == null ? null : expires.clone();
        t.size = size;
        t.dataBytes = dataBytes;
        return t;
    }
}
