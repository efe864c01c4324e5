package io.amdc.core.types;

import java.util.Arrays;

/**
 * A Redis sorted set: members ordered by (score, member bytes unsigned). Small sets live in one
 * packed byte[] ("listpack": per entry a varint length, the member bytes and the score in
 * {@link PackedScore}'s compact form); past zset-max-listpack-entries/value they become an
 * order-statistic B+ tree plus a member index ({@link ZTree}; OBJECT ENCODING says "skiplist"
 * as Redis does, since clients and tools test for that name). Every operation is expressed through
 * ranks so commands never see the encoding.
 *
 * <p>One reference field holds either encoding so the object stays at 24 bytes (header, the
 * accounted size, the reference and the two listpack counters).
 */
public final class ZSet extends AccountedValue {
    /** Receives entries in iteration order. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(byte[] member, double score);
    }

    private static final byte[] EMPTY = {};

    /** The listpack (byte[]) or the skiplist encoding ({@link ZTree}). */
    private Object data;
    private int lpUsed;  // listpack bytes in use
    private int lpCount; // listpack entries

    public ZSet() {
        data = EMPTY;
    }

    /** An empty set already in skiplist encoding (for results known to exceed the listpack limits). */
    public static ZSet skiplist() {
        ZSet z = new ZSet();
        z.data = new ZTree();
        return z;
    }

    @Override
    public String typeName() {
        return "zset";
    }

    @Override
    public String encoding() {
        return data instanceof byte[] ? "listpack" : "skiplist";
    }

    @Override
    public long memoryUsage() {
        // 24 for this object; a ZTree object with its path arrays is about 160 more.
        if (data instanceof byte[] lp) return 24 + arrayBytes(lp.length);
        return 184 + tree().memoryUsage();
    }

    @Override
    public TypedValue copy() {
        ZSet z = new ZSet();
        if (data instanceof byte[] lp) {
            z.data = lpUsed == 0 ? EMPTY : Arrays.copyOf(lp, packedCapacity(lpUsed, 0));
            z.lpUsed = lpUsed;
            z.lpCount = lpCount;
        } else {
            ZTree s = new ZTree();
            tree().forRange(0, tree().size() - 1, false, (m, sc) -> s.insert(m.clone(), sc));
            z.data = s;
        }
        return z;
    }

    public boolean packed() {
        return data instanceof byte[];
    }

    public int size() {
        return data instanceof byte[] ? lpCount : tree().size();
    }

    private ZTree tree() {
        return (ZTree) data;
    }

    /** The score of {@code member}, or NaN when absent (scores are never NaN). */
    public double score(byte[] member) {
        if (!(data instanceof byte[] lp)) return tree().score(member);
        int off = lpFind(lp, member);
        return off < 0 ? Double.NaN : PackedScore.read(lp, scoreOffset(lp, off));
    }

    /**
     * Inserts or re-scores a member. Converts to skiplist when the set would exceed the listpack
     * limits. Returns true when the member was new.
     */
    public boolean put(byte[] member, double score, long maxEntries, long maxValue) {
        return Double.isNaN(replace(member, score, maxEntries, maxValue));
    }

    /**
     * {@link #put} with one lookup for callers that also need the previous score: returns it, or
     * NaN when the member was new (scores are never NaN).
     */
    public double replace(byte[] member, double score, long maxEntries, long maxValue) {
        if (data instanceof byte[] lp) {
            int off = lpFind(lp, member);
            if (off >= 0) {
                double old = PackedScore.read(lp, scoreOffset(lp, off));
                if (old == score) return old;
                // The entry comes straight back: keep the space for it.
                lpRemoveAt(lp, off, false);
                lpInsert(member, score);
                return old;
            }
            if (lpCount + 1 > maxEntries || member.length > maxValue) {
                toSkiplist();
            } else {
                lpInsert(member, score);
                return Double.NaN;
            }
        }
        return tree().replace(member, score);
    }

    public boolean remove(byte[] member) {
        if (!(data instanceof byte[] lp)) return tree().remove(member);
        int off = lpFind(lp, member);
        if (off < 0) return false;
        lpRemoveAt(lp, off, true);
        return true;
    }

    /** 0-based ascending rank of {@code member}, or -1. */
    public long rank(byte[] member) {
        if (!(data instanceof byte[] lp)) return tree().rank(member);
        int off = 0;
        for (int i = 0; i < lpCount; i++) {
            int len = readLen(lp, off);
            int start = off + lenSize(len);
            if (Arrays.equals(lp, start, start + len, member, 0, member.length)) return i;
            off = PackedScore.skip(lp, start + len);
        }
        return -1;
    }

    /** Number of entries whose score is below min (or at most min when {@code exclusive}). */
    public long countBelowScore(double min, boolean exclusive) {
        if (!(data instanceof byte[] lp)) return tree().countBelowScore(min, exclusive);
        int off = 0;
        int n = 0;
        for (; n < lpCount; n++) {
            int len = readLen(lp, off);
            int so = off + lenSize(len) + len;
            double s = PackedScore.read(lp, so);
            if (exclusive ? s > min : s >= min) break;
            off = PackedScore.skip(lp, so);
        }
        return n;
    }

    /**
     * Number of entries lexically below {@code bound} (members compared as unsigned bytes; all
     * scores are assumed equal as ZRANGEBYLEX requires). {@code inclusiveOfBound} counts entries
     * equal to the bound as below it.
     */
    public long countBelowLex(byte[] bound, boolean inclusiveOfBound) {
        if (!(data instanceof byte[] lp)) return tree().countBelowLex(bound, inclusiveOfBound);
        int off = 0;
        int n = 0;
        for (; n < lpCount; n++) {
            int len = readLen(lp, off);
            int start = off + lenSize(len);
            int cmp = Arrays.compareUnsigned(lp, start, start + len, bound, 0, bound.length);
            if (inclusiveOfBound ? cmp > 0 : cmp >= 0) break;
            off = PackedScore.skip(lp, start + len);
        }
        return n;
    }

    /** Visits ranks from..to (inclusive, 0-based, ascending positions), in reverse when {@code rev}. */
    public void forRange(long from, long to, boolean rev, EntryVisitor v) {
        if (from > to || from >= size()) return;
        if (!(data instanceof byte[] lp)) {
            tree().forRange(from, to, rev, v);
            return;
        }
        if (!rev) {
            int off = 0;
            for (int i = 0; i <= to && i < lpCount; i++) {
                int len = readLen(lp, off);
                int start = off + lenSize(len);
                int so = start + len;
                if (i >= from) v.visit(Arrays.copyOfRange(lp, start, so), PackedScore.read(lp, so));
                off = PackedScore.skip(lp, so);
            }
            return;
        }
        int[] offs = lpOffsets(lp);
        for (long i = Math.min(to, lpCount - 1); i >= from; i--) {
            int off = offs[(int) i];
            int len = readLen(lp, off);
            int start = off + lenSize(len);
            v.visit(Arrays.copyOfRange(lp, start, start + len), PackedScore.read(lp, start + len));
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
        if (data instanceof byte[]) return;
        ZTree old = tree();
        if (old.size() > maxEntries || old.maxMemberLength() > maxValue) return;
        data = EMPTY;
        lpUsed = 0;
        lpCount = 0;
        old.forRange(0, old.size() - 1, false, this::lpAppend);
    }

    /** Whether a set of {@code n} entries with longest member {@code maxLen} must start as skiplist. */
    public static boolean needsSkiplist(long n, long maxLen, long maxEntries, long maxValue) {
        return n > maxEntries || maxLen > maxValue;
    }

    /** Converts to skiplist encoding (SORT does this to its input, as Redis does). */
    public void toSkiplist() {
        if (!(data instanceof byte[])) return;
        ZTree s = new ZTree();
        forRange(0, lpCount - 1, false, s::insert);
        data = s;
        lpUsed = 0;
        lpCount = 0;
    }

    // ---- listpack internals -------------------------------------------------------------

    /**
     * Capacity for a packed byte[] that must hold {@code need} bytes and now has {@code current}.
     * Small arrays take just the bytes the 8-byte object alignment would waste anyway, so a settled
     * small set carries no slack; larger ones grow by half to keep appends amortised.
     */
    private static int packedCapacity(int need, int current) {
        if (need < 512) return (int) arrayBytes(need) - ARRAY_HEADER;
        return Math.max(need, current + (current >> 1));
    }

    private int[] lpOffsets(byte[] lp) {
        int[] offs = new int[lpCount];
        int off = 0;
        for (int i = 0; i < lpCount; i++) {
            offs[i] = off;
            off = scoreEnd(lp, off);
        }
        return offs;
    }

    private int lpFind(byte[] lp, byte[] member) {
        int off = 0;
        for (int i = 0; i < lpCount; i++) {
            int len = readLen(lp, off);
            int start = off + lenSize(len);
            if (Arrays.equals(lp, start, start + len, member, 0, member.length)) return off;
            off = PackedScore.skip(lp, start + len);
        }
        return -1;
    }

    private static int scoreOffset(byte[] lp, int off) {
        int len = readLen(lp, off);
        return off + lenSize(len) + len;
    }

    /** Offset of the entry after the one at off. */
    private static int scoreEnd(byte[] lp, int off) {
        return PackedScore.skip(lp, scoreOffset(lp, off));
    }

    private void lpRemoveAt(byte[] lp, int off, boolean mayShrink) {
        int end = scoreEnd(lp, off);
        int size = end - off;
        int used = lpUsed - size;
        int slack = lp.length - used;
        // Give back space once much of the array is unused: small arrays as soon as two
        // alignment steps are free, larger ones when over half is (so growth by half and
        // shrinking cannot alternate).
        if (mayShrink && slack >= 16 && (used < 512 || slack > used >> 1)) {
            byte[] n = used == 0 ? EMPTY : new byte[packedCapacity(used, 0)];
            System.arraycopy(lp, 0, n, 0, off);
            System.arraycopy(lp, end, n, off, lpUsed - end);
            data = n;
        } else {
            System.arraycopy(lp, end, lp, off, lpUsed - end);
        }
        lpUsed = used;
        lpCount--;
    }

    private void lpInsert(byte[] member, double score) {
        // Redis's listpack keeps scores as text and so cannot hold a negative zero.
        if (score == 0) score = 0.0;
        byte[] lp = (byte[]) data;
        int off = 0;
        for (int i = 0; i < lpCount; i++) {
            int len = readLen(lp, off);
            int start = off + lenSize(len);
            int so = start + len;
            double s = PackedScore.read(lp, so);
            if (s > score || (s == score && Arrays.compareUnsigned(lp, start, so, member, 0, member.length) > 0)) break;
            off = PackedScore.skip(lp, so);
        }
        long token = PackedScore.token(score);
        int size = lenSize(member.length) + member.length + PackedScore.size(token);
        int need = lpUsed + size;
        if (need > lp.length) {
            byte[] n = new byte[packedCapacity(need, lp.length)];
            System.arraycopy(lp, 0, n, 0, off);
            System.arraycopy(lp, off, n, off + size, lpUsed - off);
            data = lp = n;
        } else {
            System.arraycopy(lp, off, lp, off + size, lpUsed - off);
        }
        write(lp, off, member, token, score);
        lpUsed = need;
        lpCount++;
    }

    /** Appends an entry known to sort after every present one. */
    private void lpAppend(byte[] member, double score) {
        if (score == 0) score = 0.0;
        byte[] lp = (byte[]) data;
        long token = PackedScore.token(score);
        int need = lpUsed + lenSize(member.length) + member.length + PackedScore.size(token);
        if (need > lp.length) data = lp = Arrays.copyOf(lp, packedCapacity(need, lp.length));
        write(lp, lpUsed, member, token, score);
        lpUsed = need;
        lpCount++;
    }

    private static void write(byte[] lp, int off, byte[] member, long token, double score) {
        int len = member.length;
        while (len >= 0x80) {
            lp[off++] = (byte) (len | 0x80);
            len >>>= 7;
        }
        lp[off++] = (byte) len;
        System.arraycopy(member, 0, lp, off, member.length);
        PackedScore.write(lp, off + member.length, token, score);
    }

    private static int readLen(byte[] lp, int off) {
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
}
