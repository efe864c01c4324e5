package io.amdc.core.keyspace;

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
            t = new SlotTable(memory);
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
