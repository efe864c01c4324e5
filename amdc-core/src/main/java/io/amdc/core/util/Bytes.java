package io.amdc.core.util;

import io.amdc.core.command.CommandError;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Number parsing and formatting on byte[] with Redis's rules (no spaces, no '+', no leading zeros). */
public final class Bytes {
    private Bytes() {
    }

    public static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static boolean eqIgnoreCase(byte[] b, String ascii) {
        if (b.length != ascii.length()) return false;
        for (int i = 0; i < b.length; i++) {
            int c = b[i];
            if (c >= 'a' && c <= 'z') c -= 32;
            int d = ascii.charAt(i);
            if (d >= 'a' && d <= 'z') d -= 32;
            if (c != d) return false;
        }
        return true;
    }

    /** Parses a strict decimal long as Redis's string2ll; null when not one. */
    public static boolean isLong(byte[] b) {
        return parseLong(b, 0, b.length, NOT_A_NUMBER) != NOT_A_NUMBER || isMinValue(b, 0, b.length);
    }

    // parseLong's "bad" marker is Long.MIN_VALUE itself, so that one number is recognised apart.
    private static final long NOT_A_NUMBER = Long.MIN_VALUE;
    private static final byte[] MIN_VALUE = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);

    private static boolean isMinValue(byte[] b, int from, int to) {
        return to - from == 20 && Arrays.equals(b, from, to, MIN_VALUE, 0, 20);
    }

    /** Strict long parse; throws "value is not an integer or out of range". */
    public static long toLong(byte[] b) {
        return toLong(b, 0, b.length);
    }

    /** Strict long parse with a custom error message. */
    public static long toLong(byte[] b, String error) {
        long v = parseLong(b, 0, b.length, NOT_A_NUMBER);
        if (v == NOT_A_NUMBER && !isMinValue(b, 0, b.length)) throw new CommandError(error);
        return v;
    }

    static long parseLong(byte[] b, int from, int to, long bad) {
        int n = to - from;
        if (n == 0 || n > 20) return bad;
        if (n == 1 && b[from] == '0') return 0;
        int i = from;
        boolean neg = false;
        if (b[i] == '-') {
            neg = true;
            i++;
            if (i == to) return bad;
        }
        if (b[i] < '1' || b[i] > '9') return bad;
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return bad;
            if (v > (Long.MAX_VALUE - d) / 10) {
                return bad;
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    /** Parses a double as Redis's strtold-based parsing accepts: no spaces, inf/-inf allowed, no nan. */
    public static double toDouble(byte[] b) {
        return toDouble(b, CommandError.NOT_FLOAT);
    }

    public static double toDouble(byte[] b, String error) {
        if (b.length == 0 || b.length > 5000) throw new CommandError(error);
        // Scores are mostly plain integers: up to 15 digits they convert exactly without a String.
        int n = b.length;
        int i = b[0] == '-' ? 1 : 0;
        if (n - i >= 1 && n - i <= 15) {
            long v = 0;
            for (int j = i; j < n; j++) {
                int d = b[j] - '0';
                if (d < 0 || d > 9) {
                    v = -1;
                    break;
                }
                v = v * 10 + d;
            }
            if (v >= 0) return i == 0 ? (double) v : -(double) v; // "-0" is -0.0, as strtod gives
        }
        String s = new String(b, StandardCharsets.US_ASCII);
        char first = s.charAt(0);
        char last = s.charAt(s.length() - 1);
        if (Character.isWhitespace(first) || Character.isWhitespace(last)) throw new CommandError(error);
        String l = s.toLowerCase();
        switch (l) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (l.contains("nan") || l.endsWith("d") || l.endsWith("f") || l.contains("x") || l.contains("_")) {
            throw new CommandError(error);
        }
        try {
            double d = Double.parseDouble(s);
            if (Double.isNaN(d)) throw new CommandError(error);
            return d;
        } catch (NumberFormatException e) {
            throw new CommandError(error);
        }
    }

    public static byte[] fromLong(long v) {
        byte[] b = new byte[digits(v)];
        writeLong(b, 0, b.length, v);
        return b;
    }

    /** Strict long parse of {@code b[from, to)}; throws "value is not an integer or out of range". */
    public static long toLong(byte[] b, int from, int to) {
        long v = parseLong(b, from, to, NOT_A_NUMBER);
        if (v == NOT_A_NUMBER && !isMinValue(b, from, to)) throw CommandError.notInteger();
        return v;
    }

    /** Number of characters of {@code v} in decimal, sign included. */
    public static int digits(long v) {
        return io.amdc.resp.Decimal.length(v);
    }

    /** Writes {@code v} in decimal into {@code b[off, off + len)}, where len == digits(v). */
    public static void writeLong(byte[] b, int off, int len, long v) {
        io.amdc.resp.Decimal.writeEndingAt(b, off + len, v);
    }
}
