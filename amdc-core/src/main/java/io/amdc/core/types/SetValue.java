package io.amdc.core.types;

import io.amdc.core.util.Bytes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A Redis set in one of Redis 7.2's three encodings:
 * <ul>
 *   <li>intset: sorted integers packed little-endian in a byte[] at the width of the widest value
 *       (2, 4 or 8 bytes), binary-searched;</li>
 *   <li>listpack: small sets of short strings as [varint length][bytes] records in one byte[], in
 *       insertion order, linearly scanned;</li>
 *   <li>hashtable: {@link HashedMembers}, an open-array chained hash table.</li>
 * </ul>
 * Conversions follow Redis: intset → listpack or hashtable when a non-integer arrives, intset →
 * hashtable past set-max-intset-entries, listpack → hashtable past set-max-listpack-entries/value.
 * Sets never convert back to a smaller encoding.
 */
public final class SetValue implements TypedValue {
    /** Conversion thresholds, read from the config by the caller once per command. */
    public record Limits(long intsetEntries, long listpackEntries, long listpackValue) {
    }

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final byte INTSET = 0;
    private static final byte LISTPACK = 1;
    private static final byte HASHTABLE = 2;

    private byte enc;
    /** intset: width in bytes (2/4/8). listpack: unused. */
    private byte width;
    /** intset/listpack: number of members; the hashtable keeps its own count. */
    private int count;
    /** byte[] for intset and listpack (exactly sized), HashedMembers for hashtable. */
    private Object data;

    private SetValue(byte enc) {
        this.enc = enc;
        this.width = 2;
        this.data = enc == HASHTABLE ? new HashedMembers(4) : new byte[0];
    }

    /** An empty set in the encoding Redis would pick for a first member and a size hint. */
    public static SetValue create(byte[] first, long sizeHint, Limits l) {
        if (Bytes.isLong(first) && sizeHint <= l.intsetEntries) return new SetValue(INTSET);
        if (sizeHint <= l.listpackEntries) return new SetValue(LISTPACK);
        return new SetValue(HASHTABLE);
    }

    /** An empty set that starts as an intset, as Redis builds the results of SINTERSTORE and friends. */
    public static SetValue createIntset() {
        return new SetValue(INTSET);
    }

    @Override
    public String typeName() {
        return "set";
    }

    @Override
    public String encoding() {
        return switch (enc) {
            case INTSET -> "intset";
            case LISTPACK -> "listpack";
            default -> "hashtable";
        };
    }

    @Override
    public long memoryUsage() {
        long base = 24;
        if (data instanceof byte[] b) return base + 16 + align(b.length);
        return base + ((HashedMembers) data).memoryUsage();
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    @Override
    public SetValue copy() {
        SetValue s = new SetValue(enc);
        s.width = width;
        s.count = count;
        s.data = data instanceof byte[] b ? b.clone() : ((HashedMembers) data).copy();
        return s;
    }

    public int size() {
        return enc == HASHTABLE ? ((HashedMembers) data).size() : count;
    }

    // ---- membership -------------------------------------------------------------------------

    public boolean contains(byte[] m) {
        switch (enc) {
            case INTSET:
                return Bytes.isLong(m) && intsetFind(Bytes.toLong(m)) >= 0;
            case LISTPACK:
                return lpFind(m) >= 0;
            default:
                return ((HashedMembers) data).contains(m);
        }
    }

    /** Adds a member; returns true when it was not already present. */
    public boolean add(byte[] m, Limits l) {
        switch (enc) {
            case INTSET: {
                if (Bytes.isLong(m)) {
                    long v = Bytes.toLong(m);
                    if (!intsetAdd(v)) return false;
                    if (count > l.intsetEntries) convert(HASHTABLE, count);
                    return true;
                }
                if (count < l.listpackEntries && m.length <= l.listpackValue && maxIntsetDigits() <= l.listpackValue) {
                    convert(LISTPACK, count + 1);
                } else {
                    convert(HASHTABLE, count + 1);
                }
                return add(m, l);
            }
            case LISTPACK: {
                if (lpFind(m) >= 0) return false;
                if (count < l.listpackEntries && m.length <= l.listpackValue) {
                    lpAppend(m);
                    return true;
                }
                convert(HASHTABLE, count + 1);
                return ((HashedMembers) data).add(m);
            }
            default:
                return ((HashedMembers) data).add(m);
        }
    }

    public boolean remove(byte[] m) {
        switch (enc) {
            case INTSET: {
                if (!Bytes.isLong(m)) return false;
                int i = intsetFind(Bytes.toLong(m));
                if (i < 0) return false;
                intsetRemoveAt(i);
                return true;
            }
            case LISTPACK: {
                int off = lpFind(m);
                if (off < 0) return false;
                lpRemoveAt(off);
                return true;
            }
            default:
                return ((HashedMembers) data).remove(m);
        }
    }

    /** A uniformly chosen member, or null when empty. */
    public byte[] random() {
        int n = size();
        if (n == 0) return null;
        return memberAt(ThreadLocalRandom.current().nextInt(n));
    }

    /** Removes and returns a uniformly chosen member. */
    public byte[] pop() {
        byte[] m = random();
        if (m != null) remove(m);
        return m;
    }

    /**
     * The member at position {@code i} of the encoding's iteration order. O(1) for intset and
     * hashtable, O(n) for the (small) listpack.
     */
    public byte[] memberAt(int i) {
        switch (enc) {
            case INTSET:
                return Bytes.fromLong(intsetGet(i));
            case LISTPACK: {
                byte[] b = (byte[]) data;
                int off = 0;
                for (int k = 0; k < i; k++) off = lpNext(b, off);
                return lpValue(b, off);
            }
            default:
                return ((HashedMembers) data).at(i);
        }
    }

    /** Visits every member in the encoding's order (sorted for intsets, insertion order for listpacks). */
    public void forEach(Consumer<byte[]> action) {
        switch (enc) {
            case INTSET:
                for (int i = 0; i < count; i++) action.accept(Bytes.fromLong(intsetGet(i)));
                return;
            case LISTPACK: {
                byte[] b = (byte[]) data;
                for (int off = 0; off < b.length; off = lpNext(b, off)) action.accept(lpValue(b, off));
                return;
            }
            default:
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
        return enc == HASHTABLE;
    }

    /** One SSCAN step over the hashtable; see {@link HashedMembers#scan}. */
    public long scan(long cursor, int count, Consumer<byte[]> action) {
        return ((HashedMembers) data).scan(cursor, count, action);
    }

    // ---- conversion ---------------------------------------------------------------------------

    private void convert(byte to, int sizeHint) {
        byte[][] all = toArray();
        SetValue fresh = new SetValue(to);
        if (to == HASHTABLE) fresh.data = new HashedMembers(sizeHint);
        for (byte[] m : all) {
            if (to == HASHTABLE) ((HashedMembers) fresh.data).add(m);
            else fresh.lpAppend(m);
        }
        this.enc = to;
        this.count = fresh.count;
        this.data = fresh.data;
    }

    /** Digits (with sign) of the intset's widest value, the size it would take as a string. */
    private int maxIntsetDigits() {
        if (count == 0) return 0;
        return Math.max(Bytes.fromLong(intsetGet(0)).length, Bytes.fromLong(intsetGet(count - 1)).length);
    }

    // ---- intset ---------------------------------------------------------------------------------

    private long intsetGet(int i) {
        byte[] b = (byte[]) data;
        return switch (width) {
            case 2 -> (short) SHORT.get(b, i * 2);
            case 4 -> (int) INT.get(b, i * 4);
            default -> (long) LONG.get(b, i * 8);
        };
    }

    private static void put(byte[] b, int w, int i, long v) {
        switch (w) {
            case 2 -> SHORT.set(b, i * 2, (short) v);
            case 4 -> INT.set(b, i * 4, (int) v);
            default -> LONG.set(b, i * 8, v);
        }
    }

    private static int widthFor(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return 2;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 4;
        return 8;
    }

    /** Index of v, or -(insertion point) - 1. */
    private int intsetFind(long v) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long x = intsetGet(mid);
            if (x < v) lo = mid + 1;
            else if (x > v) hi = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }

    private boolean intsetAdd(long v) {
        int w = widthFor(v);
        if (w > width) {
            // Upgrading: the new value is beyond every current one, so it goes at an end.
            byte[] n = new byte[(count + 1) * w];
            int shift = v < 0 ? 1 : 0;
            for (int i = 0; i < count; i++) put(n, w, i + shift, intsetGet(i));
            put(n, w, v < 0 ? 0 : count, v);
            data = n;
            width = (byte) w;
            count++;
            return true;
        }
        int at = intsetFind(v);
        if (at >= 0) return false;
        at = -at - 1;
        byte[] old = (byte[]) data;
        byte[] n = new byte[old.length + width];
        System.arraycopy(old, 0, n, 0, at * width);
        System.arraycopy(old, at * width, n, (at + 1) * width, old.length - at * width);
        put(n, width, at, v);
        data = n;
        count++;
        return true;
    }

    private void intsetRemoveAt(int i) {
        byte[] old = (byte[]) data;
        byte[] n = new byte[old.length - width];
        System.arraycopy(old, 0, n, 0, i * width);
        System.arraycopy(old, (i + 1) * width, n, i * width, old.length - (i + 1) * width);
        data = n;
        count--;
    }

    // ---- listpack ---------------------------------------------------------------------------------

    /** Offset of the record after the one at {@code off}. */
    private static int lpNext(byte[] b, int off) {
        int len = 0;
        int shift = 0;
        int p = off;
        while (true) {
            int x = b[p++];
            len |= (x & 0x7f) << shift;
            if (x >= 0) break;
            shift += 7;
        }
        return p + len;
    }

    private static byte[] lpValue(byte[] b, int off) {
        int len = 0;
        int shift = 0;
        int p = off;
        while (true) {
            int x = b[p++];
            len |= (x & 0x7f) << shift;
            if (x >= 0) break;
            shift += 7;
        }
        return Arrays.copyOfRange(b, p, p + len);
    }

    /** Offset of the record holding m, or -1. */
    private int lpFind(byte[] m) {
        byte[] b = (byte[]) data;
        int off = 0;
        while (off < b.length) {
            int len = 0;
            int shift = 0;
            int p = off;
            while (true) {
                int x = b[p++];
                len |= (x & 0x7f) << shift;
                if (x >= 0) break;
                shift += 7;
            }
            if (len == m.length && Arrays.equals(b, p, p + len, m, 0, len)) return off;
            off = p + len;
        }
        return -1;
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    private void lpAppend(byte[] m) {
        byte[] old = (byte[]) data;
        int hdr = varintSize(m.length);
        byte[] n = Arrays.copyOf(old, old.length + hdr + m.length);
        int p = old.length;
        int v = m.length;
        while ((v & ~0x7f) != 0) {
            n[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        n[p++] = (byte) v;
        System.arraycopy(m, 0, n, p, m.length);
        data = n;
        count++;
    }

    private void lpRemoveAt(int off) {
        byte[] old = (byte[]) data;
        int end = lpNext(old, off);
        byte[] n = new byte[old.length - (end - off)];
        System.arraycopy(old, 0, n, 0, off);
        System.arraycopy(old, end, n, off, old.length - end);
        data = n;
        count--;
    }
}
