package io.amdc.core.keyspace;

import java.util.Arrays;

/**
 * The keys of one (database, hash slot): an open-addressing table with linear probing over
 * parallel arrays, so an entry costs three array cells plus its key and value, with no entry
 * object. Expiry times live in a parallel long[] that exists only once a key of this table has
 * a TTL. Not thread-safe: callers hold the slot's lock.
 */
public final class SlotTable {
    private static final int MIN_CAPACITY = 4;

    private byte[][] keys;
    private Object[] values;
    /** LRU clock or LFU counter of each entry, see {@link AccessClock}. */
    private int[] access;
    /** Absolute expiry in unix ms, 0 for none; null until the first TTL is set. */
    private long[] expires;
    private int size;
    private int expiresCount;

    public SlotTable() {
        allocate(MIN_CAPACITY);
    }

    private void allocate(int capacity) {
        keys = new byte[capacity][];
        values = new Object[capacity];
        access = new int[capacity];
    }

    public int size() {
        return size;
    }

    public int expiresCount() {
        return expiresCount;
    }

    public int capacity() {
        return keys.length;
    }

    static int hash(byte[] k) {
        // FNV-1a with a final avalanche: keys in one table share their CRC16, so that cannot be used.
        int h = 0x811c9dc5;
        for (byte b : k) {
            h = (h ^ b) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }

    /** Index of {@code key}, or -1. */
    public int find(byte[] key) {
        byte[][] ks = keys;
        int mask = ks.length - 1;
        int i = hash(key) & mask;
        while (true) {
            byte[] k = ks[i];
            if (k == null) return -1;
            if (k.length == key.length && Arrays.equals(k, key)) return i;
            i = (i + 1) & mask;
        }
    }

    public byte[] keyAt(int i) {
        return keys[i];
    }

    public Object valueAt(int i) {
        return values[i];
    }

    public void valueAt(int i, Object v) {
        values[i] = v;
    }

    public int accessAt(int i) {
        return access[i];
    }

    public void accessAt(int i, int v) {
        access[i] = v;
    }

    public long expireAt(int i) {
        return expires == null ? 0 : expires[i];
    }

    public void expireAt(int i, long when) {
        if (expires == null) {
            if (when == 0) return;
            expires = new long[keys.length];
        }
        long old = expires[i];
        if (old == 0 && when != 0) expiresCount++;
        else if (old != 0 && when == 0) expiresCount--;
        expires[i] = when;
    }

    /** Inserts a new key (caller checked it is absent) and returns its index. */
    public int insert(byte[] key, Object value, int accessValue) {
        if ((size + 1) * 4 > keys.length * 3) {
            resize(keys.length * 2);
        }
        byte[][] ks = keys;
        int mask = ks.length - 1;
        int i = hash(key) & mask;
        while (ks[i] != null) i = (i + 1) & mask;
        ks[i] = key;
        values[i] = value;
        access[i] = accessValue;
        size++;
        return i;
    }

    /** Removes the entry at {@code i}, closing the gap by shifting later probe-chain entries back. */
    public void removeAt(int i) {
        if (expires != null && expires[i] != 0) expiresCount--;
        byte[][] ks = keys;
        int mask = ks.length - 1;
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            byte[] k = ks[j];
            if (k == null) break;
            int home = hash(k) & mask;
            // Move k into the hole when its home position does not lie cyclically in (hole, j].
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                ks[hole] = k;
                values[hole] = values[j];
                access[hole] = access[j];
                if (expires != null) expires[hole] = expires[j];
                hole = j;
            }
        }
        ks[hole] = null;
        values[hole] = null;
        access[hole] = 0;
        if (expires != null) expires[hole] = 0;
        size--;
        if (keys.length > MIN_CAPACITY && size * 8 < keys.length) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size) * 2) * 2));
        }
    }

    private void resize(int capacity) {
        byte[][] oks = keys;
        Object[] ovs = values;
        int[] oac = access;
        long[] oex = expires;
        allocate(capacity);
        long[] nex = oex == null || expiresCount == 0 ? null : new long[capacity];
        expires = nex;
        int mask = capacity - 1;
        for (int i = 0; i < oks.length; i++) {
            byte[] k = oks[i];
            if (k == null) continue;
            int j = hash(k) & mask;
            while (keys[j] != null) j = (j + 1) & mask;
            keys[j] = k;
            values[j] = ovs[i];
            access[j] = oac[i];
            if (nex != null) nex[j] = oex[i];
        }
    }

    /** Removes everything. */
    public void clear() {
        allocate(MIN_CAPACITY);
        expires = null;
        size = 0;
        expiresCount = 0;
    }
}
