package io.amdc.core.types;

import java.util.Arrays;

/**
 * HyperLogLog sketches in Redis's exact string format, so GET returns the bytes Redis would hold
 * and PFCOUNT gives Redis's numbers. Layout (documented by Redis): a 16-byte header "HYLL", one
 * encoding byte (0 dense, 1 sparse), 3 unused bytes, an 8-byte little-endian cached cardinality
 * whose top bit marks it stale; then either 16384 six-bit registers packed LSB first (dense) or a
 * run-length opcode stream (sparse): ZERO 00xxxxxx (1..64 zero registers), XZERO 01xxxxxx
 * yyyyyyyy (1..16384 zero registers), VAL 1vvvvvxx (value 1..32 repeated 1..4 times).
 *
 * <p>Values are plain byte[] strings in the keyspace. A sparse sketch under construction lives in
 * a {@link Sparse} work buffer; every mutation ends with a fresh exact-length array, so a byte[]
 * value is never mutated after it was stored (string values may be shared).
 */
public final class Hll {
    private Hll() {
    }

    public static final int P = 14;
    public static final int REGISTERS = 1 << P;
    static final int Q = 64 - P;
    public static final int HDR = 16;
    public static final int DENSE_SIZE = HDR + (REGISTERS * 6 + 7) / 8;
    public static final int DENSE = 0;
    public static final int SPARSE = 1;
    static final int ZERO_MAX = 64;
    static final int XZERO_MAX = 16384;
    static final int VAL_MAX_VALUE = 32;
    static final int VAL_MAX_LEN = 4;
    private static final double ALPHA_INF = 0.721347520444481703680;

    /** Thrown for a sparse stream that does not cover exactly 16384 registers. */
    public static final class Corrupt extends RuntimeException {
        public Corrupt() {
            super(null, null, false, false);
        }
    }

    /** A new, empty sketch: sparse, a single XZERO covering all registers, cached count 0. */
    public static byte[] create() {
        byte[] b = new byte[HDR + 2];
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[4] = SPARSE;
        b[HDR] = (byte) (0x40 | ((XZERO_MAX - 1) >> 8));
        b[HDR + 1] = (byte) ((XZERO_MAX - 1) & 0xff);
        return b;
    }

    /** Whether a string value is acceptable as a sketch (Redis checks only magic, encoding and dense size). */
    public static boolean isValid(byte[] b) {
        if (b.length < HDR || b[0] != 'H' || b[1] != 'Y' || b[2] != 'L' || b[3] != 'L') return false;
        int enc = b[4] & 0xff;
        if (enc > SPARSE) return false;
        return enc != DENSE || b.length == DENSE_SIZE;
    }

    public static int encoding(byte[] b) {
        return b[4];
    }

    public static boolean cacheValid(byte[] b) {
        return (b[15] & 0x80) == 0;
    }

    public static long cached(byte[] b) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[8 + i] & 0xff);
        return v;
    }

    public static void storeCache(byte[] b, long card) {
        for (int i = 0; i < 8; i++) b[8 + i] = (byte) (card >>> (8 * i));
    }

    public static void invalidateCache(byte[] b) {
        b[15] |= (byte) 0x80;
    }

    // ---------------------------------------------------------------- hashing

    /** MurmurHash64A as HyperLogLog uses it (little-endian blocks). */
    public static long murmur64a(byte[] data, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int len = data.length;
        long h = seed ^ (len * m);
        int blocks = len & ~7;
        for (int i = 0; i < blocks; i += 8) {
            long k = (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24 | (data[i + 4] & 0xffL) << 32 | (data[i + 5] & 0xffL) << 40
                    | (data[i + 6] & 0xffL) << 48 | (data[i + 7] & 0xffL) << 56;
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int rest = len & 7;
        if (rest != 0) {
            for (int i = rest - 1; i >= 0; i--) h ^= (data[blocks + i] & 0xffL) << (8 * i);
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** Register index (low 14 bits) and run length of zeros + 1 (bits above), packed as index | count << 16. */
    static int indexAndCount(byte[] element) {
        long hash = murmur64a(element, 0xadc83b19L);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q; // bounds the count at Q+1
        int count = Long.numberOfTrailingZeros(hash) + 1;
        return index | count << 16;
    }

    // ---------------------------------------------------------------- dense registers

    public static int denseGet(byte[] b, int reg) {
        int bit = reg * 6;
        int at = HDR + (bit >> 3);
        int fb = bit & 7;
        int lo = b[at] & 0xff;
        int hi = at + 1 < b.length ? b[at + 1] & 0xff : 0;
        return ((lo >> fb) | (hi << (8 - fb))) & 63;
    }

    static void denseSet(byte[] b, int reg, int val) {
        int bit = reg * 6;
        int at = HDR + (bit >> 3);
        int fb = bit & 7;
        b[at] = (byte) ((b[at] & ~(63 << fb)) | (val << fb));
        if (fb > 2) {
            int fb8 = 8 - fb;
            b[at + 1] = (byte) ((b[at + 1] & ~(63 >> fb8)) | (val >> fb8));
        }
    }

    // ---------------------------------------------------------------- conversion

    /** The dense form of a sparse sketch, header (and cached count) kept; throws Corrupt. */
    public static byte[] toDense(byte[] sparse) {
        byte[] d = new byte[DENSE_SIZE];
        System.arraycopy(sparse, 0, d, 0, HDR);
        d[4] = DENSE;
        int idx = 0;
        int p = HDR;
        int end = sparse.length;
        while (p < end) {
            int op = sparse[p] & 0xff;
            if ((op & 0xc0) == 0) {
                idx += (op & 0x3f) + 1;
                p++;
            } else if ((op & 0xc0) == 0x40) {
                if (p + 1 >= end) throw new Corrupt();
                idx += (((op & 0x3f) << 8) | (sparse[p + 1] & 0xff)) + 1;
                p += 2;
            } else {
                int run = (op & 3) + 1;
                int val = ((op >> 2) & 0x1f) + 1;
                if (idx + run > REGISTERS) break;
                for (int i = 0; i < run; i++) denseSet(d, idx++, val);
                p++;
            }
        }
        if (idx != REGISTERS) throw new Corrupt();
        return d;
    }

    /** max[i] = max(max[i], register i of hll); throws Corrupt for a broken sparse stream. */
    public static void mergeInto(byte[] max, byte[] hll) {
        if (hll[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(hll, i);
                if (v > max[i]) max[i] = (byte) v;
            }
            return;
        }
        int i = 0;
        int p = HDR;
        int end = hll.length;
        while (p < end) {
            int op = hll[p] & 0xff;
            if ((op & 0xc0) == 0) {
                i += (op & 0x3f) + 1;
                p++;
            } else if ((op & 0xc0) == 0x40) {
                if (p + 1 >= end) throw new Corrupt();
                i += (((op & 0x3f) << 8) | (hll[p + 1] & 0xff)) + 1;
                p += 2;
            } else {
                int run = (op & 3) + 1;
                int val = ((op >> 2) & 0x1f) + 1;
                if (i + run > REGISTERS) break;
                for (int k = 0; k < run; k++, i++) {
                    if (val > max[i]) max[i] = (byte) val;
                }
                p++;
            }
        }
        if (i != REGISTERS) throw new Corrupt();
    }

    // ---------------------------------------------------------------- counting

    /** Cardinality of a stored sketch (ignores the cache); throws Corrupt. */
    public static long count(byte[] hll) {
        int[] histo = new int[Q + 2];
        if (hll[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) histo[denseGet(hll, i)]++;
        } else {
            int idx = 0;
            int p = HDR;
            int end = hll.length;
            while (p < end) {
                int op = hll[p] & 0xff;
                if ((op & 0xc0) == 0) {
                    int run = (op & 0x3f) + 1;
                    idx += run;
                    histo[0] += run;
                    p++;
                } else if ((op & 0xc0) == 0x40) {
                    if (p + 1 >= end) throw new Corrupt();
                    int run = (((op & 0x3f) << 8) | (hll[p + 1] & 0xff)) + 1;
                    idx += run;
                    histo[0] += run;
                    p += 2;
                } else {
                    int run = (op & 3) + 1;
                    idx += run;
                    histo[((op >> 2) & 0x1f) + 1] += run;
                    p++;
                }
            }
            if (idx != REGISTERS) throw new Corrupt();
        }
        return estimate(histo);
    }

    /** Cardinality of raw one-byte-per-register maxima (PFCOUNT over several keys). */
    public static long countRaw(byte[] regs) {
        int[] histo = new int[Q + 2];
        for (byte r : regs) histo[r]++;
        return estimate(histo);
    }

    /** Ertl's improved raw estimator ("New cardinality estimation algorithms for HyperLogLog sketches"). */
    private static long estimate(int[] histo) {
        double m = REGISTERS;
        double z = m * tau((m - histo[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histo[j];
            z *= 0.5;
        }
        z += m * sigma(histo[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.0) return Double.POSITIVE_INFINITY;
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) return 0.0;
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (zPrime != z);
        return z / 3;
    }

    // ---------------------------------------------------------------- mutation

    /**
     * A sketch being modified by one command. Starts from a stored value and copies it on the
     * first change, so the stored array is untouched until {@link #result()} replaces it.
     */
    public static final class Sketch {
        private byte[] buf;
        private int len;
        private boolean owned;
        private final int sparseMax;

        public Sketch(byte[] stored, int sparseMaxBytes) {
            this.buf = stored;
            this.len = stored.length;
            this.sparseMax = sparseMaxBytes;
        }

        public boolean dense() {
            return buf[4] == DENSE;
        }

        /** Makes buf a private copy with room for {@code extra} more bytes (sparse growth is amortised). */
        private void own(int extra) {
            if (owned && len + extra <= buf.length) return;
            int cap = owned ? Math.max(buf.length * 2, len + extra) : len + extra + (dense() ? 0 : 32);
            buf = Arrays.copyOf(buf, cap);
            owned = true;
        }

        /** Adds an element; true when a register changed. Throws Corrupt. */
        public boolean add(byte[] element) {
            int ic = indexAndCount(element);
            return set(ic & 0xffff, ic >>> 16);
        }

        /** Raises register {@code index} to {@code count}; true when it changed. Throws Corrupt. */
        public boolean set(int index, int count) {
            if (dense()) {
                if (denseGet(buf, index) >= count) return false;
                own(0);
                denseSet(buf, index, count);
                return true;
            }
            return sparseSet(index, count);
        }

        public void toDenseNow() {
            if (dense()) return;
            buf = toDense(Arrays.copyOf(buf, len));
            len = buf.length;
            owned = true;
        }

        public void invalidate() {
            own(0);
            invalidateCache(buf);
        }

        public boolean changed() {
            return owned;
        }

        /** The exact-length value to store. */
        public byte[] result() {
            return len == buf.length ? buf : Arrays.copyOf(buf, len);
        }

        private boolean sparseSet(int index, int count) {
            if (count > VAL_MAX_VALUE) return promote(index, count);
            byte[] b = buf;
            int end = len;
            int p = HDR;
            int prev = -1;
            int first = 0;
            int span = 0;
            int oplen = 1;
            // Step 1: find the opcode covering the register.
            while (p < end) {
                int op = b[p] & 0xff;
                oplen = 1;
                if ((op & 0xc0) == 0) {
                    span = (op & 0x3f) + 1;
                } else if ((op & 0x80) != 0) {
                    span = (op & 3) + 1;
                } else {
                    if (p + 1 >= end) throw new Corrupt();
                    span = (((op & 0x3f) << 8) | (b[p + 1] & 0xff)) + 1;
                    oplen = 2;
                }
                if (index <= first + span - 1) break;
                prev = p;
                p += oplen;
                first += span;
            }
            if (span == 0 || p >= end) throw new Corrupt();
            int op = b[p] & 0xff;
            boolean isVal = (op & 0x80) != 0;
            boolean isZero = (op & 0xc0) == 0;
            boolean isXzero = !isVal && !isZero;
            int runlen = span;
            if (isVal) {
                int old = ((op >> 2) & 0x1f) + 1;
                if (old >= count) return false;
                if (runlen == 1) {
                    own(0);
                    buf[p] = val(count, 1);
                    mergeAround(prev);
                    return true;
                }
            }
            if (isZero && runlen == 1) {
                own(0);
                buf[p] = val(count, 1);
                mergeAround(prev);
                return true;
            }
            // Step 2: split the opcode into at most five bytes.
            byte[] seq = new byte[5];
            int n = 0;
            int last = first + span - 1;
            if (isZero || isXzero) {
                if (index != first) n = zeros(seq, n, index - first);
                seq[n++] = val(count, 1);
                if (index != last) n = zeros(seq, n, last - index);
            } else {
                int cur = ((op >> 2) & 0x1f) + 1;
                if (index != first) seq[n++] = val(cur, index - first);
                seq[n++] = val(count, 1);
                if (index != last) seq[n++] = val(cur, last - index);
            }
            // Step 3: substitute the sequence for the old opcode, or go dense if it grows too big.
            int oldlen = isXzero ? 2 : 1;
            int delta = n - oldlen;
            if (delta > 0 && len + delta > sparseMax) return promote(index, count);
            own(Math.max(delta, 0));
            int next = p + oldlen;
            System.arraycopy(buf, next, buf, next + delta, len - next);
            System.arraycopy(seq, 0, buf, p, n);
            len += delta;
            mergeAround(prev);
            return true;
        }

        /** Step 4: merge adjacent VAL opcodes of equal value, scanning up to five opcodes from prev. */
        private void mergeAround(int prev) {
            byte[] b = buf;
            int p = prev >= 0 ? prev : HDR;
            int scan = 5;
            while (p < len && scan-- > 0) {
                int op = b[p] & 0xff;
                if ((op & 0xc0) == 0x40) {
                    p += 2;
                    continue;
                } else if ((op & 0xc0) == 0) {
                    p++;
                    continue;
                }
                if (p + 1 < len && (b[p + 1] & 0x80) != 0) {
                    int op2 = b[p + 1] & 0xff;
                    int v1 = ((op >> 2) & 0x1f) + 1;
                    int v2 = ((op2 >> 2) & 0x1f) + 1;
                    if (v1 == v2) {
                        int l = (op & 3) + 1 + (op2 & 3) + 1;
                        if (l <= VAL_MAX_LEN) {
                            b[p + 1] = val(v1, l);
                            System.arraycopy(b, p + 1, b, p, len - p - 1);
                            len--;
                            continue;
                        }
                    }
                }
                p++;
            }
        }

        private boolean promote(int index, int count) {
            toDenseNow();
            denseSet(buf, index, count);
            return true;
        }
    }

    static byte val(int value, int len) {
        return (byte) (0x80 | ((value - 1) << 2) | (len - 1));
    }

    private static int zeros(byte[] seq, int n, int len) {
        if (len > ZERO_MAX) {
            seq[n++] = (byte) (0x40 | ((len - 1) >> 8));
            seq[n++] = (byte) ((len - 1) & 0xff);
        } else {
            seq[n++] = (byte) (len - 1);
        }
        return n;
    }

    /** PFDEBUG DECODE's rendering of a sparse stream: "z:n", "Z:n", "v:value,len" separated by spaces. */
    public static String decode(byte[] hll) {
        StringBuilder sb = new StringBuilder();
        int p = HDR;
        while (p < hll.length) {
            int op = hll[p] & 0xff;
            if ((op & 0xc0) == 0) {
                sb.append("z:").append((op & 0x3f) + 1).append(' ');
                p++;
            } else if ((op & 0xc0) == 0x40) {
                int run = p + 1 < hll.length ? (((op & 0x3f) << 8) | (hll[p + 1] & 0xff)) + 1 : (op & 0x3f) << 8;
                sb.append("Z:").append(run).append(' ');
                p += 2;
            } else {
                sb.append("v:").append(((op >> 2) & 0x1f) + 1).append(',').append((op & 3) + 1).append(' ');
                p++;
            }
        }
        int e = sb.length();
        while (e > 0 && sb.charAt(e - 1) == ' ') e--;
        return sb.substring(0, e);
    }
}
