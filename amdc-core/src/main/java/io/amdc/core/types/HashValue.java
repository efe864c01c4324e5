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
 */
public final class HashValue extends AccountedValue implements FieldSource {
    private byte[] packed; // null once converted
    private int used;      // bytes of packed in use
    private int count;     // entries in packed
    private long[] packedTtl; // per entry ordinal, null until a TTL is set
    private HashTable table;
    private long minExpire = Long.MAX_VALUE; // lower bound of field expiry times

    public HashValue() {
        packed = new byte[8];
    }

    /** A hash that starts as a table (hash-max-listpack-entries 0). */
    public static HashValue ofTable(int expected) {
        HashValue h = new HashValue();
        h.packed = null;
        h.table = new HashTable(expected);
        return h;
    }

    public boolean isPacked() {
        return packed != null;
    }

    public int size() {
        return packed != null ? count : table.size();
    }

    @Override
    public String typeName() {
        return "hash";
    }

    @Override
    public String encoding() {
        if (packed == null) return "hashtable";
        return packedTtl != null ? "listpackex" : "listpack";
    }

    @Override
    public long memoryUsage() {
        long m = 48;
        if (packed != null) return m + 16 + packed.length + (packedTtl == null ? 0 : 16 + 8L * packedTtl.length);
        return m + table.memoryUsage();
    }

    @Override
    public HashValue copy() {
        HashValue h = new HashValue();
        h.packed = packed == null ? null : Arrays.copyOf(packed, Math.max(used, 1));
        h.used = used;
        h.count = count;
        h.packedTtl = packedTtl == null ? null : packedTtl.clone();
        h.table = table == null ? null : table.copy();
        h.minExpire = minExpire;
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

    /** Offset of the entry holding field in packed, -1 when absent; sets foundOrdinal. */
    private int packedFind(byte[] field) {
        int p = 0;
        int ord = 0;
        byte[] b = packed;
        int fl = field.length;
        while (p < used) {
            int start = p;
            int flen = varAt(p);
            p += varLen(flen);
            if (flen == fl && Arrays.equals(b, p, p + flen, field, 0, fl)) {
                foundOrdinal = ord;
                return start;
            }
            p += flen;
            int vlen = varAt(p);
            p += varLen(vlen) + vlen;
            ord++;
        }
        return -1;
    }

    private int foundOrdinal;

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

    private void splice(int off, int oldLen, int newLen) {
        int delta = newLen - oldLen;
        if (used + delta > packed.length) {
            // Small hashes grow to the next 8 bytes only (the JVM pads arrays to 8 anyway), so a
            // settled small hash carries almost no slack; larger ones grow by half to stay amortised.
            int need = used + delta;
            int cap = need < 512 ? (need + 7) & ~7 : Math.max(need, packed.length + (packed.length >> 1));
            packed = Arrays.copyOf(packed, cap);
        }
        System.arraycopy(packed, off + oldLen, packed, off + newLen, used - off - oldLen);
        used += delta;
    }

    // ---------------------------------------------------------------- access

    @Override
    public byte[] fieldValue(byte[] field) {
        return get(field);
    }

    /** The value of field, or null. */
    public byte[] get(byte[] field) {
        if (packed == null) {
            int s = table.find(field);
            return s < 0 ? null : table.valueAt(s);
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
            int s = table.find(field);
            return s < 0 ? -1 : table.valueAt(s).length;
        }
        int e = packedFind(field);
        return e < 0 ? -1 : varAt(valueHeader(e));
    }

    public boolean contains(byte[] field) {
        return packed == null ? table.find(field) >= 0 : packedFind(field) >= 0;
    }

    /**
     * Sets field to value (clearing any TTL on it); converts to a table when the limits are passed.
     * Returns true when the field is new.
     */
    public boolean set(byte[] field, byte[] value, long maxEntries, long maxValue) {
        if (packed != null && (field.length > maxValue || value.length > maxValue)) convert();
        if (packed == null) return table.put(field, value);
        int e = packedFind(field);
        if (e >= 0) {
            int vh = valueHeader(e);
            int oldVlen = varAt(vh);
            int oldLen = varLen(oldVlen) + oldVlen;
            int newLen = varLen(value.length) + value.length;
            splice(vh, oldLen, newLen);
            int p = putVar(packed, vh, value.length);
            System.arraycopy(value, 0, packed, p, value.length);
            if (packedTtl != null) packedTtl[foundOrdinal] = 0;
            return false;
        }
        int need = varLen(field.length) + field.length + varLen(value.length) + value.length;
        int at = used;
        splice(at, 0, need);
        int p = putVar(packed, at, field.length);
        System.arraycopy(field, 0, packed, p, field.length);
        p = putVar(packed, p + field.length, value.length);
        System.arraycopy(value, 0, packed, p, value.length);
        if (packedTtl != null) {
            if (packedTtl.length <= count) packedTtl = Arrays.copyOf(packedTtl, Math.max(4, count * 2));
            packedTtl[count] = 0;
        }
        count++;
        if (count > maxEntries) convert();
        return true;
    }

    public boolean delete(byte[] field) {
        if (packed == null) return table.remove(field);
        int e = packedFind(field);
        if (e < 0) return false;
        deletePacked(e, foundOrdinal);
        return true;
    }

    private void deletePacked(int start, int ordinal) {
        splice(start, entryEnd(start) - start, 0);
        if (packedTtl != null) System.arraycopy(packedTtl, ordinal + 1, packedTtl, ordinal, count - ordinal - 1);
        count--;
    }

    /** Converts to the table encoding (one way, as Redis). */
    public void convert() {
        if (packed == null) return;
        HashTable t = new HashTable(count);
        int[] pos = {0};
        for (int i = 0; i < count; i++) {
            int fl = readVar(pos);
            byte[] f = Arrays.copyOfRange(packed, pos[0], pos[0] + fl);
            pos[0] += fl;
            int vl = readVar(pos);
            byte[] v = Arrays.copyOfRange(packed, pos[0], pos[0] + vl);
            pos[0] += vl;
            t.put(f, v);
            if (packedTtl != null && packedTtl[i] != 0) t.expireAt(t.find(f), packedTtl[i]);
        }
        table = t;
        packed = null;
        packedTtl = null;
        used = 0;
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
            for (int i = 0, n = table.capacity(); i < n; i++) {
                byte[] f = table.fieldAt(i);
                if (f != null) {
                    byte[] val = table.valueAt(i);
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
        HashTable t = table;
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
            int s = table.find(field);
            return s < 0 ? -2 : table.expireAt(s);
        }
        int e = packedFind(field);
        if (e < 0) return -2;
        return packedTtl == null ? 0 : packedTtl[foundOrdinal];
    }

    /** Sets (or clears with 0) the expiry of an existing field; false when absent. */
    public boolean expireAt(byte[] field, long when) {
        if (packed == null) {
            int s = table.find(field);
            if (s < 0) return false;
            table.expireAt(s, when);
        } else {
            if (packedFind(field) < 0) return false;
            if (packedTtl == null) {
                if (when == 0) return true;
                packedTtl = new long[Math.max(4, count)];
            }
            packedTtl[foundOrdinal] = when;
        }
        if (when != 0 && when < minExpire) minExpire = when;
        return true;
    }

    /** Drops fields whose time has come; returns how many. Cheap when no field is due. */
    public int purgeExpired(long now) {
        if (now < minExpire) return 0;
        long min = Long.MAX_VALUE;
        int removed = 0;
        if (packed == null) {
            if (!table.hasExpires()) {
                minExpire = Long.MAX_VALUE;
                return 0;
            }
            List<byte[]> gone = new ArrayList<>();
            for (int i = 0, n = table.capacity(); i < n; i++) {
                if (table.fieldAt(i) == null) continue;
                long e = table.expireAt(i);
                if (e == 0) continue;
                if (e <= now) gone.add(table.fieldAt(i));
                else if (e < min) min = e;
            }
            for (byte[] f : gone) table.remove(f);
            removed = gone.size();
        } else if (packedTtl != null) {
            int p = 0;
            int i = 0;
            while (i < count) {
                long e = packedTtl[i];
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
        minExpire = min;
        return removed;
    }
}
