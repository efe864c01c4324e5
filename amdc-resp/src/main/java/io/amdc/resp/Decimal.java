package io.amdc.resp;

import java.nio.charset.StandardCharsets;

/** Decimal text of longs written straight into byte arrays: reply integers and stored counters. */
public final class Decimal {
    private static final byte[] MIN_VALUE = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);

    private Decimal() {
    }

    /** Number of characters of {@code v} in decimal, sign included. */
    public static int length(long v) {
        if (v == Long.MIN_VALUE) return 20;
        int n = 1;
        if (v < 0) {
            n++;
            v = -v;
        }
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    /** Writes {@code v} so that its last character is at {@code b[end - 1]}; returns where it starts. */
    public static int writeEndingAt(byte[] b, int end, long v) {
        if (v == Long.MIN_VALUE) {
            System.arraycopy(MIN_VALUE, 0, b, end - 20, 20);
            return end - 20;
        }
        int i = end;
        boolean neg = v < 0;
        if (neg) v = -v;
        do {
            b[--i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        } while (v != 0);
        if (neg) b[--i] = '-';
        return i;
    }
}
