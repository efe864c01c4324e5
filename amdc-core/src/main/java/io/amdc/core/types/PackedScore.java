package io.amdc.core.types;

/**
 * A sorted-set score as stored in the listpack: one unsigned varint token
 * {@code zigzag(m) << 4 | e} meaning score = m / 10^e (e in 0..14, |m| < 2^53), the smallest e
 * for which that division gives back the double bit for bit; token {@link #RAW} is followed by
 * the raw 8-byte IEEE value (infinities, long fractions, huge or tiny magnitudes). Typical scores
 * (small integers, one or two decimals) take 1-3 bytes, as Redis's listpack keeps them as short
 * integers or text. Callers pass -0.0 already folded to 0 (a listpack cannot hold it in Redis).
 */
final class PackedScore {
    static final int RAW = 15;
    private static final int MAX_EXP = 14;
    private static final double TWO_53 = 9007199254740992.0;
    private static final double[] POW10 = new double[MAX_EXP + 1];

    static {
        double p = 1;
        for (int e = 0; e <= MAX_EXP; e++, p *= 10) POW10[e] = p; // 10^e <= 10^14 is exact
    }

    private PackedScore() {
    }

    /** The token for {@code score}: decimal form when exact, else {@link #RAW}. */
    static long token(double score) {
        for (int e = 0; e <= MAX_EXP; e++) {
            double t = score * POW10[e];
            // Also rejects infinities and NaN: the mantissa must be an exact long below 2^53.
            if (!(Math.abs(t) < TWO_53)) return RAW;
            long m = Math.round(t);
            // m and 10^e are exact doubles, so the division is correctly rounded: the same
            // expression on decoding yields exactly this double.
            if (m / POW10[e] == score) return (m << 1 ^ m >> 63) << 4 | e;
        }
        return RAW;
    }

    /** Bytes the token (and the raw double after a {@link #RAW} token) take. */
    static int size(long token) {
        return token == RAW ? 9 : varSize(token);
    }

    /** Writes the token (and the raw double for {@link #RAW}) at off; returns the end offset. */
    static int write(byte[] b, int off, long token, double score) {
        long v = token;
        while ((v & ~0x7fL) != 0) {
            b[off++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        b[off++] = (byte) v;
        if (token == RAW) {
            long bits = Double.doubleToRawLongBits(score);
            for (int i = 0; i < 8; i++) b[off++] = (byte) (bits >>> (56 - 8 * i));
        }
        return off;
    }

    /** The score stored at off. */
    static double read(byte[] b, int off) {
        long v = 0;
        int shift = 0;
        byte x;
        do {
            x = b[off++];
            v |= (long) (x & 0x7f) << shift;
            shift += 7;
        } while (x < 0);
        if (v == RAW) {
            long bits = 0;
            for (int i = 0; i < 8; i++) bits = (bits << 8) | (b[off + i] & 0xffL);
            return Double.longBitsToDouble(bits);
        }
        long z = v >>> 4;
        long m = z >>> 1 ^ -(z & 1);
        return m / POW10[(int) (v & 15)];
    }

    /** Offset just past the score stored at off. */
    static int skip(byte[] b, int off) {
        // A RAW token is the single byte 15; any other one-byte token has no raw tail.
        if (b[off] == RAW) return off + 9;
        while (b[off++] < 0) {
        }
        return off;
    }

    private static int varSize(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }
}
