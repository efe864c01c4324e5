package io.amdc.core.keyspace;

import io.amdc.core.util.Bytes;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One logical database (SELECT n): 16384 slot tables, created on first use. Every method
 * expects the caller to hold the lock of the key's slot (see {@link Keyspace}).
 */
public final class Db {
    private final Keyspace keyspace;
    private SlotTable[] tables = new SlotTable[Slots.COUNT];
    /** Heap estimate of this database's tables, keys and values; fed by its SlotTables. */
    private LongAdder memory = new LongAdder();
    /**
     * Set once any key of this database got a TTL (cleared by FLUSHDB): the active expiry cycle
     * skips databases that never had one instead of visiting their 16384 tables on every tick.
     * Written under a slot lock, read by the cron thread without one: a late sighting only
     * delays that cycle's visit to the next tick.
     */
    private volatile boolean hadExpires;
    final int index;

    Db(Keyspace keyspace, int index) {
        this.keyspace = keyspace;
        this.index = index;
    }

    public int index() {
        return index;
    }

    public SlotTable table(int slot) {
        return tables[slot];
    }

    private SlotTable tableFor(byte[] key, boolean create) {
        int slot = Slots.slot(key);
        SlotTable t = tables[slot];
        if (t == null && create) {
            t = new SlotTable(memory, keyspace.slab());
            tables[slot] = t;
        }
        return t;
    }

    /** The live entry's index in its table after lazy expiry, or -1. */
    private int live(SlotTable t, byte[] key) {
        int i = t.find(key);
        if (i >= 0) {
            long exp = t.expireAt(i);
            if (exp != 0 && exp <= keyspace.now() && keyspace.expireLazily()) {
                t.removeAt(i);
                keyspace.expired(this, key);
                return -1;
            }
        }
        return i;
    }

    /** The value of {@code key}, or null; marks the key as accessed (LRU/LFU). */
    public Object get(byte[] key) {
        SlotTable t = tableFor(key, false);
        int i = t == null ? -1 : live(t, key);
        if (i < 0) {
            keyspace.missed(this, key);
            return null;
        }
        keyspace.touchAccess(t, i);
        return t.valueAt(i);
    }

    /** {@link #writeString} results. */
    public static final int STRING_WRITTEN = 1, ABSENT = 0, NOT_A_STRING = -1;

    /**
     * GET's path: writes {@code key}'s string value as a bulk reply straight from its cell (no copy
     * of a packed value), with {@link #get}'s expiry, miss and access bookkeeping. Writes nothing
     * when the key is absent or holds another type.
     */
    public int writeString(byte[] key, io.amdc.resp.RespOut out) {
        SlotTable t = tableFor(key, false);
        int i = t == null ? -1 : live(t, key);
        if (i < 0) {
            keyspace.missed(this, key);
            return ABSENT;
        }
        byte[] p = t.packedPage(i);
        if (p == null && !(t.valueAt(i) instanceof byte[])) return NOT_A_STRING;
        keyspace.touchAccess(t, i);
        if (p != null) {
            out.bulk(p, t.packedValueOffset(i), t.packedValueLength(i));
        } else {
            out.bulk((byte[]) t.valueAt(i));
        }
        return STRING_WRITTEN;
    }

    /**
     * INCRBY/DECRBY with one lookup: parses the string in its cell, adds {@code by} and writes the
     * digits back in place when their length is unchanged (a counter mostly keeps its width).
     * Creates the key (as "0" + by) when absent; keeps any TTL. Returns the new value.
     */
    public long addToInteger(byte[] key, long by) {
        SlotTable t = tableFor(key, true);
        int i = live(t, key);
        if (i < 0) {
            keyspace.missed(this, key);
            t.insert(key, Bytes.fromLong(by), keyspace.initialAccess());
            keyspace.created(this, key);
            return by;
        }
        byte[] p = t.packedPage(i);
        long cur;
        int off = 0, end = 0;
        if (p != null) {
            off = t.packedValueOffset(i);
            end = off + t.packedValueLength(i);
            cur = Bytes.toLong(p, off, end);
        } else if (t.valueAt(i) instanceof byte[] b) {
            cur = Bytes.toLong(b, 0, b.length);
        } else {
            throw io.amdc.core.command.CommandError.wrongType();
        }
        long next;
        try {
            next = Math.addExact(cur, by);
        } catch (ArithmeticException e) {
            throw new io.amdc.core.command.CommandError(io.amdc.core.command.CommandError.OVERFLOW);
        }
        keyspace.touchAccess(t, i);
        int len = Bytes.digits(next);
        if (p != null && end - off == len && keyspace.inPlaceWrites()) {
            Bytes.writeLong(p, off, len, next);
        } else {
            t.valueAt(i, Bytes.fromLong(next), false);
        }
        return next;
    }

    /** The value without touching its access time (OBJECT, TYPE-like peeks, internal reads). */
    public Object peek(byte[] key) {
        SlotTable t = tableFor(key, false);
        if (t == null) return null;
        int i = live(t, key);
        return i < 0 ? null : t.valueAt(i);
    }

    /**
     * An object whose identity changes whenever {@code key}'s value is replaced, or null when the
     * key is absent: {@link #get} copies small strings out of their packed cell, so their identity
     * says nothing (see SlotTable#identityAt).
     */
    public Object identity(byte[] key) {
        SlotTable t = tableFor(key, false);
        if (t == null) return null;
        int i = live(t, key);
        return i < 0 ? null : t.identityAt(i);
    }

    /** MEMORY USAGE of a key (its entry and its table cells), or -1 when absent. */
    public long usage(byte[] key) {
        SlotTable t = tableFor(key, false);
        if (t == null) return -1;
        int i = live(t, key);
        return i < 0 ? -1 : t.usage(i);
    }

    public boolean exists(byte[] key) {
        return peek(key) != null;
    }

    /** Sets a value and clears any TTL (SET semantics). Returns true when the key was new. */
    public boolean set(byte[] key, Object value) {
        SlotTable t = tableFor(key, true);
        int i = live(t, key);
        if (i >= 0) {
            t.valueAt(i, value, keyspace.inPlaceWrites());
            t.expireAt(i, 0);
            keyspace.overwritten(t, i);
            return false;
        }
        t.insert(key, value, keyspace.initialAccess());
        keyspace.created(this, key);
        return true;
    }

    /**
     * SET without GET, with one lookup: stores {@code value} unless {@code nx} and the key exists or
     * {@code xx} and it does not. The TTL becomes {@code expireAtMs} (0: none) unless {@code keepTtl}.
     * An existing key is marked accessed as a lookup would mark it. Returns whether it stored.
     */
    public boolean setString(byte[] key, byte[] value, long expireAtMs, boolean keepTtl, boolean nx, boolean xx) {
        SlotTable t = tableFor(key, false);
        int i = t == null ? -1 : live(t, key);
        if (i >= 0) {
            keyspace.touchAccess(t, i);
            if (nx) return false;
            t.valueAt(i, value, keyspace.inPlaceWrites());
            if (!keepTtl) t.expireAt(i, expireAtMs);
            keyspace.overwritten(t, i);
        } else {
            if (xx) return false;
            if (t == null) t = tableFor(key, true);
            i = t.insert(key, value, keyspace.initialAccess());
            keyspace.created(this, key);
            if (expireAtMs != 0) t.expireAt(i, expireAtMs);
        }
        if (expireAtMs != 0 && !hadExpires) hadExpires = true;
        return true;
    }

    /** Sets a value with an absolute expiry (0 for none). */
    public void set(byte[] key, Object value, long expireAtMs) {
        SlotTable t = tableFor(key, true);
        int i = live(t, key);
        if (i < 0) {
            i = t.insert(key, value, keyspace.initialAccess());
            keyspace.created(this, key);
        } else {
            t.valueAt(i, value, keyspace.inPlaceWrites());
            keyspace.overwritten(t, i);
        }
        if (expireAtMs != 0 && !hadExpires) hadExpires = true;
        t.expireAt(i, expireAtMs);
    }

    /** Replaces the value of an existing key keeping its TTL, or adds it without one. */
    public void update(byte[] key, Object value) {
        SlotTable t = tableFor(key, true);
        int i = live(t, key);
        if (i >= 0) t.valueAt(i, value, keyspace.inPlaceWrites());
        else {
            t.insert(key, value, keyspace.initialAccess());
            keyspace.created(this, key);
        }
    }

    /**
     * Re-measures {@code key}'s value after a command may have grown or shrunk it in place;
     * cheap for strings (nothing to do) and for aggregates that keep their size current.
     */
    public void remeasure(byte[] key) {
        SlotTable t = tableFor(key, false);
        if (t == null || !t.hasAggregates()) return;
        int i = t.find(key);
        if (i >= 0) t.remeasure(i);
    }

    /** {main table structure, expiry arrays} bytes over all slots, for MEMORY STATS; walks every slot. */
    public long[] overhead() {
        long main = 0;
        long exp = 0;
        for (SlotTable t : tables) {
            if (t == null) continue;
            main += t.mainOverhead();
            exp += t.expiresOverhead();
        }
        return new long[]{main, exp};
    }

    /** Heap estimate of this database (keys, values, tables). */
    public long memory() {
        return memory.sum();
    }

    public boolean delete(byte[] key) {
        SlotTable t = tableFor(key, false);
        if (t == null) return false;
        int i = live(t, key);
        if (i < 0) return false;
        t.removeAt(i);
        return true;
    }

    /** Absolute expiry in ms: 0 when the key has none, -2 when the key does not exist. */
    public long expireTime(byte[] key) {
        SlotTable t = tableFor(key, false);
        if (t == null) return -2;
        int i = live(t, key);
        if (i < 0) return -2;
        return t.expireAt(i);
    }

    /** Sets or clears (0) the expiry of an existing key; false when the key does not exist. */
    public boolean expireTime(byte[] key, long whenMs) {
        SlotTable t = tableFor(key, false);
        if (t == null) return false;
        int i = live(t, key);
        if (i < 0) return false;
        if (whenMs != 0 && !hadExpires) hadExpires = true;
        t.expireAt(i, whenMs);
        return true;
    }

    /** The access word of a key (LRU/LFU), or -1 when absent; used by OBJECT IDLETIME/FREQ. */
    public int accessWord(byte[] key) {
        SlotTable t = tableFor(key, false);
        if (t == null) return -1;
        int i = live(t, key);
        return i < 0 ? -1 : t.accessAt(i);
    }

    /** Restores a key's access word (RENAME/MOVE keep the moved value's idle time, as Redis does). */
    public void accessWord(byte[] key, int word) {
        SlotTable t = tableFor(key, false);
        if (t == null) return;
        int i = t.find(key);
        if (i >= 0) t.accessAt(i, word);
    }

    public long size() {
        long n = 0;
        for (SlotTable t : tables) {
            if (t != null) n += t.size();
        }
        return n;
    }

    public long expiresSize() {
        long n = 0;
        for (SlotTable t : tables) {
            if (t != null) n += t.expiresCount();
        }
        return n;
    }

    /** Calls {@code action} with each live key of one slot; caller holds that slot's lock. */
    public void forEachKey(int slot, Consumer<byte[]> action) {
        SlotTable t = tables[slot];
        if (t == null) return;
        long now = keyspace.now();
        for (int i = 0; i < t.capacity(); i++) {
            if (!t.used(i)) continue;
            long exp = t.expireAt(i);
            if (exp != 0 && exp <= now) continue;
            action.accept(t.keyAt(i));
        }
    }

    /** Drops every key; caller holds every slot lock (global mode). */
    void clearAll() {
        for (SlotTable t : tables) {
            if (t != null) t.release();
        }
        tables = new SlotTable[Slots.COUNT];
        hadExpires = false;
    }

    boolean hadExpires() {
        return hadExpires;
    }

    /** Tables move with the counter they report to, so each database keeps an exact sum. */
    void swapWith(Db other) {
        SlotTable[] t = tables;
        tables = other.tables;
        other.tables = t;
        LongAdder m = memory;
        memory = other.memory;
        other.memory = m;
        boolean e = hadExpires;
        hadExpires = other.hadExpires;
        other.hadExpires = e;
    }
}
