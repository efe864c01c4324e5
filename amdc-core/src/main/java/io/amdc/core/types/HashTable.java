package io.amdc.core.types;

/**
 * The table encoding of large hashes: a {@link ProbeTable} whose slots hold a field and its value
 * side by side, plus optional per-field expiry times in a parallel {@code long[]}.
 *
 * <p>The value arrays are the table's own (never a caller's array), so a replacement of the same
 * length is copied into the old array: no allocation, and no new reference stored into a table
 * that usually lives in the old generation, which G1 would have to card-mark and refine.
 */
public final class HashTable extends ProbeTable {
    private long[] expires; // null until a field gets a TTL; 0 = none
    private long[] oldExpires; // during a resize only
    /** Heap bytes of the field and value arrays held, kept current so memoryUsage is O(1). */
    private long dataBytes;

    public HashTable(int expected) {
        super(expected, 1);
    }

    private HashTable(HashTable from) {
        super(from);
        // Values are copied: the table overwrites its value arrays in place.
        for (int i = 1; i < cells.length; i += 2) {
            if (cells[i] != null) cells[i] = ((byte[]) cells[i]).clone();
        }
        expires = from.expires == null ? null : from.expires.clone();
        dataBytes = from.dataBytes;
    }

    public byte[] fieldAt(int slot) {
        return keyAt(slot);
    }

    public byte[] valueAt(int slot) {
        return (byte[]) cells[(slot << 1) + 1];
    }

    /** {@code owned}: v is a fresh array nobody else holds, which the table may keep as it is. */
    private void store(int slot, byte[] v, boolean owned) {
        byte[] old = (byte[]) cells[(slot << 1) + 1];
        if (old.length == v.length) {
            System.arraycopy(v, 0, old, 0, v.length);
            return;
        }
        dataBytes += arrayBytes(v) - arrayBytes(old);
        cells[(slot << 1) + 1] = owned ? v : v.clone();
    }

    public long expireAt(int slot) {
        return expires == null ? 0 : expires[slot];
    }

    public void expireAt(int slot, long when) {
        if (expires == null) {
            if (when == 0) return;
            expires = new long[hashes.length];
        }
        expires[slot] = when;
    }

    public boolean hasExpires() {
        return expires != null;
    }

    /**
     * Inserts or replaces; returns true when the field was new. A replaced field loses its TTL.
     * The table keeps a copy of value (a caller's array, such as a command argument, may be
     * referenced elsewhere: the table overwrites its own in place).
     */
    public boolean put(byte[] field, byte[] value) {
        return put(field, value, false);
    }

    /** {@link #put}, with {@code owned}: value is a fresh array the table may keep as it is. */
    boolean put(byte[] field, byte[] value, boolean owned) {
        int h = hash(field);
        int slot = locate(field, h);
        if (slot >= 0) {
            store(slot, value, owned);
            if (expires != null) expires[slot] = 0;
            return false;
        }
        slot = claim(slot, field, h);
        cells[(slot << 1) + 1] = owned ? value : value.clone();
        dataBytes += arrayBytes(field) + arrayBytes(value);
        return true;
    }

    public boolean remove(byte[] field) {
        int i = find(field);
        if (i < 0) return false;
        dataBytes -= arrayBytes(fieldAt(i)) + arrayBytes(valueAt(i));
        removeAt(i);
        return true;
    }

    @Override
    void moved(int from, int to) {
        if (expires != null) expires[to] = expires[from];
    }

    @Override
    void cleared(int slot) {
        if (expires != null) expires[slot] = 0;
    }

    @Override
    void resizing(int newCapacity) {
        oldExpires = expires;
        if (expires != null) expires = new long[newCapacity];
    }

    @Override
    void relocated(int oldSlot, int newSlot) {
        if (oldExpires != null) expires[newSlot] = oldExpires[oldSlot];
    }

    @Override
    void resized() {
        oldExpires = null;
    }

    long memoryUsage() {
        return 48 + tableBytes() + (expires == null ? 0 : 16 + 8L * expires.length) + dataBytes;
    }

    HashTable copy() {
        return new HashTable(this);
    }
}
