package io.amdc.core.types;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import java.util.Objects;

/** The packed encoding and the open-addressing table against a java.util.HashMap model. */
class HashValuePropertiesTest {
    record Op(int kind, String field, String value) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        // Few distinct fields so sets, overwrites and deletes of the same field interleave;
        // values up to 80 bytes so some cross hash-max-listpack-value (64).
        Arbitrary<String> fields = Arbitraries.integers().between(0, 300).map(i -> "f" + i);
        Arbitrary<String> values = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(0).ofMaxLength(80);
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 9), fields, values).as(Op::new);
        return op.list().ofMaxSize(600);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Property(tries = 200)
    void packedAndTableBehaveLikeAMap(@ForAll("ops") List<Op> ops, @ForAll boolean startAsTable) {
        HashValue h = startAsTable ? HashValue.ofTable(1) : new HashValue();
        Map<String, String> model = new HashMap<>();
        for (Op o : ops) {
            if (o.kind() < 6) {
                boolean added = h.set(b(o.field()), b(o.value()), 128, 64);
                eq(added, model.put(o.field(), o.value()) == null);
            } else if (o.kind() < 9) {
                eq(h.delete(b(o.field())), model.remove(o.field()) != null);
            } else {
                String want = model.get(o.field());
                byte[] got = h.get(b(o.field()));
                eq(got == null ? null : new String(got, StandardCharsets.UTF_8), want);
            }
            eq(h.size(), model.size());
        }
        // The packed form is used exactly while Redis's listpack limits hold.
        boolean anyLong = ops.stream().anyMatch(o -> o.kind() < 6 && o.value().length() > 64);
        if (!startAsTable && !anyLong && ops.stream().filter(o -> o.kind() < 6).map(Op::field).distinct().count() <= 128) {
            eq(h.encoding(), "listpack");
        }
        Map<String, String> seen = new HashMap<>();
        h.forEach((fb, fo, fl, vb, vo, vl) -> seen.put(new String(fb, fo, fl, StandardCharsets.UTF_8),
                new String(vb, vo, vl, StandardCharsets.UTF_8)));
        eq(seen, model);
        HashValue copy = h.copy();
        h.set(b("extra"), b("x"), 128, 64);
        eq(copy.size(), model.size());
    }

    @Property(tries = 100)
    void packedKeepsInsertionOrder(@ForAll("ops") List<Op> ops) {
        HashValue h = new HashValue();
        List<String> order = new ArrayList<>();
        for (Op o : ops) {
            if (o.kind() < 6) {
                h.set(b(o.field()), b("v"), Long.MAX_VALUE, Long.MAX_VALUE);
                if (!order.contains(o.field())) order.add(o.field());
            } else if (o.kind() < 9) {
                h.delete(b(o.field()));
                order.remove(o.field());
            }
        }
        List<String> got = new ArrayList<>();
        h.forEach((fb, fo, fl, vb, vo, vl) -> got.add(new String(fb, fo, fl, StandardCharsets.UTF_8)));
        eq(got, order);
    }

    @Property(tries = 100)
    void tableScanVisitsEveryEntryDespiteResizes(@ForAll("ops") List<Op> ops) {
        HashValue h = HashValue.ofTable(1);
        for (Op o : ops) h.set(b(o.field()), b("v"), 0, 0);
        Set<String> present = new HashSet<>();
        h.forEach((fb, fo, fl, vb, vo, vl) -> present.add(new String(fb, fo, fl, StandardCharsets.UTF_8)));
        Set<String> scanned = new HashSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = h.scanStep(cursor, (fb, fo, fl, vb, vo, vl) -> scanned.add(new String(fb, fo, fl, StandardCharsets.UTF_8)));
            // Grow the table mid-scan: entries present throughout must still be reported.
            if (step++ == 3) for (int i = 0; i < 200; i++) h.set(b("grow" + i), b("v"), 0, 0);
        } while (cursor != 0);
        eq(scanned.containsAll(present), true);
    }

    @Property(tries = 100)
    void fieldExpiryDropsOnlyDueFields(@ForAll("ops") List<Op> ops, @ForAll boolean table) {
        HashValue h = table ? HashValue.ofTable(1) : new HashValue();
        Map<String, Long> ttl = new HashMap<>();
        Set<String> fields = new HashSet<>();
        for (Op o : ops) {
            h.set(b(o.field()), b("v"), 128, 64);
            fields.add(o.field());
            ttl.remove(o.field());
            if (o.kind() < 4) {
                long when = 1000 + o.value().length() * 10L;
                h.expireAt(b(o.field()), when);
                ttl.put(o.field(), when);
            }
        }
        long now = 1300;
        h.purgeExpired(now);
        for (String f : fields) {
            Long w = ttl.get(f);
            boolean alive = w == null || w > now;
            eq(h.contains(b(f)), alive);
            if (alive) eq(h.expireAt(b(f)), w == null ? 0L : w);
        }
    }

    @Property(tries = 100)
    void packedMemoryFollowsContent(@ForAll("ops") List<Op> ops) {
        HashValue h = new HashValue();
        Map<String, String> model = new HashMap<>();
        for (Op o : ops) {
            if (o.kind() < 6 && o.value().length() <= 64) {
                h.set(b(o.field()), b(o.value()), Long.MAX_VALUE, 64);
                model.put(o.field(), o.value());
            } else if (o.kind() < 9) {
                h.delete(b(o.field()));
                model.remove(o.field());
            }
        }
        // The listpack is sized to its content (deletes give space back): the 24-byte object plus
        // one array of varint-prefixed fields and values, within the array's 8-byte alignment.
        long content = model.entrySet().stream().mapToLong(e -> 2 + e.getKey().length() + e.getValue().length()).sum();
        eq(h.memoryUsage() <= 24 + 12 + content + 7, true);
        eq(h.memoryUsage() >= 24 + 12 + content, true);
        // A field TTL brings the side state in (listpackex), and it is counted.
        if (!model.isEmpty()) {
            long plain = h.memoryUsage();
            h.expireAt(b(model.keySet().iterator().next()), 5000);
            eq(h.encoding(), "listpackex");
            eq(h.memoryUsage() > plain, true);
        }
    }

    private static void eq(Object got, Object want) {
        if (!Objects.equals(got, want)) throw new AssertionError("got " + got + ", want " + want);
    }
}
