package io.amdc.core.types;

import io.amdc.core.util.Bytes;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A Redis set in one of Redis 7.2's three encodings, chosen by the class of its one field:
 * <ul>
 *   <li>intset: a sorted short[], int[] or long[], the narrowest that holds every member;</li>
 *   <li>listpack: a byte[] of [varint count] then [varint length][bytes] records in insertion
 *       order, linearly scanned;</li>
 *   <li>hashtable: {@link HashedMembers}, a linear-probing table ({@link ProbeTable}).</li>
 * </ul>
 * One field keeps a small set at 16 bytes of wrapper plus its array (the Redis-like footprint for
 * millions of tiny sets). Conversions follow Redis: intset → listpack or hashtable when a
 * non-integer arrives, intset → hashtable past set-max-intset-entries, listpack → hashtable past
 * set-max-listpack-entries/value. Sets never convert back to a smaller encoding.
 */
public final class SetValue extends AccountedValue implements ElementSource {
    /** Conversion thresholds, read from the config by the caller once per command. */
    public record Limits(long intsetEntries, long listpackEntries, long listpackValue) {
    }

    private static final short[] EMPTY_INTSET = new short[0];
    private static final byte[] EMPTY_LISTPACK = {0};

    /** short[]/int[]/long[] (intset), byte[] (listpack) or HashedMembers (hashtable). */
    private Object data;

    private SetValue(Object data) {
        this.data = data;
    }

    /** An empty set in the encoding Redis would pick for a first member and a size hint. */
    public static SetValue create(byte[] first, long sizeHint, Limits l) {
        if (Bytes.isLong(first) && sizeHint <= l.intsetEntries) return new SetValue(EMPTY_INTSET);
        if (sizeHint <= l.listpackEntries) return new SetValue(EMPTY_LISTPACK);
        return new SetValue(new HashedMembers((int) Math.min(sizeHint, 1 << 20)));
    }

    /** An empty set that starts as an intset, as Redis builds the results of SINTERSTORE and friends. */
    public static SetValue createIntset() {
        return new SetValue(EMPTY_INTSET);
    }

    @Override
    public String typeName() {
        return "set";
    }

    @Override
    public String encoding() {
        if (data instanceof HashedMembers) return "hashtable";
        return data instanceof byte[] ? "listpack" : "intset";
    }

    @Override
    public long memoryUsage() {
        return 16 + switch (data) {
            case short[] a -> arrayBytes(2L * a.length);
            case int[] a -> arrayBytes(4L * a.length);
            case long[] a -> arrayBytes(8L * a.length);
            case byte[] a -> arrayBytes(a.length);
            default -> ((HashedMembers) data).memoryUsage();
        };
    }

    @Override
    public SetValue copy() {
        return new SetValue(switch (data) {
            case short[] a -> a.clone();
            case int[] a -> a.clone();
            case long[] a -> a.clone();
            case byte[] a -> a.clone();
            default -> ((HashedMembers) data).copy();
        });
    }

    public int size() {
        return switch (data) {
            case short[] a -> a.length;
            case int[] a -> a.length;
            case long[] a -> a.length;
            case byte[] a -> lpCount(a);
            default -> ((HashedMembers) data).size();
        };
    }

    private boolean isIntset() {
        return data instanceof short[] || data instanceof int[] || data instanceof long[];
    }

    // ---- membership -------------------------------------------------------------------------

    public boolean contains(byte[] m) {
        if (isIntset()) return Bytes.isLong(m) && intsetFind(Bytes.toLong(m)) >= 0;
        if (data instanceof byte[] lp) return lpFind(lp, m) >= 0;
        return ((HashedMembers) data).contains(m);
    }

    /** Adds a member; returns true when it was not already present. */
    public boolean add(byte[] m, Limits l) {
        if (isIntset()) {
            int n = size();
            if (Bytes.isLong(m)) {
                if (!intsetAdd(Bytes.toLong(m))) return false;
                if (n + 1 > l.intsetEntries) convert(false, n + 1);
                return true;
            }
            // A string joins: listpack if everything would fit there, else a hashtable.
            convert(n < l.listpackEntries && m.length <= l.listpackValue && maxIntsetDigits() <= l.listpackValue, n + 1);
            return add(m, l);
        }
        if (data instanceof byte[] lp) {
            if (lpFind(lp, m) >= 0) return false;
            if (lpCount(lp) < l.listpackEntries && m.length <= l.listpackValue) {
                data = lpAppend(lp, m);
                return true;
            }
            convert(false, lpCount(lp) + 1);
        }
        return ((HashedMembers) data).add(m);
    }

    /**
     * Shrinks a hashtable left under 1/10 full by a write that presized it for more members than
     * it added (SADD of many duplicates), as Redis's cron resizes such a dict.
     */
    public void shrinkIfSparse() {
        if (data instanceof HashedMembers h) h.shrinkIfSparse();
    }

    public boolean remove(byte[] m) {
        if (isIntset()) {
            if (!Bytes.isLong(m)) return false;
            int i = intsetFind(Bytes.toLong(m));
            if (i < 0) return false;
            intsetRemoveAt(i);
            return true;
        }
        if (data instanceof byte[] lp) {
            int off = lpFind(lp, m);
            if (off < 0) return false;
            data = lpRemoveAt(lp, off);
            return true;
        }
        return ((HashedMembers) data).remove(m);
    }

    /** A uniformly chosen member, or null when empty. */
    public byte[] random() {
        if (data instanceof HashedMembers h) return h.random();
        int n = size();
        if (n == 0) return null;
        return memberAtPosition(ThreadLocalRandom.current().nextInt(n));
    }

    /** Removes and returns a uniformly chosen member. */
    public byte[] pop() {
        byte[] m = random();
        if (m != null) remove(m);
        return m;
    }

    /**
     * Positions {@link #memberAtPosition} takes: the members of an intset or listpack, the slots of
     * a hashtable (some of them free).
     */
    public int positions() {
        return data instanceof HashedMembers h ? h.capacity() : size();
    }

    /**
     * The member at position {@code i} (see {@link #positions}), or null for a free hashtable slot.
     * O(1) for intset and hashtable, O(n) for the (small) listpack.
     */
    public byte[] memberAtPosition(int i) {
        if (isIntset()) return Bytes.fromLong(intsetGet(i));
        if (data instanceof byte[] lp) {
            int off = lpFirst(lp);
            for (int k = 0; k < i; k++) off = lpNext(lp, off);
            return lpValue(lp, off);
        }
        return ((HashedMembers) data).at(i);
    }

    @Override
    public long elementCount() {
        return size();
    }

    @Override
    public void forEachElement(Consumer<byte[]> action) {
        forEach(action);
    }

    /** Visits every member in the encoding's order (sorted for intsets, insertion order for listpacks). */
    public void forEach(Consumer<byte[]> action) {
        if (isIntset()) {
            int n = size();
            for (int i = 0; i < n; i++) action.accept(Bytes.fromLong(intsetGet(i)));
        } else if (data instanceof byte[] lp) {
            for (int off = lpFirst(lp); off < lp.length; off = lpNext(lp, off)) action.accept(lpValue(lp, off));
        } else {
            ((HashedMembers) data).forEach(action);
        }
    }

    /** All members as an array, in iteration order. */
    public byte[][] toArray() {
        byte[][] out = new byte[size()][];
        int[] i = {0};
        forEach(m -> out[i[0]++] = m);
        return out;
    }

    /** True when SSCAN must page with a cursor (hashtable); packed encodings are returned whole. */
    public boolean isHashtable() {
        return data instanceof HashedMembers;
    }

    /** One SSCAN step over the hashtable; see {@link HashedMembers#scan}. */
    public long scan(long cursor, int count, Consumer<byte[]> action) {
        return ((HashedMembers) data).scan(cursor, count, action);
    }

    // ---- conversion ---------------------------------------------------------------------------

    private void convert(boolean toListpack, int sizeHint) {
        byte[][] all = toArray();
        if (toListpack) {
            byte[] lp = EMPTY_LISTPACK;
            for (byte[] m : all) lp = lpAppend(lp, m);
            data = lp;
        } else {
            HashedMembers h = new HashedMembers(sizeHint);
            for (byte[] m : all) h.add(m);
            data = h;
        }
    }

    /** Digits (with sign) of the intset's widest value, the size it would take as a string. */
    private int maxIntsetDigits() {
        int n = size();
        if (n == 0) return 0;
        return Math.max(Bytes.fromLong(intsetGet(0)).length, Bytes.fromLong(intsetGet(n - 1)).length);
    }

    // ---- intset ---------------------------------------------------------------------------------

    private long intsetGet(int i) {
        return switch (data) {
            case short[] a -> a[i];
            case int[] a -> a[i];
            default -> ((long[]) data)[i];
        };
    }

    private static int widthFor(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return 2;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 4;
        return 8;
    }

    private int width() {
        return data instanceof short[] ? 2 : data instanceof int[] ? 4 : 8;
    }

    /** Index of v, or -(insertion point) - 1. */
    private int intsetFind(long v) {
        return switch (data) {
            case short[] a -> v < Short.MIN_VALUE || v > Short.MAX_VALUE ? -1 : Arrays.binarySearch(a, (short) v);
            case int[] a -> v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? -1 : Arrays.binarySearch(a, (int) v);
            default -> Arrays.binarySearch((long[]) data, v);
        };
    }

    private static Object newIntArray(int width, int n) {
        return width == 2 ? new short[n] : width == 4 ? new int[n] : new long[n];
    }

    private static void put(Object arr, int i, long v) {
        switch (arr) {
            case short[] a -> a[i] = (short) v;
            case int[] a -> a[i] = (int) v;
            default -> ((long[]) arr)[i] = v;
        }
    }

    private boolean intsetAdd(long v) {
        int n = size();
        int w = widthFor(v);
        if (w > width()) {
            // Upgrading: the new value is beyond every current one, so it goes at an end.
            Object up = newIntArray(w, n + 1);
            int shift = v < 0 ? 1 : 0;
            for (int i = 0; i < n; i++) put(up, i + shift, intsetGet(i));
            put(up, v < 0 ? 0 : n, v);
            data = up;
            return true;
        }
        int at = intsetFind(v);
        if (at >= 0) return false;
        at = -at - 1;
        Object grown = newIntArray(width(), n + 1);
        System.arraycopy(data, 0, grown, 0, at);
        System.arraycopy(data, at, grown, at + 1, n - at);
        put(grown, at, v);
        data = grown;
        return true;
    }

    private void intsetRemoveAt(int i) {
        int n = size();
        Object shrunk = newIntArray(width(), n - 1);
        System.arraycopy(data, 0, shrunk, 0, i);
        System.arraycopy(data, i + 1, shrunk, i, n - i - 1);
        data = shrunk;
    }

    // ---- listpack ---------------------------------------------------------------------------------

    private static int readVarint(byte[] b, int p, int[] out) {
        int v = 0;
        int shift = 0;
        while (true) {
            int x = b[p++];
            v |= (x & 0x7f) << shift;
            if (x >= 0) break;
            shift += 7;
        }
        out[0] = v;
        return p;
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    private static int putVarint(byte[] b, int p, int v) {
        while ((v & ~0x7f) != 0) {
            b[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    private static int lpCount(byte[] lp) {
        int[] v = new int[1];
        readVarint(lp, 0, v);
        return v[0];
    }

    private static int lpFirst(byte[] lp) {
        int p = 0;
        while (lp[p] < 0) p++;
        return p + 1;
    }

    /** Offset of the record after the one at {@code off}. */
    private static int lpNext(byte[] b, int off) {
        int[] len = new int[1];
        int p = readVarint(b, off, len);
        return p + len[0];
    }

    private static byte[] lpValue(byte[] b, int off) {
        int[] len = new int[1];
        int p = readVarint(b, off, len);
        return Arrays.copyOfRange(b, p, p + len[0]);
    }

    /** Offset of the record holding m, or -1. */
    private static int lpFind(byte[] b, byte[] m) {
        int[] len = new int[1];
        int off = lpFirst(b);
        while (off < b.length) {
            int p = readVarint(b, off, len);
            if (len[0] == m.length && Arrays.equals(b, p, p + len[0], m, 0, m.length)) return off;
            off = p + len[0];
        }
        return -1;
    }

    /** A copy of the listpack's records under a new count header, with {@code extra} spare bytes at the end. */
    private static byte[] lpRebuild(byte[] old, int count, int extra) {
        int first = lpFirst(old);
        int hdr = varintSize(count);
        byte[] n = new byte[hdr + old.length - first + extra];
        putVarint(n, 0, count);
        System.arraycopy(old, first, n, hdr, old.length - first);
        return n;
    }

    private static byte[] lpAppend(byte[] old, byte[] m) {
        int recLen = varintSize(m.length) + m.length;
        byte[] n = lpRebuild(old, lpCount(old) + 1, recLen);
        int p = putVarint(n, n.length - recLen, m.length);
        System.arraycopy(m, 0, n, p, m.length);
        return n;
    }

    private static byte[] lpRemoveAt(byte[] old, int off) {
        int end = lpNext(old, off);
        int first = lpFirst(old);
        int count = lpCount(old) - 1;
        int hdr = varintSize(count);
        byte[] n = new byte[hdr + (old.length - first) - (end - off)];
        putVarint(n, 0, count);
        System.arraycopy(old, first, n, hdr, off - first);
        System.arraycopy(old, end, n, hdr + off - first, old.length - end);
        return n;
    }
}
