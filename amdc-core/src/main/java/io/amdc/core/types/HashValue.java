package io.amdc.core.types;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Redis hash. Small hashes are one packed byte[] (OBJECT ENCODING "listpack", "listpackex" once a
 * field carried a TTL) holding {@code varint flen, field, varint vlen, value} per entry in insertion
 * order, as Redis's listpack keeps them; past hash-max-listpack-entries entries or a field/value
 * longer than hash-max-listpack-value bytes it becomes a {@link HashTable} ("hashtable"), for good.
 *
 * <p>Per-field expiry (Redis 7.4): absolute unix-ms times, 0 = none. Expired fields are dropped by
 * {@link #purgeExpired} which the commands call before touching the hash.
 *
 * <p>A plain listpack hash is 24 bytes (header, accounted size, array, count, and a null
 * {@link Rare}): field TTLs and the table form keep their state out of line.
 */
public final class HashValue extends AccountedValue implements FieldSource {
    private static final byte[] EMPTY = {};

    // Exactly sized, so its length is the bytes in use (no separate counter): a change of
    // length reallocates, as Redis's listpack does.
    private byte[] packed; // null once converted
    private int count;     // entries in packed
    private Rare rare;     // null while a listpack without field TTLs

    /** State only table-form hashes and hashes with field TTLs need. */
    private static final class Rare {
        long[] packedTtl; // listpack form: expiry per entry ordinal
        HashTable table;  // table form
        long minExpire = Long.MAX_VALUE; // lower bound of field expiry times

        Rare copy() {
            Rare r = new Rare();
            r.packedTtl = packedTtl == null ? null : packedTtl.clone();
            r.table = table == null ? null : table.copy();
            r.minExpire = minExpire;
            return r;
        }
    }

    public HashValue() {
        packed = EMPTY;
    }

    /** A hash that starts as a table (hash-max-listpack-entries 0). */
    public static HashValue ofTable(int expected) {
        HashValue h = new HashValue();
        h.packed = null;
        h.rare = new Rare();
        h.rare.table = new HashTable(expected);
        return h;
    }

    private long[] packedTtl() {
        return rare == null ? null : rare.packedTtl;
    }

    public boolean isPacked() {
        return packed != null;
    }

    public int size() {
        return packed != null ? count : rare.table.size();
    }

    @Override
    public String typeName() {
        return "hash";
    }

    @Override
    public String encoding() {
        if (packed == null) return "hashtable";
        return packedTtl() != null ? "listpackex" : "listpack";
    }

    @Override
    public long memoryUsage() {
        long m = 24;
        if (rare != null) {
            m += 24; // the Rare object
            if (rare.packedTtl != null) m += arrayBytes(8L * rare.packedTtl.length);
            if (rare.table != null) m += rare.table.memoryUsage();
        }
        return packed == null ? m : m + arrayBytes(packed.length);
    }

    @Override
    public HashValue copy() {
        HashValue h = new HashValue();
        h.packed = packed == null || packed.length == 0 ? packed : packed.clone();
        h.count = count;
        h.rare = rare == null ? null : rare.copy();
        return h;
    }

    // ---------------------------------------------------------------- packed helpers

    private static int varLen(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    private static int putVar(byte[] b, int off, int v) {
        while ((v & ~0x7f) != 0) {
            b[off++] = (byte) (0x80 | (v & 0x7f));
            v >>>= 7;
        }
        b[off++] = (byte) v;
        return off;
    }

    /** Reads a varint at pos[0], advancing it. */
    private int readVar(int[] pos) {
        int v = varAt(pos[0]);
        pos[0] += varLen(v);
        return v;
    }

    private int varAt(int p) {
        int v = 0;
        int shift = 0;
        byte b;
        do {
            b = packed[p++];
            v |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return v;
    }

    /** Offset of the entry holding field in packed, -1 when absent. */
    private int packedFind(byte[] field) {
        int p = 0;
        byte[] b = packed;
        int fl = field.length;
        int used = b.length;
        while (p < used) {
            int start = p;
            int flen = varAt(p);
            p += varLen(flen);
            if (flen == fl && Arrays.equals(b, p, p + flen, field, 0, fl)) return start;
            p += flen;
            int vlen = varAt(p);
            p += varLen(vlen) + vlen;
        }
        return -1;
    }

    /** Ordinal of the entry at offset start (only TTL'd hashes need it, so it is not tracked by find). */
    private int ordinalOf(int start) {
        int ord = 0;
        for (int p = 0; p < start; p = entryEnd(p)) ord++;
        return ord;
    }

    private int entryEnd(int start) {
        int p = start;
        int flen = varAt(p);
        p += varLen(flen) + flen;
        int vlen = varAt(p);
        return p + varLen(vlen) + vlen;
    }

    private int valueHeader(int start) {
        int flen = varAt(start);
        return start + varLen(flen) + flen;
    }

    /** Replaces oldLen bytes at off by room for newLen bytes (left for the caller to fill). */
    private void splice(int off, int oldLen, int newLen) {
        if (oldLen == newLen) return;
        byte[] old = packed;
        int need = old.length + newLen - oldLen;
        byte[] n = need == 0 ? EMPTY : new byte[need];
        System.arraycopy(old, 0, n, 0, off);
        System.arraycopy(old, off + oldLen, n, off + newLen, old.length - off - oldLen);
        packed = n;
    }

    // ---------------------------------------------------------------- access

    @Override
    public byte[] fieldValue(byte[] field) {
        return get(field);
    }

    /** The value of field, or null. */
    public byte[] get(byte[] field) {
        if (packed == null) {
            HashTable t = rare.table;
            int s = t.find(field);
            return s < 0 ? null : t.valueAt(s);
        }
        int e = packedFind(field);
        if (e < 0) return null;
        int vh = valueHeader(e);
        int vlen = varAt(vh);
        int vo = vh + varLen(vlen);
        return Arrays.copyOfRange(packed, vo, vo + vlen);
    }

    /** Length of field's value, -1 when absent (no copy). */
    public int valueLength(byte[] field) {
        if (packed == null) {
            HashTable t = rare.table;
            int s = t.find(field);
            return s < 0 ? -1 : t.valueAt(s).length;
        }
        int e = packedFind(field);
        return e < 0 ? -1 : varAt(valueHeader(e));
    }

    public boolean contains(byte[] field) {
        return packed == null ? rare.table.find(field) >= 0 : packedFind(field) >= 0;
    }

    /**
     * Sets field to value (clearing any TTL on it); converts to a table when the limits are passed.
     * Returns true when the field is new.
     */
    public boolean set(byte[] field, byte[] value, long maxEntries, long maxValue) {
        if (packed != null && (field.length > maxValue || value.length > maxValue)) convert();
        if (packed == null) return rare.table.put(field, value);
        int e = packedFind(field);
        if (e >= 0) {
            int vh = valueHeader(e);
            int oldVlen = varAt(vh);
            int oldLen = varLen(oldVlen) + oldVlen;
            int newLen = varLen(value.length) + value.length;
            splice(vh, oldLen, newLen);
            int p = putVar(packed, vh, value.length);
            System.arraycopy(value, 0, packed, p, value.length);
            long[] ttl = packedTtl();
            if (ttl != null) ttl[ordinalOf(e)] = 0;
            return false;
        }
        int need = varLen(field.length) + field.length + varLen(value.length) + value.length;
        int at = packed.length;
        splice(at, 0, need);
        int p = putVar(packed, at, field.length);
        System.arraycopy(field, 0, packed, p, field.length);
        p = putVar(packed, p + field.length, value.length);
        System.arraycopy(value, 0, packed, p, value.length);
        long[] ttl = packedTtl();
        if (ttl != null) {
            if (ttl.length <= count) rare.packedTtl = ttl = Arrays.copyOf(ttl, Math.max(4, count * 2));
            ttl[count] = 0;
        }
        count++;
        if (count > maxEntries) convert();
        return true;
    }

    public boolean delete(byte[] field) {
        if (packed == null) return rare.table.remove(field);
        int e = packedFind(field);
        if (e < 0) return false;
        deletePacked(e, packedTtl() == null ? -1 : ordinalOf(e));
        return true;
    }

    /** Removes the entry at start; ordinal is its position, needed only when TTLs are kept. */
    private void deletePacked(int start, int ordinal) {
        splice(start, entryEnd(start) - start, 0);
        long[] ttl = packedTtl();
        if (ttl != null) System.arraycopy(ttl, ordinal + 1, ttl, ordinal, count - ordinal - 1);
        count--;
    }

    /** Converts to the table encoding (one way, as Redis). */
    public void convert() {
        if (packed == null) return;
        HashTable t = new HashTable(count);
        long[] ttl = packedTtl();
        int[] pos = {0};
        for (int i = 0; i < count; i++) {
            int fl = readVar(pos);
            byte[] f = Arrays.copyOfRange(packed, pos[0], pos[0] + fl);
            pos[0] += fl;
            int vl = readVar(pos);
            byte[] v = Arrays.copyOfRange(packed, pos[0], pos[0] + vl);
            pos[0] += vl;
            t.put(f, v, true);
            if (ttl != null && ttl[i] != 0) t.expireAt(t.find(f), ttl[i]);
        }
        if (rare == null) rare = new Rare();
        rare.table = t;
        rare.packedTtl = null;
        packed = null;
        count = 0;
    }

    // ---------------------------------------------------------------- iteration

    /** Receives an entry without copying: field bytes fb[fo..fo+fl), value bytes vb[vo..vo+vl). */
    public interface EntryVisitor {
        void visit(byte[] fb, int fo, int fl, byte[] vb, int vo, int vl);
    }

    /** Visits every entry: insertion order when packed, slot order for a table. */
    public void forEach(EntryVisitor v) {
        if (packed == null) {
            HashTable t = rare.table;
            for (int i = 0, n = t.capacity(); i < n; i++) {
                byte[] f = t.fieldAt(i);
                if (f != null) {
                    byte[] val = t.valueAt(i);
                    v.visit(f, 0, f.length, val, 0, val.length);
                }
            }
            return;
        }
        int p = 0;
        byte[] b = packed;
        for (int i = 0; i < count; i++) {
            int fl = varAt(p);
            int fo = p + varLen(fl);
            int vh = fo + fl;
            int vl = varAt(vh);
            int vo = vh + varLen(vl);
            v.visit(b, fo, fl, b, vo, vl);
            p = vo + vl;
        }
    }

    /** Fields and values as separate arrays (index i pairs), in iteration order. */
    public byte[][][] snapshot() {
        int n = size();
        byte[][] fs = new byte[n][];
        byte[][] vs = new byte[n][];
        int[] i = {0};
        forEach((fb, fo, fl, vb, vo, vl) -> {
            fs[i[0]] = Arrays.copyOfRange(fb, fo, fo + fl);
            vs[i[0]++] = Arrays.copyOfRange(vb, vo, vo + vl);
        });
        return new byte[][][] {fs, vs};
    }

    /** Table only: one SCAN step over a home bucket; see {@link HashTable#scanStep}. */
    public long scanStep(long cursor, EntryVisitor v) {
        HashTable t = rare.table;
        return t.scanStep(cursor, slot -> {
            byte[] f = t.fieldAt(slot);
            byte[] val = t.valueAt(slot);
            v.visit(f, 0, f.length, val, 0, val.length);
        });
    }

    // ---------------------------------------------------------------- field expiry

    /** Expiry of field: -2 when absent, 0 when it has none, else unix ms. */
    public long expireAt(byte[] field) {
        if (packed == null) {
            HashTable t = rare.table;
            int s = t.find(field);
            return s < 0 ? -2 : t.expireAt(s);
        }
        int e = packedFind(field);
        if (e < 0) return -2;
        long[] ttl = packedTtl();
        return ttl == null ? 0 : ttl[ordinalOf(e)];
    }

    /** Sets (or clears with 0) the expiry of an existing field; false when absent. */
    public boolean expireAt(byte[] field, long when) {
        if (packed == null) {
            HashTable t = rare.table;
            int s = t.find(field);
            if (s < 0) return false;
            t.expireAt(s, when);
        } else {
            int e = packedFind(field);
            if (e < 0) return false;
            if (packedTtl() == null) {
                if (when == 0) return true;
                if (rare == null) rare = new Rare();
                rare.packedTtl = new long[Math.max(4, count)];
            }
            rare.packedTtl[ordinalOf(e)] = when;
        }
        if (when != 0 && when < rare.minExpire) rare.minExpire = when;
        return true;
    }

    /** True when some field may carry a TTL (so {@link #purgeExpired} is worth a clock read). */
    public boolean mayHaveFieldTtls() {
        return rare != null && rare.minExpire != Long.MAX_VALUE;
    }

    /** Drops fields whose time has come; returns how many. Cheap when no field is due. */
    public int purgeExpired(long now) {
        Rare r = rare;
        if (r == null || now < r.minExpire) return 0;
        long min = Long.MAX_VALUE;
        int removed = 0;
        if (packed == null) {
            HashTable t = r.table;
            if (!t.hasExpires()) {
                r.minExpire = Long.MAX_VALUE;
                return 0;
            }
            List<byte[]> gone = new ArrayList<>();
            for (int i = 0, n = t.capacity(); i < n; i++) {
                if (t.fieldAt(i) == null) continue;
                long e = t.expireAt(i);
                if (e == 0) continue;
                if (e <= now) gone.add(t.fieldAt(i));
                else if (e < min) min = e;
            }
            for (byte[] f : gone) t.remove(f);
            removed = gone.size();
        } else if (r.packedTtl != null) {
            int p = 0;
            int i = 0;
            while (i < count) {
                long e = r.packedTtl[i];
                if (e != 0 && e <= now) {
                    deletePacked(p, i);
                    removed++;
                    continue;
                }
                if (e != 0 && e < min) min = e;
                p = entryEnd(p);
                i++;
            }
        }
        r.minExpire = min;
        return removed;
    }
}
