package io.amdc.core.types;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sorted-set B+ tree against a TreeSet model, with node capacities small enough that a few
 * hundred operations split and merge leaves and inner nodes at every level.
 */
class ZTreePropertiesTest {
    record E(double score, String member) {
        byte[] bytes() {
            return member.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final Comparator<E> ORDER = Comparator.comparingDouble(E::score)
            .thenComparing((a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes()));

    @Property(tries = 200)
    void behavesLikeASortedSet(@ForAll @Size(max = 1500) List<@IntRange(min = 0, max = 100_000) Integer> ops,
                               @ForAll @IntRange(min = 4, max = 9) int leafCap,
                               @ForAll @IntRange(min = 4, max = 7) int innerCap,
                               @ForAll @IntRange(min = 1, max = 400) int members,
                               @ForAll @IntRange(min = 1, max = 50) int distinctScores) {
        ZTree t = new ZTree(leafCap, innerCap);
        TreeSet<E> model = new TreeSet<>(ORDER);
        Map<String, Double> scores = new HashMap<>();
        int step = 0;
        for (int op : ops) {
            String m = "m" + (op % members);
            double s = (op / members) % distinctScores - distinctScores / 2.0;
            if (op % 3 == 0) {
                boolean removed = t.remove(m.getBytes(StandardCharsets.UTF_8));
                Double old = scores.remove(m);
                assertThat(removed).isEqualTo(old != null);
                if (old != null) model.remove(new E(old, m));
            } else {
                double old = t.replace(m.getBytes(StandardCharsets.UTF_8), s);
                Double was = scores.put(m, s);
                assertThat(Double.isNaN(old) ? null : old).isEqualTo(was);
                if (was != null) model.remove(new E(was, m));
                model.add(new E(s, m));
            }
            assertThat(t.size()).isEqualTo(model.size());
            if (++step % 50 == 0) t.check();
        }
        t.check();
        agree(t, model, distinctScores);
        // Emptying the tree and filling it again keeps it sound.
        for (E e : new ArrayList<>(model)) assertThat(t.remove(e.bytes())).isTrue();
        t.check();
        assertThat(t.size()).isZero();
        model.clear();
        for (int i = 0; i < members; i++) {
            E e = new E(i % distinctScores, "r" + i);
            t.insert(e.bytes(), e.score());
            model.add(e);
        }
        t.check();
        agree(t, model, distinctScores);
    }

    /** Every query the sorted set uses gives the model's answer. */
    private static void agree(ZTree t, TreeSet<E> model, int distinctScores) {
        List<E> expected = new ArrayList<>(model);
        List<E> actual = new ArrayList<>();
        t.forRange(0, t.size() - 1, false, (m, s) -> actual.add(new E(s, new String(m, StandardCharsets.UTF_8))));
        assertThat(actual).isEqualTo(expected);
        List<E> reversed = new ArrayList<>();
        t.forRange(0, t.size() - 1, true, (m, s) -> reversed.add(new E(s, new String(m, StandardCharsets.UTF_8))));
        assertThat(reversed).isEqualTo(expected.reversed());
        for (int i = 0; i < expected.size(); i++) {
            E e = expected.get(i);
            assertThat(t.rank(e.bytes())).isEqualTo(i);
            assertThat(t.score(e.bytes())).isEqualTo(e.score());
            // A window starting at every rank, both directions.
            int from = i, to = Math.min(i + 2, expected.size() - 1);
            List<E> window = new ArrayList<>();
            t.forRange(from, to, false, (m, s) -> window.add(new E(s, new String(m, StandardCharsets.UTF_8))));
            assertThat(window).isEqualTo(expected.subList(from, to + 1));
            List<E> back = new ArrayList<>();
            t.forRange(from, to, true, (m, s) -> back.add(new E(s, new String(m, StandardCharsets.UTF_8))));
            assertThat(back).isEqualTo(expected.subList(from, to + 1).reversed());
        }
        assertThat(t.rank("absent".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        for (double min = -distinctScores / 2.0 - 1; min <= distinctScores; min += 0.5) {
            double x = min;
            assertThat(t.countBelowScore(x, false)).isEqualTo(expected.stream().filter(e -> e.score() < x).count());
            assertThat(t.countBelowScore(x, true)).isEqualTo(expected.stream().filter(e -> e.score() <= x).count());
        }
    }

    @Property(tries = 100)
    void lexCountsWhenAllScoresAreEqual(@ForAll @Size(max = 600) List<@IntRange(min = 0, max = 999) Integer> ops,
                                        @ForAll @IntRange(min = 4, max = 8) int leafCap) {
        ZTree t = new ZTree(leafCap, 4);
        TreeSet<String> model = new TreeSet<>((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        for (int op : ops) {
            String m = Integer.toString(op % 300, 7);
            if (op % 4 == 0) {
                t.remove(m.getBytes(StandardCharsets.UTF_8));
                model.remove(m);
            } else {
                t.replace(m.getBytes(StandardCharsets.UTF_8), 0);
                model.add(m);
            }
        }
        t.check();
        for (int b = 0; b < 310; b += 3) {
            String bound = Integer.toString(b, 7);
            byte[] bb = bound.getBytes(StandardCharsets.UTF_8);
            assertThat(t.countBelowLex(bb, false)).isEqualTo(model.headSet(bound, false).size());
            assertThat(t.countBelowLex(bb, true)).isEqualTo(model.headSet(bound, true).size());
        }
    }

    /** Re-scoring in place and by moving, at production capacities, on a large set. */
    @Test
    void randomRescoresOnALargeSetKeepOrderAndRanks() {
        ZTree t = new ZTree();
        TreeSet<E> model = new TreeSet<>(ORDER);
        Map<String, Double> scores = new HashMap<>();
        Random r = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            String m = "element:" + r.nextInt(50_000);
            double s = r.nextInt(100_000);
            t.replace(m.getBytes(StandardCharsets.UTF_8), s);
            Double was = scores.put(m, s);
            if (was != null) model.remove(new E(was, m));
            model.add(new E(s, m));
            if (i % 7 == 0) {
                String d = "element:" + r.nextInt(50_000);
                t.remove(d.getBytes(StandardCharsets.UTF_8));
                Double gone = scores.remove(d);
                if (gone != null) model.remove(new E(gone, d));
            }
        }
        t.check();
        List<E> expected = new ArrayList<>(model);
        List<E> actual = new ArrayList<>();
        t.forRange(0, t.size() - 1, false, (m, s) -> actual.add(new E(s, new String(m, StandardCharsets.UTF_8))));
        assertThat(actual).isEqualTo(expected);
        for (int i = 0; i < expected.size(); i += 97) assertThat(t.rank(expected.get(i).bytes())).isEqualTo(i);
    }

    /** Members added in order fill leaves completely; a set that shrank gives its arrays back. */
    @Test
    void memoryFollowsTheElements() {
        ZTree t = new ZTree();
        int n = 100_000;
        for (int i = 0; i < n; i++) t.insert(String.format("m%07d", i).getBytes(StandardCharsets.UTF_8), i);
        t.check();
        long full = t.memoryUsage();
        // Members (8 bytes + 16 header), full leaves (12 per slot), index (12 per slot, <= 3/4 load).
        assertThat((double) full / n).isLessThan(24 + 13 + 33);
        for (int i = 0; i < n; i++) {
            if (i % 100 != 0) t.remove(String.format("m%07d", i).getBytes(StandardCharsets.UTF_8));
        }
        t.check();
        assertThat(t.size()).isEqualTo(n / 100);
        // Leaves merged and shrank, and the index followed the size down.
        assertThat(t.memoryUsage()).isLessThan(full / 20);
    }
}
