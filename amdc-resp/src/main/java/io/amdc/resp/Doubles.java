package io.amdc.resp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Formats doubles the way Redis prints them in replies. */
public final class Doubles {
    private Doubles() {
    }

    /**
     * Formats as Redis's reply code does, i.e. C's "%.17g": 17 significant digits of the exact
     * binary value (round-half-even), trailing zeros dropped, exponent form when the decimal
     * exponent is below -4 or at least 17; inf/-inf/nan spelled as Redis spells them.
     */
    public static String format(double d) {
        if (Double.isNaN(d)) return "nan";
        if (d == Double.POSITIVE_INFINITY) return "inf";
        if (d == Double.NEGATIVE_INFINITY) return "-inf";
        if (d == 0) return (1 / d < 0) ? "-0" : "0";
        // Integral values below 1e17 print as the integer itself: no BigDecimal needed.
        if (d == Math.rint(d) && Math.abs(d) < 1e17) return Long.toString((long) d);
        BigDecimal bd = new BigDecimal(d).round(SIG17);
        int exp = bd.precision() - bd.scale() - 1;
        if (exp >= -4 && exp < 17) return bd.stripTrailingZeros().toPlainString();
        String digits = bd.unscaledValue().abs().toString();
        int last = digits.length();
        while (last > 1 && digits.charAt(last - 1) == '0') last--;
        StringBuilder sb = new StringBuilder(24);
        if (d < 0) sb.append('-');
        sb.append(digits.charAt(0));
        if (last > 1) sb.append('.').append(digits, 1, last);
        sb.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) sb.append('0');
        return sb.append(a).toString();
    }

    private static final MathContext SIG17 = new MathContext(17, RoundingMode.HALF_EVEN);

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
