package io.amdc.core.types;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The packed list against a plain java.util model, under random operation sequences. */
class ListValuePropertiesTest {
    record Op(int kind, int index, String value, int n) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMaxLength(6),
                Arbitraries.strings().ascii().ofMinLength(100).ofMaxLength(300),
                Arbitraries.integers().between(-70000, 70000).map(String::valueOf));
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 11),
                Arbitraries.integers().between(0, 1000),
                values,
                Arbitraries.integers().between(-3, 3)).as(Op::new);
        return op.list().ofMaxSize(300);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Property(tries = 300)
    void behavesLikeAnArrayList(@ForAll("ops") List<Op> ops, @ForAll @IntRange(min = -3, max = 5) int fill) {
        ListValue l = new ListValue(fill == 0 ? 1 : fill);
        List<String> m = new ArrayList<>();
        for (Op op : ops) {
            int size = m.size();
            switch (op.kind) {
                case 0, 1 -> {
                    l.growing(op.value.length(), 1);
                    l.push(b(op.value), true);
                    m.add(0, op.value);
                }
                case 2, 3 -> {
                    l.growing(op.value.length(), 1);
                    l.push(b(op.value), false);
                    m.add(op.value);
                }
                case 4 -> {
                    byte[] v = l.pop(true);
                    assertThat(v == null ? null : s(v)).isEqualTo(m.isEmpty() ? null : m.remove(0));
                }
                case 5 -> {
                    byte[] v = l.pop(false);
                    assertThat(v == null ? null : s(v)).isEqualTo(m.isEmpty() ? null : m.remove(m.size() - 1));
                }
                case 6 -> {
                    if (size > 0) {
                        int i = op.index % size;
                        l.at(i).insert(b(op.value), op.n > 0);
                        m.add(op.n > 0 ? i + 1 : i, op.value);
                    }
                }
                case 7 -> {
                    if (size > 0) {
                        int i = op.index % size;
                        l.at(i).replace(b(op.value));
                        m.set(i, op.value);
                    }
                }
                case 8 -> {
                    if (size > 0) {
                        int i = op.index % size;
                        ListValue.Cursor c = l.at(i);
                        c.remove();
                        m.remove(i);
                        if (i < m.size()) assertThat(s(c.value())).isEqualTo(m.get(i));
                        else assertThat(c.valid()).isFalse();
                    }
                }
                case 9 -> {
                    int n = Math.abs(op.n);
                    boolean head = op.index % 2 == 0;
                    l.deleteEnds(n, head);
                    for (int k = 0; k < n && !m.isEmpty(); k++) m.remove(head ? 0 : m.size() - 1);
                }
                case 10 -> {
                    if (size > 0) {
                        int a = op.index % size;
                        int e = a + Math.abs(op.n) % (size - a);
                        l.trim(a, e);
                        List<String> keep = new ArrayList<>(m.subList(a, e + 1));
                        m.clear();
                        m.addAll(keep);
                    }
                }
                default -> l.shrunk();
            }
            assertThat(l.size()).isEqualTo(m.size());
            assertThat(l.memoryUsage()).isEqualTo(l.memoryUsageByWalk());
        }
        List<String> fwd = new ArrayList<>();
        if (l.size() > 0) {
            for (ListValue.Cursor c = l.at(0); c.valid(); c.next()) fwd.add(s(c.value()));
        }
        assertThat(fwd).isEqualTo(m);
        List<String> back = new ArrayList<>();
        if (l.size() > 0) {
            for (ListValue.Cursor c = l.at(l.size() - 1); c.valid(); c.prev()) back.add(0, s(c.value()));
        }
        assertThat(back).isEqualTo(m);
        for (int i = 0; i < m.size(); i++) assertThat(s(l.get(i))).isEqualTo(m.get(i));
        ListValue copy = l.copy();
        for (int i = 0; i < m.size(); i++) assertThat(s(copy.get(i))).isEqualTo(m.get(i));
    }

    @Property(tries = 50)
    void quicklistNodesRespectTheSizeLimit(@ForAll @IntRange(min = 1, max = 3000) int n) {
        ListValue l = new ListValue(-2);
        for (int i = 0; i < n; i++) {
            byte[] v = b("item:" + i);
            l.growing(v.length, 1);
            l.push(v, i % 3 != 0);
        }
        if (n < 500) assertThat(l.encoding()).isEqualTo("listpack");
        if (n > 1200) assertThat(l.encoding()).isEqualTo("quicklist");
        assertThat(l.memoryUsage()).isLessThan(200L + n * 30L);
    }
}
