package io.amdc.core.types;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** StreamValue's node-packed storage against a TreeMap model, with tiny nodes so splits happen often. */
class StreamValuePropertiesTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> flat(byte[][] fv) {
        List<String> out = new ArrayList<>();
        for (byte[] x : fv) out.add(new String(x, StandardCharsets.UTF_8));
        return out;
    }

    @Property(tries = 150)
    void matchesModel(@ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 99) Integer> ops,
                      @ForAll @IntRange(min = 1, max = 6) int nodeEntries) {
        StreamValue s = new StreamValue();
        TreeMap<StreamId, List<String>> model = new TreeMap<>();
        long ms = 1;
        for (int op : ops) {
            if (op < 50) {
                ms += op % 3;
                StreamId id = s.nextId(new StreamId(ms, 0), false, 0);
                // Mostly the same field names (packed as values only), sometimes different ones.
                String[] fv = op % 7 == 0 ? new String[]{"x" + op, "v" + op, "y", "w"} : new String[]{"f", "v" + op};
                byte[][] argv = new byte[fv.length][];
                for (int i = 0; i < fv.length; i++) argv[i] = b(fv[i]);
                s.append(id, argv, 0, fv.length / 2, nodeEntries, 200);
                model.put(id, List.of(fv));
            } else if (op < 65) {
                StreamId target = new StreamId(op % 2 == 0 && !model.isEmpty() ? model.firstKey().ms() + op % 5 : op, op % 2);
                assertThat(s.delete(target)).isEqualTo(model.remove(target) != null);
            } else if (op < 72) {
                long maxLen = op % 9;
                long removed = s.trim(maxLen, null, false, 0);
                long expected = Math.max(0, model.size() - maxLen);
                assertThat(removed).isEqualTo(expected);
                while (model.size() > maxLen) model.pollFirstEntry();
            } else if (op < 78) {
                StreamId min = new StreamId(ms - op % 4, 0);
                s.trim(0, min, false, 0);
                model.headMap(min, false).clear();
            } else {
                StreamId from = new StreamId(Math.max(0, ms - op % 10), 0);
                StreamId to = new StreamId(ms - op % 3, -1L);
                boolean rev = op % 2 == 0;
                List<StreamValue.Entry> got = new ArrayList<>();
                int limit = op % 4 + 1;
                s.range(from, to, rev, e -> {
                    got.add(e);
                    return got.size() < limit;
                });
                List<Map.Entry<StreamId, List<String>>> want = new ArrayList<>();
                if (from.compareTo(to) <= 0) {
                    want.addAll((rev ? model.subMap(from, true, to, true).descendingMap() : model.subMap(from, true, to, true)).entrySet());
                }
                want = want.subList(0, Math.min(limit, want.size()));
                assertThat(got).hasSize(want.size());
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i).id()).isEqualTo(want.get(i).getKey());
                    assertThat(flat(got.get(i).fieldsAndValues())).isEqualTo(want.get(i).getValue());
                }
            }
            assertThat(s.length()).isEqualTo(model.size());
            assertThat(s.memoryUsage()).isEqualTo(s.memoryUsageByWalk());
        }
        assertThat(s.entries()).extracting(StreamValue.Entry::id).containsExactlyElementsOf(model.keySet());
        assertThat(s.edgeId(true)).isEqualTo(model.isEmpty() ? null : model.firstKey());
        assertThat(s.copy().entries()).hasSize(model.size());
    }
}
