package io.amdc.core.types;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listpack's compact score encoding ({@link PackedScore}): every double comes back bit for bit
 * (-0.0 as 0), typical scores stay short, and a listpack ZSet holding such scores answers score
 * lookups and ranges exactly like a TreeMap model ordered by (score, member bytes).
 */
class ZSetScoreEncodingTest {
    /** Integers, few-digit decimals, huge/tiny magnitudes, infinities, -0.0 and arbitrary bit patterns. */
    @Provide
    Arbitrary<Double> scores() {
        Arbitrary<Double> ints = Arbitraries.longs().between(-(1L << 53), 1L << 53).map(l -> (double) l);
        Arbitrary<Double> smallInts = Arbitraries.integers().between(-1000, 1000).map(i -> (double) i);
        Arbitrary<Double> decimals = Combinators.combine(Arbitraries.longs().between(-10_000_000, 10_000_000),
                Arbitraries.integers().between(0, 16)).as((m, e) -> m / Math.pow(10, e));
        Arbitrary<Double> magnitudes = Combinators.combine(Arbitraries.doubles().between(-10, 10),
                Arbitraries.integers().between(-320, 308)).as((m, e) -> m * Math.pow(10, e));
        Arbitrary<Double> special = Arbitraries.of(0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL,
                9007199254740992.0, 9007199254740993.0, -9007199254740991.0, 0.1, 0.3, 1e-14, 1.5e15, 123456.789);
        Arbitrary<Double> bits = Arbitraries.longs().map(Double::longBitsToDouble).filter(d -> !Double.isNaN(d));
        return Arbitraries.frequencyOf(
                Tuple.of(2, ints), Tuple.of(2, smallInts), Tuple.of(3, decimals),
                Tuple.of(2, magnitudes), Tuple.of(1, special), Tuple.of(2, bits));
    }

    private static long bitsOf(double d) {
        return Double.doubleToRawLongBits(d == 0 ? 0.0 : d);
    }

    @Property(tries = 3000)
    void roundTripsBitExactly(@ForAll("scores") double score, @ForAll @IntRange(max = 5) int at) {
        if (score == 0) score = 0.0; // the listpack folds -0.0 before encoding, as ZSet does
        long token = PackedScore.token(score);
        byte[] buf = new byte[at + 9 + 3];
        Arrays.fill(buf, (byte) 0xA5);
        int end = PackedScore.write(buf, at, token, score);
        assertThat(end - at).isEqualTo(PackedScore.size(token));
        assertThat(PackedScore.skip(buf, at)).isEqualTo(end);
        assertThat(Double.doubleToRawLongBits(PackedScore.read(buf, at))).isEqualTo(bitsOf(score));
    }

    @Property(tries = 1000)
    void shortScoresStayShort(@ForAll @IntRange(min = -100_000, max = 100_000) int m, @ForAll @IntRange(max = 2) int e) {
        double score = m / Math.pow(10, e);
        // |m| < 2^17 with e < 4 fits a token of 22 bits: at most 4 bytes, against 9 for the raw form.
        assertThat(PackedScore.size(PackedScore.token(score))).isLessThanOrEqualTo(4);
        if (e == 0 && Math.abs(m) < 4) assertThat(PackedScore.size(PackedScore.token(score))).isEqualTo(1);
    }

    @Example
    void specialValuesUseTheRawForm() {
        for (double d : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, 1e-300, Math.PI}) {
            assertThat(PackedScore.token(d)).isEqualTo(PackedScore.RAW);
        }
        assertThat(PackedScore.token(1.5)).isEqualTo((30L << 4) | 1);
    }

    record Op(int member, double score, boolean remove) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 40), scores(), Arbitraries.integers().between(0, 4))
                .as((m, s, r) -> new Op(m, s, r == 0)).list().ofMaxSize(150);
    }

    private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

    @Property(tries = 400)
    void listpackMatchesTreeMapModel(@ForAll("ops") List<Op> ops) {
        ZSet z = new ZSet();
        Map<String, Double> scores = new HashMap<>();
        for (Op o : ops) {
            String m = "member" + o.member();
            byte[] mb = m.getBytes(StandardCharsets.US_ASCII);
            if (o.remove()) {
                assertThat(z.remove(mb)).isEqualTo(scores.remove(m) != null);
            } else {
                assertThat(z.put(mb, o.score(), 128, 64)).isEqualTo(scores.put(m, o.score() == 0 ? 0.0 : o.score()) == null);
            }
        }
        assertThat(z.encoding()).isEqualTo("listpack");
        // The model: scores ascending (Double.compare is numeric here: no NaN, no -0.0), then member bytes.
        TreeMap<Double, TreeMap<byte[], String>> model = new TreeMap<>();
        scores.forEach((m, s) -> model.computeIfAbsent(s, k -> new TreeMap<>(UNSIGNED)).put(m.getBytes(StandardCharsets.US_ASCII), m));
        List<String> want = new ArrayList<>();
        model.forEach((s, ms) -> ms.values().forEach(m -> want.add(m + "=" + bitsOf(s))));
        List<String> got = new ArrayList<>();
        z.forRange(0, z.size() - 1, false, (m, s) -> got.add(new String(m, StandardCharsets.US_ASCII) + "=" + Double.doubleToRawLongBits(s)));
        assertThat(got).isEqualTo(want);
        List<String> rev = new ArrayList<>();
        z.forRange(0, z.size() - 1, true, (m, s) -> rev.add(new String(m, StandardCharsets.US_ASCII) + "=" + Double.doubleToRawLongBits(s)));
        assertThat(rev).isEqualTo(want.reversed());
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            byte[] mb = e.getKey().getBytes(StandardCharsets.US_ASCII);
            assertThat(Double.doubleToRawLongBits(z.score(mb))).isEqualTo(bitsOf(e.getValue()));
            assertThat(z.rank(mb)).isEqualTo(want.indexOf(e.getKey() + "=" + bitsOf(e.getValue())));
        }
        // A copy and a round trip through the skiplist keep every score exactly.
        ZSet copy = (ZSet) z.copy();
        List<String> copied = new ArrayList<>();
        copy.forRange(0, copy.size() - 1, false, (m, s) -> copied.add(new String(m, StandardCharsets.US_ASCII) + "=" + Double.doubleToRawLongBits(s)));
        assertThat(copied).isEqualTo(want);
        copy.toSkiplist();
        copy.compactIfFits(128, 64);
        assertThat(copy.encoding()).isEqualTo("listpack");
        List<String> back = new ArrayList<>();
        copy.forRange(0, copy.size() - 1, false, (m, s) -> back.add(new String(m, StandardCharsets.US_ASCII) + "=" + Double.doubleToRawLongBits(s)));
        assertThat(back).isEqualTo(want);
        // countBelowScore agrees at every present score.
        for (double s : model.keySet()) {
            long below = scores.values().stream().filter(v -> v < s).count();
            long atMost = scores.values().stream().filter(v -> v <= s).count();
            assertThat(z.countBelowScore(s, false)).isEqualTo(below);
            assertThat(z.countBelowScore(s, true)).isEqualTo(atMost);
        }
    }

    @Property(tries = 200)
    void memoryFollowsContentAndShrinks(@ForAll @IntRange(min = 1, max = 120) int n) {
        ZSet z = new ZSet();
        for (int i = 0; i < n; i++) z.put(("member" + i).getBytes(StandardCharsets.US_ASCII), i * 1.5, 128, 64);
        long full = z.memoryUsage();
        // At most 9 bytes of member+length and 3 of score per entry, plus the object and array
        // headers; past 512 bytes the array grows by half, so up to a third of it may be spare.
        long used = 12L * n;
        assertThat(full).isLessThanOrEqualTo(24 + 16 + (used < 512 ? used : used * 3 / 2));
        for (int i = 0; i < n; i++) z.remove(("member" + i).getBytes(StandardCharsets.US_ASCII));
        assertThat(z.size()).isZero();
        assertThat(z.memoryUsage()).isLessThanOrEqualTo(24 + 16 + 16);
    }
}
