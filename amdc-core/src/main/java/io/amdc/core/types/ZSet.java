package io.amdc.core.types;

import java.util.Arrays;

/**
 * A Redis sorted set: members ordered by (score, member bytes unsigned). Small sets live in one
 * packed byte[] ("listpack": per entry a varint length, the member bytes and the 8-byte score);
 * past zset-max-listpack-entries/value they become a rank-aware skip list plus a member index
 * ("skiplist"). Every operation is expressed through ranks so commands never see the encoding.
 */
public final class ZSet extends AccountedValue {
    /** Receives entries in iteration order. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(byte[] member, double score);
    }

    // listpack encoding (lp != null)
    private byte[] lp;
    private int lpUsed;
    private int lpCount;
    // skiplist encoding (lp == null)
    private ZSkipList sl;

    public ZSet() {
        lp = new byte[32];
    }

    /** An empty set already in skiplist encoding (for results known to exceed the listpack limits). */
    public static ZSet skiplist() {
        ZSet z = new ZSet();
        z.lp = null;
        z.sl = new ZSkipList();
        return z;
    }

    @Override
    public String typeName() {
        return "zset";
    }

    @Override
    public String encoding() {
        return lp != null ? "listpack" : "skiplist";
    }

    @Override
    public long memoryUsage() {
        if (lp != null) return 32 + lp.length;
        return 48 + sl.memoryUsage();
    }

    @Override
    public TypedValue copy() {
        ZSet z = new ZSet();
        if (lp != null) {
            z.lp = Arrays.copyOf(lp, lp.length);
            z.lpUsed = lpUsed;
            z.lpCount = lpCount;
        } else {
            z.lp = null;
            z.sl = new ZSkipList();
            sl.forRange(0, sl.size() - 1, false, (m, s) -> z.sl.insert(m.clone(), s));
        }
        return z;
    }

    public boolean packed() {
        return lp != null;
    }

    public int size() {
        return lp != null ? lpCount : sl.size();
    }

    /** The score of {@code member}, or NaN when absent (scores are never NaN). */
    public double score(byte[] member) {
        if (lp == null) return sl.score(member);
        int off = lpFind(member);
        return off < 0 ? Double.NaN : lpScore(off);
    }

    /**
     * Inserts or re-scores a member. Converts to skiplist when the set would exceed the listpack
     * limits. Returns true when the member was new.
     */
    public boolean put(byte[] member, double score, long maxEntries, long maxValue) {
        if (lp != null) {
            int off = lpFind(member);
            if (off >= 0) {
                if (lpScore(off) == score) return false;
                lpRemoveAt(off);
                lpInsert(member, score);
                return false;
            }
            if (lpCount + 1 > maxEntries || member.length > maxValue) {
                toSkiplist();
            } else {
                lpInsert(member, score);
                return true;
            }
        }
        return sl.put(member, score);
    }

    public boolean remove(byte[] member) {
        if (lp == null) return sl.remove(member);
        int off = lpFind(member);
        if (off < 0) return false;
        lpRemoveAt(off);
        return true;
    }

    /** 0-based ascending rank of {@code member}, or -1. */
    public long rank(byte[] member) {
        if (lp == null) return sl.rank(member);
        int off = 0;
        for (int i = 0; i < lpCount; i++) {
            int len = readLen(off);
            int start = off + lenSize(len);
            if (Arrays.equals(lp, start, start + len, member, 0, member.length)) return i;
            off = start + len + 8;
        }
        return -1;
    }

    /** Number of entries whose score is below min (or at most min when {@code exclusive}). */
    public long countBelowScore(double min, boolean exclusive) {
        if (lp == null) return sl.countBelowScore(min, exclusive);
        int off = 0;
        int n = 0;
        for (; n < lpCount; n++) {
            int len = readLen(off);
            int end = off + lenSize(len) + len;
            double s = Double.longBitsToDouble(readLong(end));
            if (exclusive ? s > min : s >= min) break;
            off = end + 8;
        }
        return n;
    }

    /**
     * Number of entries lexically below {@code bound} (members compared as unsigned bytes; all
     * scores are assumed equal as ZRANGEBYLEX requires). {@code inclusiveOfBound} counts entries
     * equal to the bound as below it.
     */
    public long countBelowLex(byte[] bound, boolean inclusiveOfBound) {
        if (lp == null) return sl.countBelowLex(bound, inclusiveOfBound);
        int off = 0;
        int n = 0;
        for (; n < lpCount; n++) {
            int len = readLen(off);
            int start = off + lenSize(len);
            int cmp = Arrays.compareUnsigned(lp, start, start + len, bound, 0, bound.length);
            if (inclusiveOfBound ? cmp > 0 : cmp >= 0) break;
            off = start + len + 8;
        }
        return n;
    }

    /** Visits ranks from..to (inclusive, 0-based, ascending positions), in reverse when {@code rev}. */
    public void forRange(long from, long to, boolean rev, EntryVisitor v) {
        if (from > to || from >= size()) return;
        if (lp == null) {
            sl.forRange(from, to, rev, v);
            return;
        }
        if (!rev) {
            int off = 0;
            for (int i = 0; i <= to && i < lpCount; i++) {
                int len = readLen(off);
                int start = off + lenSize(len);
                if (i >= from) v.visit(Arrays.copyOfRange(lp, start, start + len), Double.longBitsToDouble(readLong(start + len)));
                off = start + len + 8;
            }
            return;
        }
        int[] offs = lpOffsets();
        for (long i = Math.min(to, lpCount - 1); i >= from; i--) {
            int off = offs[(int) i];
            int len = readLen(off);
            int start = off + lenSize(len);
            v.visit(Arrays.copyOfRange(lp, start, start + len), Double.longBitsToDouble(readLong(start + len)));
        }
    }

    /** The member at ascending rank {@code r}. */
    public byte[] memberAt(long r) {
        byte[][] out = new byte[1][];
        forRange(r, r, false, (m, s) -> out[0] = m);
        return out[0];
    }

    /** Converts back to listpack when a freshly built set fits (ZUNIONSTORE and friends do so). */
    public void compactIfFits(long maxEntries, long maxValue) {
        if (lp != null || sl.size() > maxEntries || sl.maxMemberLength() > maxValue) return;
        ZSkipList old = sl;
        sl = null;
        lp = new byte[32];
        old.forRange(0, old.size() - 1, false, this::lpAppend);
    }

    /** Whether a set of {@code n} entries with longest member {@code maxLen} must start as skiplist. */
    public static boolean needsSkiplist(long n, long maxLen, long maxEntries, long maxValue) {
        return n > maxEntries || maxLen > maxValue;
    }

    /** Converts to skiplist encoding (SORT does this to its input, as Redis does). */
    public void toSkiplist() {
        if (lp == null) return;
        ZSkipList s = new ZSkipList();
        forRange(0, lpCount - 1, false, s::insert);
        sl = s;
        lp = null;
        lpUsed = 0;
        lpCount = 0;
    }

    // ---- listpack internals -------------------------------------------------------------

    private int[] lpOffsets() {
        int[] offs = new int[lpCount];
        int off = 0;
        for (int i = 0; i < lpCount; i++) {
            offs[i] = off;
            int len = readLen(off);
            off += lenSize(len) + len + 8;
        }
        return offs;
    }

    private int lpFind(byte[] member) {
        int off = 0;
        for (int i = 0; i < lpCount; i++) {
            int len = readLen(off);
            int start = off + lenSize(len);
            if (Arrays.equals(lp, start, start + len, member, 0, member.length)) return off;
            off = start + len + 8;
        }
        return -1;
    }

    private double lpScore(int off) {
        int len = readLen(off);
        return Double.longBitsToDouble(readLong(off + lenSize(len) + len));
    }

    private void lpRemoveAt(int off) {
        int len = readLen(off);
        int size = lenSize(len) + len + 8;
        System.arraycopy(lp, off + size, lp, off, lpUsed - off - size);
        lpUsed -= size;
        lpCount--;
        if (lp.length > 64 && lpUsed < lp.length / 4) lp = Arrays.copyOf(lp, lp.length / 2);
    }

    private void lpInsert(byte[] member, double score) {
        // Redis's listpack keeps scores as text and so cannot hold a negative zero.
        if (score == 0) score = 0.0;
        int off = 0;
        for (int i = 0; i < lpCount; i++) {
            int len = readLen(off);
            int start = off + lenSize(len);
            double s = Double.longBitsToDouble(readLong(start + len));
            if (s > score || (s == score && Arrays.compareUnsigned(lp, start, start + len, member, 0, member.length) > 0)) break;
            off = start + len + 8;
        }
        int size = lenSize(member.length) + member.length + 8;
        ensure(size);
        System.arraycopy(lp, off, lp, off + size, lpUsed - off);
        write(off, member, score);
        lpUsed += size;
        lpCount++;
    }

    /** Appends an entry known to sort after every present one. */
    private void lpAppend(byte[] member, double score) {
        if (score == 0) score = 0.0;
        int size = lenSize(member.length) + member.length + 8;
        ensure(size);
        write(lpUsed, member, score);
        lpUsed += size;
        lpCount++;
    }

    private void ensure(int extra) {
        if (lpUsed + extra > lp.length) lp = Arrays.copyOf(lp, Math.max(lp.length * 2, lpUsed + extra));
    }

    private void write(int off, byte[] member, double score) {
        int len = member.length;
        while (len >= 0x80) {
            lp[off++] = (byte) (len | 0x80);
            len >>>= 7;
        }
        lp[off++] = (byte) len;
        System.arraycopy(member, 0, lp, off, member.length);
        off += member.length;
        long bits = Double.doubleToRawLongBits(score);
        for (int i = 0; i < 8; i++) lp[off + i] = (byte) (bits >>> (56 - 8 * i));
    }

    private int readLen(int off) {
        int len = 0;
        int shift = 0;
        while (true) {
            int b = lp[off++];
            len |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return len;
            shift += 7;
        }
    }

    private static int lenSize(int len) {
        int n = 1;
        while (len >= 0x80) {
            len >>>= 7;
            n++;
        }
        return n;
    }

    private long readLong(int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (lp[off + i] & 0xffL);
        return v;
    }
}
