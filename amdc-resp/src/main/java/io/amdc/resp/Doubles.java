package io.amdc.resp;

import java.math.BigDecimal;

/** Formats doubles the way Redis prints them in replies. */
public final class Doubles {
    private Doubles() {
    }

    /**
     * Shortest representation that reads back to the same double (Redis 7 uses "%.17g"-then-trim
     * semantics through fpconv; the shortest round-trip form is what it prints), with inf/-inf/nan
     * spelled as Redis spells them and integral values printed without a fraction.
     */
    public static String format(double d) {
        if (Double.isNaN(d)) return "nan";
        if (d == Double.POSITIVE_INFINITY) return "inf";
        if (d == Double.NEGATIVE_INFINITY) return "-inf";
        if (d == 0) return (1 / d < 0) ? "-0" : "0";
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) return s;
        // Java's scientific form (1.0E-5) becomes Redis's (1.0000000000000001e-05) style: %.17g.
        int exp = Integer.parseInt(s.substring(e + 1));
        if (exp >= -5 && exp < 17) {
            return new BigDecimal(s).toPlainString();
        }
        String mant = s.substring(0, e);
        if (mant.endsWith(".0")) mant = mant.substring(0, mant.length() - 2);
        String sign = exp < 0 ? "-" : "+";
        int a = Math.abs(exp);
        return mant + "e" + sign + (a < 10 ? "0" + a : Integer.toString(a));
    }

    /**
     * Formats as INCRBYFLOAT / HINCRBYFLOAT do: "%.17Lf" with trailing zeros removed, i.e. a plain
     * decimal without exponent, limited to 17 significant digits.
     */
    public static String formatHuman(double d) {
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == Math.rint(d) && Math.abs(d) < 1e17) return Long.toString((long) d);
        BigDecimal bd = new BigDecimal(d).round(new java.math.MathContext(17));
        String s = bd.stripTrailingZeros().toPlainString();
        return s;
    }
}
