package io.amdc.core.keyspace;

import io.amdc.core.memory.ObjectSizes;
import io.amdc.core.types.TypedValue;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The keys of one (database, hash slot): an open-addressing table with linear probing over
 * parallel arrays, with no per-entry object for small strings. Not thread-safe: callers hold the
 * slot's lock.
 *
 * <p>Layout. A small string is <em>packed</em> with its key into a cell of the keyspace's
 * {@link CellSlab} ({@code u8 keyLength, u8 valueLength, key, value}) and the table keeps the
 * cell's address: one int per key, and nothing the collector copies or scans (see CellSlab for
 * why). Any other value (aggregates, and strings longer than {@link #PACK_MAX_VALUE}, which
 * readers then get without a copy) sits in {@code values[i]}, and its key in a key-only cell
 * ({@code u8 keyLength, 0xff, key}): 16 bytes for a 10-byte key where a byte[] took 24 plus a
 * reference. Only a key too long for a cell (over 254 bytes) goes to {@code keys[i]}, with
 * address 0. The value and key arrays exist only once the table needs them, and
 * {@code values[i] != null} is what marks a used cell unpacked. Beside each address,
 * {@link #slots} holds the entry's 24-bit access word (LRU clock or LFU
 * counter, see {@link AccessClock}) under an 8-bit tag taken from the key's hash, never zero for a
 * used cell: probing reads the int array and only follows an entry whose tag matches, so long
 * probe runs stay cheap and the table can run at a high load. Capacities are not powers of two (a
 * key's home cell is {@code hash * capacity >>> 32}), so growth steps can be small. Expiry times
 * live in a parallel {@code long[]} that exists only once a key of this table has a TTL.
 *
 * <p>Readers see plain values: {@link #valueAt} returns a packed string as a fresh copy of its
 * bytes, so a caller that changes a string in place must store it back (Db#update). A table that
 * is dropped must {@link #release} its cells back to the slab.
 *
 * <p>Memory accounting: {@link #bytes()} is this table's heap estimate (its arrays plus every
 * entry, a packed one at its rounded cell size), kept current on each insert, replace and
 * removal, and every change is also added to the owning database's counter ({@code sink}) so
 * used_memory is a sum, never a walk. An aggregate may grow in place, so the value itself
 * remembers the size last counted for it ({@link TypedValue#accountedBytes()}), and
 * {@link #remeasure} corrects it: the dispatcher calls that for the keys of every write command,
 * skipping tables that never held an aggregate.
 */
public final class SlotTable {
    /** Capacities stay odd: a reference array of odd length fills its 8-byte alignment exactly (12-byte header). */
    private static final int MIN_CAPACITY = 5;
    /**
     * Below this capacity a table grows by two cells, once only one cell is free: a slot holds a
     * handful of keys when a database has fewer than about a hundred thousand, and each of the
     * 16384 tables' spare cells cost 8-12 bytes (100k sets over 16384 slots: 0.35 MB less than
     * growing by half at 4/5 full). Probing a full-but-one table of at most this many tags is
     * still a few int reads.
     */
    private static final int SMALL_CAPACITY = 17;
    /** Strings up to this many bytes are packed with their key (a read then copies them out). */
    static final int PACK_MAX_VALUE = 128;
    /** Cell header: key length and value length, one byte each. */
    private static final int HEADER = 2;
    /** The value-length byte of a cell that holds only a key, its value being in {@link #values}. */
    private static final int KEY_ONLY = 0xff;
    /** Grow past 4/5 full: tags keep the longer probe runs of a loaded table to one int read per cell. */
    private static final int LOAD_NUM = 4;
    private static final int LOAD_DEN = 5;
    private static final int TAG_SHIFT = 24;
    private static final int WORD_MASK = (1 << TAG_SHIFT) - 1;
    /** The table object itself: header, seven references, four ints, a boolean, a long. */
    private static final long SELF = ObjectSizes.align(ObjectSizes.OBJECT_HEADER + 7L * ObjectSizes.REF + 4 * 4 + 1 + 8);

    private final CellSlab slab;
    /**
     * Two ints per cell: at {@code 2i} the tag (high 8 bits, 0 only for a free cell) and access
     * word (low 24 bits), at {@code 2i + 1} the slab address of the cell's key (and packed value),
     * 0 for a free cell or a key kept in {@link #keys}. One array, so a probe that matches a tag
     * finds the address on the same cache line, and the table pays for one array header.
     */
    private int[] slots;
    /** Unpacked values (null for packed and free cells); null until the first one. */
    private Object[] values;
    /** Keys of the unpacked cells, beside {@link #values}. */
    private byte[][] keys;
    /** Absolute expiry in unix ms, 0 for none; null until the first TTL is set. */
    private long[] expires;
    private int size;
    private int expiresCount;
    /** Set once an aggregate is stored here: string-only tables skip re-measuring. */
    private boolean holdsAggregates;
    private long bytes;
    /** Counts removals: with the cell's address, the identity of a packed value (see {@link #identityAt}). */
    private int removals;
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

    public SlotTable(LongAdder sink, CellSlab slab) {
        this.sink = sink;
        this.slab = slab;
        slots = new int[2 * MIN_CAPACITY];
        account(SELF + arraysBytes());
    }

    private void account(long delta) {
        bytes += delta;
        sink.add(delta);
    }

    private long arraysBytes() {
        int cap = capacity();
        return ObjectSizes.ints(2 * cap) + (values == null ? 0 : ObjectSizes.refs(cap))
                + (keys == null ? 0 : ObjectSizes.refs(cap)) + (expires == null ? 0 : ObjectSizes.longs(cap));
    }

    /** Heap estimate of this table: arrays and entries. */
    public long bytes() {
        return bytes;
    }


    /** The table's own structure (object, slots, the unpacked key and value arrays), without entries or expiries. */
    public long mainOverhead() {
        int cap = capacity();
        return SELF + ObjectSizes.ints(2 * cap)
                + (values == null ? 0 : ObjectSizes.refs(cap)) + (keys == null ? 0 : ObjectSizes.refs(cap));
    }

    /** The expiry array, when this table has one. */
    public long expiresOverhead() {
        return expires == null ? 0 : ObjectSizes.longs(capacity());
    }

    public boolean hasAggregates() {
        return holdsAggregates;
    }

    /** Whether used cell {@code i} holds a packed key and string (its value is not in {@link #values}). */
    private boolean packed(int i) {
        Object[] vs = values;
        return vs == null || vs[i] == null;
    }

    /** Slab address of cell {@code i}, 0 when it is not packed. */
    private int cell(int i) {
        return slots[2 * i + 1];
    }

    /** Size of the entry at {@code i}: its rounded cell (or key array) and its value if stored apart. */
    public long entryBytes(int i) {
        int a = cell(i);
        long key = a != 0 ? cellSize(a) : ObjectSizes.bytes(keys[i].length);
        return packed(i) ? key : key + valueBytes(values[i]);
    }

    /** What MEMORY USAGE reports: the entry plus its own cells (address or references, meta word, expiry if set). */
    public long usage(int i) {
        return entryBytes(i) + 4 + (cell(i) != 0 ? 4 : ObjectSizes.REF) + (packed(i) ? 0 : ObjectSizes.REF) + (expireAt(i) != 0 ? 8 : 0);
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
        if (values == null || !(values[i] instanceof TypedValue tv)) return 0;
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
        return slots.length >> 1;
    }

    public boolean used(int i) {
        return slots[2 * i] != 0;
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

    // Cells: u8 key length, u8 value length, key, value; or u8 key length, KEY_ONLY, key.

    /** Bytes the cell at {@code a} takes in the slab (its length rounded up). */
    private int cellSize(int a) {
        return CellSlab.cellBytes(cellLength(a));
    }

    private int cellLength(int a) {
        byte[] p = slab.page(a);
        int off = CellSlab.offset(a);
        int vl = p[off + 1] & 0xff;
        return HEADER + (p[off] & 0xff) + (vl == KEY_ONLY ? 0 : vl);
    }

    private static boolean packable(int keyLen, Object v) {
        return v instanceof byte[] b && b.length <= PACK_MAX_VALUE && HEADER + keyLen + b.length <= CellSlab.MAX_CELL;
    }

    /** Hash of the key at used cell {@code i}. */
    private int hashAt(int i) {
        int a = cell(i);
        if (a != 0) {
            byte[] p = slab.page(a);
            int off = CellSlab.offset(a);
            return hash(p, off + HEADER, p[off] & 0xff);
        }
        byte[] k = keys[i];
        return hash(k, 0, k.length);
    }

    /**
     * Stores cell {@code i}'s content: a small string packed with its key; any other value in
     * {@link #values}, its key in a key-only cell (or, past a cell's size, in {@link #keys}).
     */
    private void store(int i, byte[] key, int keyOff, int keyLen, Object value) {
        boolean pack = packable(keyLen, value);
        if (pack || HEADER + keyLen <= CellSlab.MAX_CELL) {
            int valueLen = pack ? ((byte[]) value).length : 0;
            int a = slab.allocate(HEADER + keyLen + valueLen);
            byte[] p = slab.page(a);
            int off = CellSlab.offset(a);
            p[off] = (byte) keyLen;
            p[off + 1] = (byte) (pack ? valueLen : KEY_ONLY);
            System.arraycopy(key, keyOff, p, off + HEADER, keyLen);
            if (pack) System.arraycopy(value, 0, p, off + HEADER + keyLen, valueLen);
            slots[2 * i + 1] = a;
            if (keys != null) keys[i] = null;
        } else {
            if (keys == null) {
                long before = arraysBytes();
                keys = new byte[capacity()][];
                account(arraysBytes() - before);
            }
            keys[i] = keyOff == 0 && keyLen == key.length ? key : Arrays.copyOfRange(key, keyOff, keyOff + keyLen);
            slots[2 * i + 1] = 0;
        }
        if (!pack && values == null) {
            long before = arraysBytes();
            values = new Object[capacity()];
            account(arraysBytes() - before);
        }
        if (values != null) values[i] = pack ? null : value;
    }

    /** Index of {@code key}, or -1. */
    public int find(byte[] key) {
        if (key == lastKey) return lastIndex;
        int i = find(key, key.length);
        if (i >= 0 && !packed(i)) {
            lastKey = key;
            lastIndex = i;
        }
        return i;
    }

    /** Index of the key held in {@code key[0, len)}, or -1. */
    public int find(byte[] key, int len) {
        int h = hash(key, 0, len);
        int tag = tag(h);
        int[] sl = slots;
        int cap = sl.length >> 1;
        int i = home(h, cap);
        while (true) {
            int w = sl[2 * i];
            if (w == 0) return -1;
            if ((w & ~WORD_MASK) == tag && keyEquals(i, key, len)) return i;
            if (++i == cap) i = 0;
        }
    }

    /** Length of the key at used cell {@code i}. */
    public int keyLength(int i) {
        int a = cell(i);
        return a != 0 ? slab.page(a)[CellSlab.offset(a)] & 0xff : keys[i].length;
    }

    /** Copies the key at used cell {@code i} into {@code dst} (at least {@link #keyLength(int)} long), without allocating. */
    public void copyKey(int i, byte[] dst) {
        int a = cell(i);
        if (a != 0) {
            byte[] p = slab.page(a);
            int off = CellSlab.offset(a);
            System.arraycopy(p, off + HEADER, dst, 0, p[off] & 0xff);
        } else {
            System.arraycopy(keys[i], 0, dst, 0, keys[i].length);
        }
    }

    /** Whether used cell {@code i} holds the key in {@code key[0, len)}. */
    public boolean keyEquals(int i, byte[] key, int len) {
        int a = cell(i);
        if (a != 0) {
            byte[] p = slab.page(a);
            int off = CellSlab.offset(a);
            int kl = p[off] & 0xff;
            return kl == len && Arrays.equals(p, off + HEADER, off + HEADER + kl, key, 0, len);
        }
        byte[] k = keys[i];
        return k.length == len && Arrays.equals(k, 0, len, key, 0, len);
    }

    /** The key at {@code i} (a copy, unless it is too long for a cell), or null for a free cell. */
    public byte[] keyAt(int i) {
        if (slots[2 * i] == 0) return null;
        int a = cell(i);
        if (a != 0) {
            byte[] p = slab.page(a);
            int off = CellSlab.offset(a) + HEADER;
            return Arrays.copyOfRange(p, off, off + (p[off - HEADER] & 0xff));
        }
        return keys[i];
    }

    /** The value at {@code i}: a copy of a packed string, otherwise the stored object (null for a free cell). */
    public Object valueAt(int i) {
        if (!packed(i)) return values[i];
        int a = cell(i);
        if (a != 0) {
            byte[] p = slab.page(a);
            int off = CellSlab.offset(a);
            int from = off + HEADER + (p[off] & 0xff);
            return Arrays.copyOfRange(p, from, from + (p[off + 1] & 0xff));
        }
        return null;
    }

    /**
     * The slab page holding the packed string at {@code i}, or null when the value is stored
     * apart; the value lies at {@link #packedValueOffset} for {@link #packedValueLength} bytes and
     * may be read (or overwritten with as many bytes) in place. Callers must not keep it past the
     * slot lock.
     */
    public byte[] packedPage(int i) {
        int a = cell(i);
        return a != 0 && packed(i) ? slab.page(a) : null;
    }

    /** Offset in {@link #packedPage} of the packed string at {@code i}. */
    public int packedValueOffset(int i) {
        int a = cell(i);
        return CellSlab.offset(a) + HEADER + (slab.page(a)[CellSlab.offset(a)] & 0xff);
    }

    /** Length of the packed string at {@code i}. */
    public int packedValueLength(int i) {
        int a = cell(i);
        return slab.page(a)[CellSlab.offset(a) + 1] & 0xff;
    }

    /**
     * A token that changes whenever the value at {@code i} is replaced (not overwritten in place),
     * for change detection by identity plus content (compare with equals): an unpacked value's own
     * object; for a packed one its cell address with the table's removal count, since a
     * replacement takes a new cell before freeing the old one, and a key removed and stored again
     * may get its old cell back but moves the count.
     */
    public Object identityAt(int i) {
        if (!packed(i)) return values[i];
        int a = cell(i);
        return a != 0 ? Long.valueOf((long) removals << 32 | (a & 0xffffffffL)) : null;
    }

    /**
     * Replaces the value at {@code i}, re-packing or unpacking it as its size requires. With
     * {@code inPlace}, a packed string replaced by one of the same length is overwritten in its
     * cell. Safe because readers copy packed values out under the slot lock and snapshots write a
     * slot out before its first change.
     */
    public void valueAt(int i, Object v, boolean inPlace) {
        int a = cell(i);
        boolean wasPacked = packed(i);
        if (inPlace && wasPacked && v instanceof byte[] b) {
            byte[] p = slab.page(a);
            int off = CellSlab.offset(a);
            if ((p[off + 1] & 0xff) == b.length) {
                System.arraycopy(b, 0, p, off + HEADER + (p[off] & 0xff), b.length);
                return;
            }
        }
        long old = entryBytes(i);
        if (!wasPacked && (a == 0 || !packable(keyLength(i), v))) {
            // Stored apart before and after: the key stays where it is.
            values[i] = v;
        } else {
            // Packed before or after (so the key is in cell a): the new content is stored before
            // the old cell is freed, the key copied out of it.
            byte[] p = slab.page(a);
            int off = CellSlab.offset(a);
            int len = cellLength(a);
            store(i, p, off + HEADER, p[off] & 0xff, v);
            slab.free(a, len);
        }
        account(cellBytes(i) - old);
    }

    /** Size of a new cell content (measuring an aggregate for the first time). */
    private long cellBytes(int i) {
        int a = cell(i);
        long key = a != 0 ? cellSize(a) : ObjectSizes.bytes(keys[i].length);
        return packed(i) ? key : key + measureNew(values[i]);
    }

    public int accessAt(int i) {
        return slots[2 * i] & WORD_MASK;
    }

    public void accessAt(int i, int v) {
        slots[2 * i] = (slots[2 * i] & ~WORD_MASK) | (v & WORD_MASK);
    }

    public long expireAt(int i) {
        return expires == null ? 0 : expires[i];
    }

    public void expireAt(int i, long when) {
        if (expires == null) {
            if (when == 0) return;
            long before = arraysBytes();
            expires = new long[capacity()];
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
        int cap = capacity();
        if (cap < SMALL_CAPACITY ? size + 2 > cap : (long) (size + 1) * LOAD_DEN > (long) cap * LOAD_NUM) {
            resize(cap < SMALL_CAPACITY ? cap + 2 : cap + (cap >>> 1));
            cap = capacity();
        }
        int h = hash(key, 0, key.length);
        int[] sl = slots;
        int i = home(h, cap);
        while (sl[2 * i] != 0) {
            if (++i == cap) i = 0;
        }
        store(i, key, 0, key.length, value);
        sl[2 * i] = tag(h) | (accessValue & WORD_MASK);
        size++;
        account(cellBytes(i));
        return i;
    }

    /** Removes the entry at {@code i}, closing the gap by shifting later probe-run entries back. */
    public void removeAt(int i) {
        lastKey = null;
        if (expires != null && expires[i] != 0) expiresCount--;
        account(-entryBytes(i));
        removals++;
        int freed = cell(i);
        if (freed != 0) slab.free(freed, cellLength(freed));
        Object[] vs = values;
        byte[][] ks = keys;
        int[] sl = slots;
        int cap = sl.length >> 1;
        int hole = i;
        int j = i;
        while (true) {
            if (++j == cap) j = 0;
            if (sl[2 * j] == 0) break;
            int home = home(hashAt(j), cap);
            // Move j into the hole when its home cell does not lie cyclically in (hole, j].
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                sl[2 * hole] = sl[2 * j];
                sl[2 * hole + 1] = sl[2 * j + 1];
                if (ks != null) ks[hole] = ks[j];
                if (vs != null) vs[hole] = vs[j];
                if (expires != null) expires[hole] = expires[j];
                hole = j;
            }
        }
        sl[2 * hole] = 0;
        sl[2 * hole + 1] = 0;
        if (ks != null) ks[hole] = null;
        if (vs != null) vs[hole] = null;
        if (expires != null) expires[hole] = 0;
        size--;
        if (cap > MIN_CAPACITY && size * 4 < cap) {
            // Shrink to half full, so a table that empties slowly is not resized on every delete.
            resize(Math.max(MIN_CAPACITY, size * 2 + 1));
        }
    }

    private void resize(int capacity) {
        long before = arraysBytes();
        Object[] ovs = values;
        byte[][] oks = keys;
        int[] osl = slots;
        long[] oex = expires;
        int[] sl = new int[2 * capacity];
        long[] nex = oex == null || expiresCount == 0 ? null : new long[capacity];
        byte[][] ks = anyNonNull(oks) ? new byte[capacity][] : null;
        Object[] vs = anyNonNull(ovs) ? new Object[capacity] : null;
        for (int i = 0; i < osl.length >> 1; i++) {
            if (osl[2 * i] == 0) continue;
            int j = home(hashAt(i), capacity);
            while (sl[2 * j] != 0) {
                if (++j == capacity) j = 0;
            }
            int a = osl[2 * i + 1];
            sl[2 * j + 1] = a;
            if (a == 0) ks[j] = oks[i];
            if (vs != null) vs[j] = ovs[i];
            sl[2 * j] = osl[2 * i];
            if (nex != null) nex[j] = oex[i];
        }
        values = vs;
        keys = ks;
        slots = sl;
        expires = nex;
        account(arraysBytes() - before);
    }

    private static boolean anyNonNull(Object[] a) {
        if (a != null) {
            for (Object o : a) {
                if (o != null) return true;
            }
        }
        return false;
    }

    /**
     * Gives this table's packed cells back to the slab and takes its bytes out of its database's
     * count (the table is being dropped whole).
     */
    void release() {
        for (int i = 1; i < slots.length; i += 2) {
            int a = slots[i];
            if (a != 0) {
                slab.free(a, cellLength(a));
                slots[i] = 0;
            }
        }
        sink.add(-bytes);
        bytes = 0;
    }
}
