package io.amdc.core.types;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** SetValue against a java.util.HashSet model, one property per encoding, plus SSCAN and randomness checks. */
class SetValuePropertiesTest {
    private static final SetValue.Limits DEFAULT = new SetValue.Limits(512, 128, 64);

    record Op(int kind, String member) {
    }

    private static Arbitrary<List<Op>> ops(Arbitrary<String> members, int maxOps) {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 9), members).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(maxOps);
    }

    @Provide
    Arbitrary<List<Op>> intOps() {
        Arbitrary<String> m = Arbitraries.oneOf(
                Arbitraries.integers().between(-40, 40).map(String::valueOf),
                Arbitraries.of("32767", "-32768", "32768", "2147483647", "-2147483649", "9223372036854775807",
                        "-9223372036854775808"));
        return ops(m, 300);
    }

    @Provide
    Arbitrary<List<Op>> smallStringOps() {
        Arbitrary<String> m = Arbitraries.oneOf(Arbitraries.strings().alpha().ofMinLength(0).ofMaxLength(8),
                Arbitraries.integers().between(0, 20).map(String::valueOf));
        return ops(m, 60);
    }

    @Provide
    Arbitrary<List<Op>> largeOps() {
        Arbitrary<String> m = Arbitraries.oneOf(Arbitraries.strings().withCharRange('a', 'f').ofMinLength(1).ofMaxLength(4),
                Arbitraries.strings().ofMinLength(60).ofMaxLength(80),
                Arbitraries.integers().between(-1000, 1000).map(String::valueOf));
        return ops(m, 1500);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Applies ops to both; kind 0-5 add, 6-7 remove, 8 contains, 9 pop. */
    private static SetValue run(List<Op> ops, SetValue.Limits limits) {
        Set<String> model = new HashSet<>();
        SetValue s = SetValue.create(b(ops.get(0).member()), 1, limits);
        for (Op op : ops) {
            byte[] m = b(op.member());
            switch (op.kind()) {
                case 6, 7 -> assertThat(s.remove(m)).isEqualTo(model.remove(op.member()));
                case 8 -> assertThat(s.contains(m)).isEqualTo(model.contains(op.member()));
                case 9 -> {
                    byte[] p = s.pop();
                    if (model.isEmpty()) assertThat(p).isNull();
                    else assertThat(model.remove(new String(p, StandardCharsets.UTF_8))).isTrue();
                }
                default -> assertThat(s.add(m, limits)).isEqualTo(model.add(op.member()));
            }
            assertThat(s.size()).isEqualTo(model.size());
        }
        Set<String> got = new HashSet<>();
        s.forEach(m -> got.add(new String(m, StandardCharsets.UTF_8)));
        assertThat(got).isEqualTo(model);
        assertThat(s.copy().toArray().length).isEqualTo(model.size());
        return s;
    }

    @Property(tries = 200)
    void intsetMatchesModel(@ForAll("intOps") List<Op> ops) {
        if (!isInt(ops.get(0).member())) return;
        SetValue s = run(ops, DEFAULT);
        assertThat(s.encoding()).isEqualTo("intset");
        // Iteration is in ascending numeric order.
        List<Long> seen = new ArrayList<>();
        s.forEach(m -> seen.add(Long.parseLong(new String(m, StandardCharsets.UTF_8))));
        assertThat(seen).isSorted();
    }

    @Property(tries = 200)
    void listpackMatchesModel(@ForAll("smallStringOps") List<Op> ops) {
        if (isInt(ops.get(0).member())) return;
        SetValue s = run(ops, DEFAULT);
        assertThat(s.encoding()).isEqualTo("listpack");
    }

    @Property(tries = 60)
    void hashtableMatchesModel(@ForAll("largeOps") List<Op> ops) {
        SetValue s = run(ops, new SetValue.Limits(16, 8, 10));
        if (s.size() > 16) assertThat(s.encoding()).isEqualTo("hashtable");
    }

    private static boolean isInt(String s) {
        try {
            return String.valueOf(Long.parseLong(s)).equals(s);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Test
    void conversionsFollowRedisThresholds() {
        SetValue.Limits l = new SetValue.Limits(4, 3, 5);
        SetValue s = SetValue.create(b("1"), 1, l);
        for (int i = 1; i <= 4; i++) s.add(b(String.valueOf(i)), l);
        assertThat(s.encoding()).isEqualTo("intset");
        s.add(b("5"), l);
        assertThat(s.encoding()).isEqualTo("hashtable");

        SetValue t = SetValue.create(b("1"), 1, l);
        t.add(b("1"), l);
        t.add(b("a"), l);
        assertThat(t.encoding()).isEqualTo("listpack");
        t.add(b("b"), l);
        t.add(b("c"), l);
        assertThat(t.encoding()).isEqualTo("hashtable");

        SetValue u = SetValue.create(b("x"), 1, l);
        u.add(b("x"), l);
        u.add(b("toolong"), l);
        assertThat(u.encoding()).isEqualTo("hashtable");

        assertThat(SetValue.create(b("1"), 3, new SetValue.Limits(2, 3, 5)).encoding()).isEqualTo("listpack");
        assertThat(SetValue.create(b("a"), 4, l).encoding()).isEqualTo("hashtable");
    }

    @Test
    void intsetWidensToTheWidestValue() {
        SetValue s = SetValue.create(b("1"), 1, DEFAULT);
        s.add(b("1"), DEFAULT);
        long before = s.memoryUsage();
        s.add(b("-9223372036854775808"), DEFAULT);
        s.add(b("70000"), DEFAULT);
        assertThat(s.memoryUsage()).isGreaterThan(before);
        assertThat(java.util.Arrays.stream(s.toArray()).map(x -> new String(x, StandardCharsets.UTF_8)))
                .containsExactly("-9223372036854775808", "1", "70000");
        assertThat(s.contains(b("70000"))).isTrue();
        assertThat(s.contains(b("07"))).isFalse();
    }

    @Test
    void scanVisitsEveryMemberPresentThroughoutDespiteResizes() {
        SetValue s = SetValue.create(b("a"), 1000, DEFAULT);
        for (int i = 0; i < 1000; i++) s.add(b("m" + i), DEFAULT);
        Set<String> seen = new TreeSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = s.scan(cursor, 10, m -> seen.add(new String(m, StandardCharsets.UTF_8)));
            // Grow then shrink the table mid-scan; members m0..m499 stay throughout.
            if (step == 5) for (int i = 0; i < 3000; i++) s.add(b("x" + i), DEFAULT);
            if (step == 30) {
                for (int i = 0; i < 3000; i++) s.remove(b("x" + i));
                for (int i = 500; i < 1000; i++) s.remove(b("m" + i));
            }
            step++;
        } while (cursor != 0);
        for (int i = 0; i < 500; i++) assertThat(seen).contains("m" + i);
    }

    /** Chi-square goodness of fit for random() over 10 members in each encoding (df 9; 40 is far past p=0.0001). */
    @Test
    void randomMembersAreUniform() {
        String[][] sets = {
                {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"},
                {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"},
        };
        SetValue.Limits tiny = new SetValue.Limits(1, 1, 1);
        for (SetValue.Limits l : List.of(DEFAULT, tiny)) {
            for (String[] members : sets) {
                SetValue s = SetValue.create(b(members[0]), members.length, l);
                for (String m : members) s.add(b(m), l);
                java.util.Map<String, Integer> counts = new java.util.HashMap<>();
                int draws = 50_000;
                for (int i = 0; i < draws; i++) counts.merge(new String(s.random(), StandardCharsets.UTF_8), 1, Integer::sum);
                double expected = draws / 10.0;
                double chi = 0;
                for (String m : members) {
                    double d = counts.getOrDefault(m, 0) - expected;
                    chi += d * d / expected;
                }
                assertThat(chi).as("chi-square for %s", s.encoding()).isLessThan(40);
            }
        }
    }
}
