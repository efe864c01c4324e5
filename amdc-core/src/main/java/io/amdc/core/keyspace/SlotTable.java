package io.amdc.core.keyspace;

import io.amdc.core.memory.ObjectSizes;
import io.amdc.core.types.TypedValue;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The keys of one (database, hash slot): an open-addressing table with linear probing over two
 * parallel arrays, with no per-entry object for small strings. Not thread-safe: callers hold the
 * slot's lock.
 *
 * <p>Layout. {@code entries[i]} is null (free), a <em>packed</em> {@code byte[]} holding a string
 * key and its value together ({@code varint keyLength, key, value}: one array header and one
 * reference per key instead of two of each), or a value that is not packed (aggregates, and
 * strings longer than {@link #PACK_MAX_VALUE}, which readers then get without a copy) whose key is
 * in the parallel {@code keys[i]}. That array exists only once the table holds an unpacked value,
 * and {@code keys[i] != null} is what marks cell i unpacked: a key costs one 4-byte cell there
 * instead of a 16-byte pairing object per key (100k small sets: 1.6 bytes per member).
 * {@code meta[i]} holds the entry's 24-bit access word (LRU clock or LFU
 * counter, see {@link AccessClock}) under an 8-bit tag taken from the key's hash, never zero for
 * a used cell: probing reads the int array and only follows an entry whose tag matches, so long
 * probe runs stay cheap and the table can run at a high load. Capacities are not powers of two
 * (a key's home cell is {@code hash * capacity >>> 32}), so growth steps can be small. Expiry
 * times live in a parallel {@code long[]} that exists only once a key of this table has a TTL.
 *
 * <p>Readers see plain values: {@link #valueAt} returns a packed string as a fresh copy of its
 * bytes, so a caller that changes a string in place must store it back (Db#update).
 *
 * <p>Memory accounting: {@link #bytes()} is this table's heap estimate (its arrays plus every
 * entry), kept current on each insert, replace and removal, and every change is also added to the
 * owning database's counter ({@code sink}) so used_memory is a sum, never a walk. An aggregate may
 * grow in place, so the value itself remembers the size last counted for it
 * ({@link TypedValue#accountedBytes()}), and {@link #remeasure} corrects it: the dispatcher calls
 * that for the keys of every write command, skipping tables that never held an aggregate.
 */
public final class SlotTable {
    private static final int MIN_CAPACITY = 4;
    /** Strings up to this many bytes are packed with their key (a read then copies them out). */
    static final int PACK_MAX_VALUE = 128;
    /** Grow past 4/5 full: tags keep the longer probe runs of a loaded table to one int read per cell. */
    private static final int LOAD_NUM = 4;
    private static final int LOAD_DEN = 5;
    private static final int TAG_SHIFT = 24;
    private static final int WORD_MASK = (1 << TAG_SHIFT) - 1;
    /** The table object itself: header, six references, three ints, a boolean, a long. */
    private static final long SELF = ObjectSizes.align(ObjectSizes.OBJECT_HEADER + 6L * ObjectSizes.REF + 3 * 4 + 1 + 8);

    /** Packed cells (byte[]) and unpacked values, see the class comment. */
    private Object[] entries;
    /** Keys of the unpacked cells (null for packed and free ones); null until the first one. */
    private byte[][] keys;
    /** Tag (high 8 bits, 0 only for a free cell) and access word (low 24 bits) of each cell. */
    private int[] meta;
    /** Absolute expiry in unix ms, 0 for none; null until the first TTL is set. */
    private long[] expires;
    private int size;
    private int expiresCount;
    /** Set once an aggregate is stored here: string-only tables skip re-measuring. */
    private boolean holdsAggregates;
    private long bytes;
    /**
     * The key array of the last {@link #find(byte[])} that hit, and its cell, until the table next
     * inserts or removes: a write command looks its key up, then the dispatcher looks it up again
     * to re-measure the value (and some commands read, then store). Key arrays are a command's own
     * arguments, so the same array means the same key. Only aggregate hits are remembered, the
     * only ones re-measured: the argument is young and the table old, so every remembered key
     * dirties a card that the next young collection scans (a SET -P 16 load with the memo on
     * every hit had 20k old-to-young roots per collection instead of 4.6k, pauses 4.7 ms, not 2.6).
     */
    private byte[] lastKey;
    private int lastIndex;
    private final LongAdder sink;

    public SlotTable(LongAdder sink) {
        this.sink = sink;
        entries = new Object[MIN_CAPACITY];
        meta = new int[MIN_CAPACITY];
        account(SELF + arraysBytes());
    }

    private void account(long delta) {
        bytes += delta;
        sink.add(delta);
    }

    private long arraysBytes() {
        int cap = meta.length;
        return ObjectSizes.refs(cap) + ObjectSizes.ints(cap) + (keys == null ? 0 : ObjectSizes.refs(cap))
                + (expires == null ? 0 : ObjectSizes.longs(cap));
    }

    /** Heap estimate of this table: arrays and entries. */
    public long bytes() {
        return bytes;
    }

    /** The table's own structure (object, entry/meta/key cells), without entries or expiries. */
    public long mainOverhead() {
        int cap = meta.length;
        return SELF + ObjectSizes.refs(cap) + ObjectSizes.ints(cap) + (keys == null ? 0 : ObjectSizes.refs(cap));
    }

    /** The expiry array, when this table has one. */
    public long expiresOverhead() {
        return expires == null ? 0 : ObjectSizes.longs(meta.length);
    }

    public boolean hasAggregates() {
        return holdsAggregates;
    }

    /** Whether used cell {@code i} holds a packed key and string. */
    private boolean packed(int i) {
        return keys == null || keys[i] == null;
    }

    /** Size of the entry at {@code i}: its packed array, or its key and value. */
    public long entryBytes(int i) {
        Object e = entries[i];
        if (packed(i)) return ObjectSizes.bytes(((byte[]) e).length);
        return ObjectSizes.bytes(keys[i].length) + valueBytes(e);
    }

    /** What MEMORY USAGE reports: the entry plus its own cells (references, meta word, expiry if set). */
    public long usage(int i) {
        return entryBytes(i) + ObjectSizes.REF + 4 + (packed(i) ? 0 : ObjectSizes.REF) + (expireAt(i) != 0 ? 8 : 0);
    }

    private static long valueBytes(Object v) {
        return v instanceof byte[] b ? ObjectSizes.bytes(b.length) : ((TypedValue) v).accountedBytes();
    }

    /** Records the size of a newly stored unpacked value and returns it. */
    private long measureNew(Object v) {
        if (v instanceof byte[] b) return ObjectSizes.bytes(b.length);
        TypedValue tv = (TypedValue) v;
        holdsAggregates = true;
        long m = Math.min(Integer.MAX_VALUE, tv.memoryUsage());
        tv.accountedBytes((int) m);
        return m;
    }

    /** Re-measures an aggregate changed in place; returns the size change. */
    public long remeasure(int i) {
        if (packed(i) || !(entries[i] instanceof TypedValue tv)) return 0;
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

    /** Number of cells; walk {@code 0 <= i < capacity()} and skip cells where {@link #used} is false. */
    public int capacity() {
        return meta.length;
    }

    public boolean used(int i) {
        return meta[i] != 0;
    }

    static int hash(byte[] k, int off, int len) {
        return io.amdc.core.util.ByteHash.hash(k, off, len);
    }

    /** Home cell: the high bits of the hash scaled to the capacity. */
    private static int home(int h, int cap) {
        return (int) (((h & 0xffffffffL) * cap) >>> 32);
    }

    /** Tag from the low bits (independent of the home cell's high bits), never 0. */
    private static int tag(int h) {
        int t = h & 0xff;
        return (t == 0 ? 1 : t) << TAG_SHIFT;
    }

    // Packed layout: LEB128 key length, key, value.

    private static int keyLength(byte[] p) {
        int b = p[0];
        if (b >= 0) return b;
        int n = b & 0x7f;
        for (int j = 1, shift = 7; ; j++, shift += 7) {
            b = p[j];
            n |= (b & 0x7f) << shift;
            if (b >= 0) return n;
        }
    }

    private static int varintSize(int n) {
        int s = 1;
        while ((n >>>= 7) != 0) s++;
        return s;
    }

    private static byte[] pack(byte[] key, int keyOff, int keyLen, byte[] value) {
        int hdr = varintSize(keyLen);
        byte[] p = new byte[hdr + keyLen + value.length];
        int n = keyLen;
        int j = 0;
        while ((n & ~0x7f) != 0) {
            p[j++] = (byte) ((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        p[j] = (byte) n;
        System.arraycopy(key, keyOff, p, hdr, keyLen);
        System.arraycopy(value, 0, p, hdr + keyLen, value.length);
        return p;
    }

    private static boolean packable(Object v) {
        return v instanceof byte[] b && b.length <= PACK_MAX_VALUE;
    }

    /** Hash of the key in a cell: packed ({@code k == null}, key inside {@code e}) or {@code k}. */
    private static int hashOf(Object e, byte[] k) {
        if (k == null) {
            byte[] p = (byte[]) e;
            int kl = keyLength(p);
            return hash(p, varintSize(kl), kl);
        }
        return hash(k, 0, k.length);
    }

    private static boolean keyEquals(Object e, byte[] k, byte[] key, int len) {
        if (k == null) {
            byte[] p = (byte[]) e;
            int kl = keyLength(p);
            if (kl != len) return false;
            int off = varintSize(kl);
            return Arrays.equals(p, off, off + kl, key, 0, kl);
        }
        return k.length == len && Arrays.equals(k, 0, len, key, 0, len);
    }

    /** Stores cell {@code i}'s content: packed with its key when small enough, else the value with the key beside it. */
    private void store(int i, byte[] key, int keyOff, int keyLen, Object value) {
        if (packable(value)) {
            byte[] p = pack(key, keyOff, keyLen, (byte[]) value);
            entries[i] = p;
            if (keys != null) keys[i] = null;
            return;
        }
        if (keys == null) {
            long before = arraysBytes();
            keys = new byte[meta.length][];
            account(arraysBytes() - before);
        }
        keys[i] = keyOff == 0 && keyLen == key.length ? key : Arrays.copyOfRange(key, keyOff, keyOff + keyLen);
        entries[i] = value;
    }

    /** Index of {@code key}, or -1. */
    public int find(byte[] key) {
        if (key == lastKey) return lastIndex;
        int i = find(key, key.length);
        if (i >= 0 && keys != null && keys[i] != null) {
            lastKey = key;
            lastIndex = i;
        }
        return i;
    }

    /** Index of the key held in {@code key[0, len)}, or -1. */
    public int find(byte[] key, int len) {
        int h = hash(key, 0, len);
        int tag = tag(h);
        int[] m = meta;
        Object[] es = entries;
        byte[][] ks = keys;
        int cap = m.length;
        int i = home(h, cap);
        while (true) {
            int w = m[i];
            if (w == 0) return -1;
            if ((w & ~WORD_MASK) == tag && keyEquals(es[i], ks == null ? null : ks[i], key, len)) return i;
            if (++i == cap) i = 0;
        }
    }

    /** Length of the key at used cell {@code i}. */
    public int keyLength(int i) {
        return packed(i) ? keyLength((byte[]) entries[i]) : keys[i].length;
    }

    /** Copies the key at used cell {@code i} into {@code dst} (at least {@link #keyLength(int)} long), without allocating. */
    public void copyKey(int i, byte[] dst) {
        if (packed(i)) {
            byte[] p = (byte[]) entries[i];
            int kl = keyLength(p);
            System.arraycopy(p, varintSize(kl), dst, 0, kl);
        } else {
            System.arraycopy(keys[i], 0, dst, 0, keys[i].length);
        }
    }

    /** Whether used cell {@code i} holds the key in {@code key[0, len)}. */
    public boolean keyEquals(int i, byte[] key, int len) {
        return keyEquals(entries[i], keys == null ? null : keys[i], key, len);
    }

    /** The key at {@code i} (a copy for packed entries), or null for a free cell. */
    public byte[] keyAt(int i) {
        Object e = entries[i];
        if (e == null) return null;
        if (packed(i)) {
            byte[] p = (byte[]) e;
            int kl = keyLength(p);
            int off = varintSize(kl);
            return Arrays.copyOfRange(p, off, off + kl);
        }
        return keys[i];
    }

    /** The value at {@code i}: a copy of a packed string, otherwise the stored object. */
    public Object valueAt(int i) {
        Object e = entries[i];
        if (e != null && packed(i)) {
            byte[] p = (byte[]) e;
            int kl = keyLength(p);
            return Arrays.copyOfRange(p, varintSize(kl) + kl, p.length);
        }
        return e;
    }

    /**
     * The packed cell at {@code i} (key and a small string value together), or null when the value
     * is stored apart; read the value at {@link #packedValueOffset} without copying it. Callers
     * must not keep it past the slot lock.
     */
    public byte[] packedAt(int i) {
        return packed(i) ? (byte[]) entries[i] : null;
    }

    /** Where the value starts in a packed cell (it runs to the end of the array). */
    public static int packedValueOffset(byte[] p) {
        int kl = keyLength(p);
        return varintSize(kl) + kl;
    }

    /**
     * An object whose identity changes whenever the value at {@code i} is replaced (the packed
     * array, else the value), for change detection by identity plus content.
     */
    public Object identityAt(int i) {
        return entries[i];
    }

    /**
     * Replaces the value at {@code i}, re-packing or unpacking it as its size requires. With
     * {@code inPlace}, a packed string replaced by one of the same length is overwritten in its
     * cell: no allocation, and no new reference stored into this (usually old-generation) table,
     * which would dirty a card for the collector to scan. Safe because readers copy packed values
     * out under the slot lock and snapshots write a slot out before its first change.
     */
    public void valueAt(int i, Object v, boolean inPlace) {
        Object e = entries[i];
        boolean wasPacked = packed(i);
        if (inPlace && wasPacked && v instanceof byte[] b) {
            byte[] p = (byte[]) e;
            int kl = keyLength(p);
            int off = varintSize(kl) + kl;
            if (p.length - off == b.length) {
                System.arraycopy(b, 0, p, off, b.length);
                return;
            }
        }
        long old = entryBytes(i);
        if (wasPacked) {
            byte[] p = (byte[]) e;
            int kl = keyLength(p);
            store(i, p, varintSize(kl), kl, v);
        } else {
            byte[] k = keys[i];
            store(i, k, 0, k.length, v);
        }
        account(cellBytes(i) - old);
    }

    /** Size of a new cell content (measuring an aggregate for the first time). */
    private long cellBytes(int i) {
        if (packed(i)) return ObjectSizes.bytes(((byte[]) entries[i]).length);
        return ObjectSizes.bytes(keys[i].length) + measureNew(entries[i]);
    }

    public int accessAt(int i) {
        return meta[i] & WORD_MASK;
    }

    public void accessAt(int i, int v) {
        meta[i] = (meta[i] & ~WORD_MASK) | (v & WORD_MASK);
    }

    public long expireAt(int i) {
        return expires == null ? 0 : expires[i];
    }

    public void expireAt(int i, long when) {
        if (expires == null) {
            if (when == 0) return;
            long before = arraysBytes();
            expires = new long[meta.length];
            account(arraysBytes() - before);
        }
        long old = expires[i];
        if (old == 0 && when != 0) expiresCount++;
        else if (old != 0 && when == 0) expiresCount--;
        expires[i] = when;
    }

    /** Inserts a new key (caller checked it is absent) and returns its index. */
    public int insert(byte[] key, Object value, int accessValue) {
        lastKey = null;
        int cap = meta.length;
        if ((long) (size + 1) * LOAD_DEN > (long) cap * LOAD_NUM) {
            resize(cap + (cap >>> 1));
            cap = meta.length;
        }
        int h = hash(key, 0, key.length);
        int[] m = meta;
        int i = home(h, cap);
        while (m[i] != 0) {
            if (++i == cap) i = 0;
        }
        store(i, key, 0, key.length, value);
        m[i] = tag(h) | (accessValue & WORD_MASK);
        size++;
        account(cellBytes(i));
        return i;
    }

    /** Removes the entry at {@code i}, closing the gap by shifting later probe-run entries back. */
    public void removeAt(int i) {
        lastKey = null;
        if (expires != null && expires[i] != 0) expiresCount--;
        account(-entryBytes(i));
        Object[] es = entries;
        byte[][] ks = keys;
        int[] m = meta;
        int cap = m.length;
        int hole = i;
        int j = i;
        while (true) {
            if (++j == cap) j = 0;
            if (m[j] == 0) break;
            int home = home(hashOf(es[j], ks == null ? null : ks[j]), cap);
            // Move j into the hole when its home cell does not lie cyclically in (hole, j].
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                es[hole] = es[j];
                if (ks != null) ks[hole] = ks[j];
                m[hole] = m[j];
                if (expires != null) expires[hole] = expires[j];
                hole = j;
            }
        }
        es[hole] = null;
        if (ks != null) ks[hole] = null;
        m[hole] = 0;
        if (expires != null) expires[hole] = 0;
        size--;
        if (cap > MIN_CAPACITY && size * 4 < cap) {
            // Shrink to half full, so a table that empties slowly is not resized on every delete.
            resize(Math.max(MIN_CAPACITY, size * 2));
        }
    }

    private void resize(int capacity) {
        long before = arraysBytes();
        Object[] oes = entries;
        byte[][] oks = keys;
        int[] om = meta;
        long[] oex = expires;
        Object[] es = new Object[capacity];
        int[] m = new int[capacity];
        long[] nex = oex == null || expiresCount == 0 ? null : new long[capacity];
        boolean anyUnpacked = false;
        if (oks != null) {
            for (byte[] k : oks) {
                if (k != null) {
                    anyUnpacked = true;
                    break;
                }
            }
        }
        byte[][] ks = anyUnpacked ? new byte[capacity][] : null;
        for (int i = 0; i < om.length; i++) {
            if (om[i] == 0) continue;
            Object e = oes[i];
            byte[] k = oks == null ? null : oks[i];
            int j = home(hashOf(e, k), capacity);
            while (m[j] != 0) {
                if (++j == capacity) j = 0;
            }
            es[j] = e;
            if (k != null) ks[j] = k;
            m[j] = om[i];
            if (nex != null) nex[j] = oex[i];
        }
        entries = es;
        keys = ks;
        meta = m;
        expires = nex;
        account(arraysBytes() - before);
    }

    /** Takes this table's bytes out of its database's count (the table is being dropped whole). */
    void release() {
        sink.add(-bytes);
        bytes = 0;
    }
}
