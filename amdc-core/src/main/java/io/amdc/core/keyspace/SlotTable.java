package io.amdc.core.keyspace;

import io.amdc.core.memory.ObjectSizes;
import io.amdc.core.types.TypedValue;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The keys of one (database, hash slot): an open-addressing table with linear probing over
 * parallel arrays, so an entry costs three array cells plus its key and value, with no entry
 * object. Expiry times live in a parallel long[] that exists only once a key of this table has
 * a TTL. Not thread-safe: callers hold the slot's lock.
 *
 * <p>Memory accounting: {@link #bytes()} is this table's heap estimate (its arrays plus every key
 * and value), kept current on each insert, replace and removal, and every change is also added to
 * the owning database's counter ({@code sink}) so used_memory is a sum, never a walk. A string's
 * size follows from its length (strings are replaced, or changed in place without changing length).
 * An aggregate may grow in place, so the value itself remembers the size last counted for it
 * ({@link TypedValue#accountedBytes()}), and {@link #remeasure} corrects it: the dispatcher calls
 * that for the keys of every write command, skipping tables that never held an aggregate.
 */
public final class SlotTable {
    private static final int MIN_CAPACITY = 4;
    /** The table object itself: header, six references or ints, the two counters. */
    private static final long SELF = ObjectSizes.align(ObjectSizes.OBJECT_HEADER + 6L * ObjectSizes.REF + 8 + 8);

    private byte[][] keys;
    private Object[] values;
    /** LRU clock or LFU counter of each entry, see {@link AccessClock}. */
    private int[] access;
    /** Absolute expiry in unix ms, 0 for none; null until the first TTL is set. */
    private long[] expires;
    private int size;
    private int expiresCount;
    /** Set once an aggregate is stored here: string-only tables skip re-measuring. */
    private boolean holdsAggregates;
    private long bytes;
    private final LongAdder sink;

    public SlotTable(LongAdder sink) {
        this.sink = sink;
        allocate(MIN_CAPACITY);
        account(SELF + arraysBytes());
    }

    private void allocate(int capacity) {
        keys = new byte[capacity][];
        values = new Object[capacity];
        access = new int[capacity];
    }

    private void account(long delta) {
        bytes += delta;
        sink.add(delta);
    }

    private long arraysBytes() {
        int cap = keys.length;
        return ObjectSizes.refs(cap) * 2 + ObjectSizes.ints(cap)
                + (expires == null ? 0 : ObjectSizes.longs(cap));
    }

    /** Heap estimate of this table: arrays, keys and values. */
    public long bytes() {
        return bytes;
    }

    /** The table's own structure (object, key/value/access cells), without keys, values or expiries. */
    public long mainOverhead() {
        int cap = keys.length;
        return SELF + ObjectSizes.refs(cap) * 2 + ObjectSizes.ints(cap);
    }

    /** The expiry array, when this table has one. */
    public long expiresOverhead() {
        return expires == null ? 0 : ObjectSizes.longs(keys.length);
    }

    public boolean hasAggregates() {
        return holdsAggregates;
    }

    /** Size of the entry at {@code i} (key and value, not the table cells). */
    public long entryBytes(int i) {
        return ObjectSizes.bytes(keys[i].length) + valueBytes(i);
    }

    private long valueBytes(int i) {
        Object v = values[i];
        return v instanceof byte[] b ? ObjectSizes.bytes(b.length) : ((TypedValue) v).accountedBytes();
    }

    /** Records the size of a newly stored value at {@code i} and returns it. */
    private long measureNew(int i, Object v) {
        if (v instanceof byte[] b) return ObjectSizes.bytes(b.length);
        TypedValue tv = (TypedValue) v;
        holdsAggregates = true;
        long m = Math.min(Integer.MAX_VALUE, tv.memoryUsage());
        tv.accountedBytes((int) m);
        return m;
    }

    /** Re-measures an aggregate changed in place; returns the size change. */
    public long remeasure(int i) {
        if (!(values[i] instanceof TypedValue tv)) return 0;
        long m = Math.min(Integer.MAX_VALUE, tv.memoryUsage());
        long delta = m - tv.accountedBytes();
        if (delta != 0) {
            tv.accountedBytes((int) m);
            account(delta);
        }
        return delta;
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
        long old = valueBytes(i);
        values[i] = v;
        account(measureNew(i, v) - old);
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
            long before = arraysBytes();
            expires = new long[keys.length];
            account(arraysBytes() - before);
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
        account(ObjectSizes.bytes(key.length) + measureNew(i, value));
        return i;
    }

    /** Removes the entry at {@code i}, closing the gap by shifting later probe-chain entries back. */
    public void removeAt(int i) {
        if (expires != null && expires[i] != 0) expiresCount--;
        account(-entryBytes(i));
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
        long before = arraysBytes();
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
        account(arraysBytes() - before);
    }

    /** Takes this table's bytes out of its database's count (the table is being dropped whole). */
    void release() {
        sink.add(-bytes);
        bytes = 0;
    }
}
