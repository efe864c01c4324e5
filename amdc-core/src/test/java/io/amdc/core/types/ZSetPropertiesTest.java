package io.amdc.core.types;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Random operations on ZSet (both encodings) checked against a TreeSet of (score, member). */
class ZSetPropertiesTest {
    record E(double score, String member) {
    }

    private static final Comparator<E> ORDER = Comparator.comparingDouble(E::score)
            .thenComparing((a, b) -> Arrays.compareUnsigned(a.member().getBytes(StandardCharsets.UTF_8), b.member().getBytes(StandardCharsets.UTF_8)));

    @Property(tries = 300)
    void behavesLikeASortedSet(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 4000) Integer> ops,
                               @ForAll @IntRange(min = 0, max = 16) int maxEntries) {
        ZSet z = new ZSet();
        TreeSet<E> model = new TreeSet<>(ORDER);
        Map<String, Double> scores = new HashMap<>();
        for (int op : ops) {
            String m = "m" + (op % 40);
            double s = (op / 40) % 7 - 3 + ((op & 1) == 0 ? 0 : 0.5);
            byte[] mb = m.getBytes(StandardCharsets.UTF_8);
            if (op % 5 == 0) {
                boolean removed = z.remove(mb);
                Double old = scores.remove(m);
                assertThat(removed).isEqualTo(old != null);
                if (old != null) model.remove(new E(old, m));
            } else {
                boolean added = z.put(mb, s, maxEntries, 64);
                Double old = scores.put(m, s);
                assertThat(added).isEqualTo(old == null);
                if (old != null) model.remove(new E(old, m));
                model.add(new E(s, m));
            }
            assertThat(z.size()).isEqualTo(model.size());
        }
        List<E> expected = new ArrayList<>(model);
        List<E> actual = new ArrayList<>();
        z.forRange(0, z.size() - 1, false, (m, s) -> actual.add(new E(s, new String(m, StandardCharsets.UTF_8))));
        assertThat(actual).isEqualTo(expected);
        List<E> reversed = new ArrayList<>();
        z.forRange(0, z.size() - 1, true, (m, s) -> reversed.add(new E(s, new String(m, StandardCharsets.UTF_8))));
        assertThat(reversed).isEqualTo(expected.reversed());
        for (int i = 0; i < expected.size(); i++) {
            E e = expected.get(i);
            assertThat(z.rank(e.member().getBytes(StandardCharsets.UTF_8))).isEqualTo(i);
            assertThat(z.score(e.member().getBytes(StandardCharsets.UTF_8))).isEqualTo(e.score());
        }
        for (double b = -4; b <= 4; b += 0.5) {
            final double bound = b;
            assertThat(z.countBelowScore(b, false)).isEqualTo(expected.stream().filter(e -> e.score() < bound).count());
            assertThat(z.countBelowScore(b, true)).isEqualTo(expected.stream().filter(e -> e.score() <= bound).count());
        }
        assertThat(z.encoding()).isEqualTo(z.size() > maxEntries || !z.packed() ? "skiplist" : "listpack");
    }
}
