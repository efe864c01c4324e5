package io.amdc.core.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Redis does INCRBYFLOAT / HINCRBYFLOAT arithmetic in C long double (x87 80-bit: 64-bit
 * significand) and prints the result with "%.17Lf" minus trailing zeros. Java has no such type,
 * so values are held as exact BigDecimals rounded to 64 significant bits after every operation,
 * which reproduces Redis's digits (e.g. 10.5 + 0.1 prints "10.6", not "10.599999999999999").
 */
public final class X87Decimal {
    private X87Decimal() {
    }

    /**
     * Parses as strtold would for Redis's string2ld: no leading space, whole string consumed,
     * no NaN, no overflow/underflow. Returns null when not a valid number; infinities are
     * reported through {@link #isInfinity}.
     */
    public static BigDecimal parse(byte[] b) {
        if (b.length == 0 || b.length >= 5 * 1024) return null;
        String s = new String(b, StandardCharsets.US_ASCII);
        if (Character.isWhitespace(s.charAt(0))) return null;
        if (s.indexOf('_') >= 0 || s.endsWith("d") || s.endsWith("D") || s.endsWith("f") || s.endsWith("F")) return null;
        BigDecimal v;
        try {
            v = new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
        if (v.signum() != 0) {
            long mag = (long) v.precision() - v.scale(); // decimal digits before the point
            if (mag > 4933 || mag < -4950) return null; // strtold reports ERANGE
        }
        return round64(v);
    }

    /** Whether the text spells an infinity strtold accepts ("inf", "-Infinity"...). */
    public static boolean isInfinity(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII).toLowerCase();
        if (s.startsWith("+") || s.startsWith("-")) s = s.substring(1);
        return s.equals("inf") || s.equals("infinity");
    }

    /** Rounds to the nearest value with a 64-bit binary significand (ties to even). */
    public static BigDecimal round64(BigDecimal x) {
        if (x.signum() == 0) return BigDecimal.ZERO;
        BigInteger u = x.unscaledValue().abs();
        int s = x.scale();
        BigInteger num = s >= 0 ? u : u.multiply(BigInteger.TEN.pow(-s));
        BigInteger den = s >= 0 ? BigInteger.TEN.pow(s) : BigInteger.ONE;
        // Choose k so that num * 2^k / den lies in [2^63, 2^64).
        int k = 64 - (num.bitLength() - den.bitLength());
        BigInteger q;
        BigInteger r;
        BigInteger d;
        while (true) {
            BigInteger n = k >= 0 ? num.shiftLeft(k) : num;
            d = k >= 0 ? den : den.shiftLeft(-k);
            BigInteger[] qr = n.divideAndRemainder(d);
            q = qr[0];
            r = qr[1];
            if (q.bitLength() > 64) k--;
            else if (q.bitLength() < 64) k++;
            else break;
        }
        int cmp = r.shiftLeft(1).compareTo(d);
        if (cmp > 0 || (cmp == 0 && q.testBit(0))) q = q.add(BigInteger.ONE);
        BigDecimal out;
        if (k >= 0) out = new BigDecimal(q.multiply(BigInteger.valueOf(5).pow(k)), k);
        else out = new BigDecimal(q.shiftLeft(-k));
        return x.signum() < 0 ? out.negate() : out;
    }

    /** "%.17Lf" with trailing zeros (and a bare point) removed; negative zero prints "0". */
    public static String format(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (s.indexOf('.') >= 0) {
            int e = s.length();
            while (s.charAt(e - 1) == '0') e--;
            if (s.charAt(e - 1) == '.') e--;
            s = s.substring(0, e);
        }
        if (s.equals("-0")) return "0";
        return s;
    }
}
