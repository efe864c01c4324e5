package io.amdc.core.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * INCRBYFLOAT arithmetic as Redis does it on x86-64: operands parsed by strtold into an 80-bit
 * long double (64-bit significand), summed with one rounding, printed as "%.17Lf" with trailing
 * zeros trimmed. Plain doubles would print 0.1+0.2 as 0.30000000000000004 where Redis prints 0.3,
 * so values are carried as the exact decimal of the rounded binary number.
 */
public final class LongDouble {
    private LongDouble() {
    }

    /** Marker for +/- infinity, which strtold accepts and the sum check then rejects. */
    public static final BigDecimal POS_INF = new BigDecimal("1e99999");
    public static final BigDecimal NEG_INF = POS_INF.negate();

    private static final int SIGNIFICAND_BITS = 64;
    private static final int MAX_EXP = 16384;     // values below 2^16384
    private static final int MIN_NORMAL_EXP = -16382; // smallest normal is 2^-16382
    private static final int MAX_CHARS = 5 * 1024; // Redis's MAX_LONG_DOUBLE_CHARS

    /**
     * Parses as Redis's string2ld: the whole input must be a number strtold accepts (decimal, hex,
     * inf), no leading space, no NaN, no overflow/underflow. Returns null when invalid.
     */
    public static BigDecimal parse(byte[] b) {
        int n = b.length;
        if (n == 0 || n >= MAX_CHARS) return null;
        int i = 0;
        boolean neg = false;
        if (b[0] == '+' || b[0] == '-') {
            neg = b[0] == '-';
            i = 1;
        }
        String rest = new String(b, i, n - i, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase();
        if (rest.equals("inf") || rest.equals("infinity")) return neg ? NEG_INF : POS_INF;
        BigDecimal exact = rest.startsWith("0x") ? parseHex(rest.substring(2)) : parseDecimal(rest);
        if (exact == null) return null;
        if (neg) exact = exact.negate();
        BigDecimal r = round(exact);
        if (r == POS_INF || r == NEG_INF) return null; // ERANGE overflow
        if (r.signum() == 0 && exact.signum() != 0) return null; // ERANGE underflow
        if (r.signum() != 0 && r.abs().compareTo(MIN_NORMAL) < 0) return null;
        return r;
    }

    private static final BigDecimal MIN_NORMAL = pow2(MIN_NORMAL_EXP);

    private static BigDecimal parseDecimal(String s) {
        // strtold grammar: digits [. digits] [e [+-] digits], at least one mantissa digit.
        int i = 0;
        int n = s.length();
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) return null;
        if (i < n && s.charAt(i) == 'e') {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) j++;
            int expDigits = 0;
            while (j < n && isDigit(s.charAt(j))) {
                j++;
                expDigits++;
            }
            if (expDigits == 0) return null;
            i = j;
        }
        if (i != n) return null;
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static BigDecimal parseHex(String s) {
        int i = 0;
        int n = s.length();
        BigInteger mant = BigInteger.ZERO;
        int digits = 0;
        long exp = 0;
        while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
            mant = mant.shiftLeft(4).or(BigInteger.valueOf(Character.digit(s.charAt(i++), 16)));
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0) {
                mant = mant.shiftLeft(4).or(BigInteger.valueOf(Character.digit(s.charAt(i++), 16)));
                digits++;
                exp -= 4;
            }
        }
        if (digits == 0) return null;
        if (i < n && s.charAt(i) == 'p') {
            int j = i + 1;
            boolean eneg = false;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) eneg = s.charAt(j++) == '-';
            long e = 0;
            int ed = 0;
            while (j < n && isDigit(s.charAt(j))) {
                e = Math.min(e * 10 + (s.charAt(j++) - '0'), 1_000_000);
                ed++;
            }
            if (ed == 0) return null;
            exp += eneg ? -e : e;
            i = j;
        }
        if (i != n) return null;
        if (Math.abs(exp) > 100_000) return mant.signum() == 0 ? BigDecimal.ZERO : (exp > 0 ? POS_INF : BigDecimal.ZERO);
        return exp >= 0 ? new BigDecimal(mant.shiftLeft((int) exp)) : new BigDecimal(mant).multiply(pow2((int) exp));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** a + b rounded to long double; infinity markers propagate. Returns null for inf - inf (NaN). */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        boolean ai = a == POS_INF || a == NEG_INF;
        boolean bi = b == POS_INF || b == NEG_INF;
        if (ai && bi) return a == b ? a : null;
        if (ai) return a;
        if (bi) return b;
        return round(a.add(b));
    }

    public static boolean isFinite(BigDecimal v) {
        return v != null && v != POS_INF && v != NEG_INF;
    }

    /** Rounds an exact decimal to the nearest 64-bit-significand binary value (ties to even). */
    static BigDecimal round(BigDecimal x) {
        if (x.signum() == 0) return BigDecimal.ZERO;
        boolean neg = x.signum() < 0;
        BigInteger num = x.unscaledValue().abs();
        BigInteger den = BigInteger.ONE;
        if (x.scale() > 0) den = BigInteger.TEN.pow(x.scale());
        else if (x.scale() < 0) num = num.multiply(BigInteger.TEN.pow(-x.scale()));
        // find e with 2^63 <= x / 2^e < 2^64
        int e = num.bitLength() - den.bitLength() - SIGNIFICAND_BITS;
        BigInteger[] qr;
        while (true) {
            BigInteger nn = e >= 0 ? num : num.shiftLeft(-e);
            BigInteger dd = e >= 0 ? den.shiftLeft(e) : den;
            qr = nn.divideAndRemainder(dd);
            int bl = qr[0].bitLength();
            if (bl > SIGNIFICAND_BITS) {
                e++;
            } else if (bl < SIGNIFICAND_BITS) {
                e--;
            } else {
                BigInteger twiceRem = qr[1].shiftLeft(1);
                int cmp = twiceRem.compareTo(dd);
                BigInteger q = qr[0];
                if (cmp > 0 || (cmp == 0 && q.testBit(0))) q = q.add(BigInteger.ONE);
                if (q.bitLength() > SIGNIFICAND_BITS) {
                    q = q.shiftRight(1);
                    e++;
                }
                if (e + SIGNIFICAND_BITS > MAX_EXP) return neg ? NEG_INF : POS_INF;
                BigDecimal v = e >= 0 ? new BigDecimal(q.shiftLeft(e)) : new BigDecimal(q).multiply(pow2(e));
                return neg ? v.negate() : v;
            }
        }
    }

    /** 2^e exactly, for any e (negative powers are finite decimals: 5^k / 10^k). */
    private static BigDecimal pow2(int e) {
        if (e >= 0) return new BigDecimal(BigInteger.ONE.shiftLeft(e));
        return new BigDecimal(BigInteger.valueOf(5).pow(-e), -e);
    }

    /** "%.17Lf" with trailing zeros and a trailing point removed; "-0" prints as "0". */
    public static String format(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }
}
