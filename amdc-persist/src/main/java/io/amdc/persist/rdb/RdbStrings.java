package io.amdc.persist.rdb;

import java.nio.charset.StandardCharsets;

/** Integer/double text helpers with Redis's rules for which strings count as integers. */
final class RdbStrings {
    static final long NOT_INT = Long.MIN_VALUE + 7;

    private RdbStrings() {
    }

    /**
     * The value of a canonical decimal integer (no sign on zero, no leading zeros, no '+', fits
     * a long), else NOT_INT: only such strings may be stored as integers and read back equal.
     */
    static long parseCanonical(byte[] s) {
        int n = s.length;
        if (n == 0 || n > 20) return NOT_INT;
        int i = 0;
        boolean neg = false;
        if (s[0] == '-') {
            if (n == 1) return NOT_INT;
            neg = true;
            i = 1;
        }
        if (s[i] == '0') return n == 1 ? 0 : NOT_INT;
        long v = 0;
        for (; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) return NOT_INT;
            if (v < (Long.MIN_VALUE + d) / 10) return NOT_INT;
            v = v * 10 - d; // accumulate negatively to reach Long.MIN_VALUE
        }
        if (neg) return v == NOT_INT ? NOT_INT : v;
        if (v == Long.MIN_VALUE) return NOT_INT;
        return -v;
    }

    static byte[] ofLong(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A score as Redis writes it in listpacks and old zsets: "%.17g" text (0.1 as
     * 0.10000000000000001, 1e20 as 1e+20), inf/-inf/nan, so DUMP payloads equal Redis's byte for
     * byte, as AMDC's double replies do.
     */
    static byte[] ofDouble(double d) {
        return io.amdc.resp.Doubles.format(d).getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses a score the way strtod would accept what Redis writes; NaN when not a number. */
    static double parseDouble(byte[] s) {
        String t = new String(s, StandardCharsets.US_ASCII).trim();
        switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                if (t.isEmpty() || t.indexOf('x') >= 0 || t.indexOf('X') >= 0 || t.endsWith("d") || t.endsWith("f")
                        || t.endsWith("D") || t.endsWith("F")) {
                    return Double.NaN;
                }
                try {
                    return Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
    }
}
