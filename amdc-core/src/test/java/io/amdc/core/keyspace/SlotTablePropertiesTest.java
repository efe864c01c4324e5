package io.amdc.core.keyspace;

import io.amdc.core.memory.ObjectSizes;
import io.amdc.core.types.AccountedValue;
import io.amdc.core.types.TypedValue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

/**
 * The packed slot table against a HashMap model: random inserts, replacements that cross the
 * packing threshold both ways, aggregates, TTLs and removals (which shift probe runs and shrink
 * the table); after every step lookups, walkers' view and the byte accounting must agree.
 */
class SlotTablePropertiesTest {
    /** A stand-in aggregate whose size the test controls. */
    static final class Blob extends AccountedValue {
        long size;

        Blob(long size) {
            this.size = size;
        }

        public String typeName() {
            return "blob";
        }

        public String encoding() {
            return "raw";
        }

        public long memoryUsage() {
            return size;
        }

        public TypedValue copy() {
            return new Blob(size);
        }
    }

    record Model(Object value, long expire, int access) {
    }

    @Property(tries = 60)
    void behavesLikeAMap(@ForAll long seed) {
        Random r = new Random(seed);
        LongAdder sink = new LongAdder();
        CellSlab slab = new CellSlab();
        SlotTable t = new SlotTable(sink, slab);
        Map<String, Model> model = new HashMap<>();
        Map<String, byte[]> arrays = new HashMap<>();
        int keySpace = 1 + r.nextInt(400);
        int steps = 1500;
        for (int s = 0; s < steps; s++) {
            // Mostly small keys; now and then one of 150 bytes (too long to pack with a long value)
            // or of 300 (too long for a cell of its own).
            int shape = r.nextInt(40);
            String k = (shape == 0 ? "long-".repeat(60) : shape < 3 ? "long-".repeat(30) : "k") + r.nextInt(keySpace);
            // Half the lookups reuse one array per key, as a command's own argument is looked up
            // twice: the table's memo of its last hit must never outlive an insert or removal.
            byte[] key = r.nextBoolean() ? arrays.computeIfAbsent(k, x -> x.getBytes(StandardCharsets.UTF_8))
                    : k.getBytes(StandardCharsets.UTF_8);
            int i = t.find(key);
            assertEquals(model.containsKey(k), i >= 0, "find " + k);
            int op = r.nextInt(10);
            if (op < 5) {
                Object v = randomValue(r);
                int access = r.nextInt(1 << 24);
                if (i < 0) {
                    i = t.insert(key, v, access);
                    model.put(k, new Model(v, 0, access));
                } else {
                    t.valueAt(i, v, r.nextBoolean()); // both the re-packing and the in-place overwrite
                    model.put(k, new Model(v, model.get(k).expire, model.get(k).access));
                }
            } else if (op < 7 && i >= 0) {
                t.removeAt(i);
                model.remove(k);
            } else if (op < 8 && i >= 0) {
                long when = r.nextBoolean() ? 0 : 1 + r.nextInt(1_000_000);
                t.expireAt(i, when);
                Model m = model.get(k);
                model.put(k, new Model(m.value, when, m.access));
            } else if (op < 9 && i >= 0) {
                int access = r.nextInt(1 << 24);
                t.accessAt(i, access);
                Model m = model.get(k);
                model.put(k, new Model(m.value, m.expire, access));
            } else if (i >= 0 && model.get(k).value instanceof Blob b) {
                b.size += r.nextInt(200) - 50;
                t.remeasure(i);
            }
        }
        check(t, model, sink, slab);
        if (r.nextBoolean()) {
            // Dropped whole (FLUSHDB): every cell goes back to the slab, every byte out of the count.
            t.release();
            assertEquals(0L, slab.liveCells(), "cells left after release");
            assertEquals(0L, sink.sum(), "bytes left after release");
            return;
        }
        for (String k : model.keySet().toArray(new String[0])) {
            t.removeAt(t.find(k.getBytes(StandardCharsets.UTF_8)));
            model.remove(k);
        }
        check(t, model, sink, slab);
        assertEquals(t.mainOverhead() + t.expiresOverhead(), t.bytes(), "empty table bytes");
        assertEquals(0L, slab.liveCells(), "cells left in the slab");
    }

    /** A table that never held a small string has no cell array, and is dropped all the same (DEBUG RELOAD, FLUSHDB). */
    @net.jqwik.api.Example
    void aTableOfAggregatesOnlyIsReleased() {
        LongAdder sink = new LongAdder();
        SlotTable t = new SlotTable(sink, new CellSlab());
        t.insert("h".getBytes(StandardCharsets.UTF_8), new Blob(100), 0);
        t.insert("big".getBytes(StandardCharsets.UTF_8), new byte[SlotTable.PACK_MAX_VALUE + 1], 0);
        t.release();
        assertEquals(0L, sink.sum(), "bytes left after release");
    }

    private static Object randomValue(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> new Blob(64 + r.nextInt(1000));
            case 1 -> bytes(r, SlotTable.PACK_MAX_VALUE - 2 + r.nextInt(5)); // around the threshold
            case 2 -> bytes(r, r.nextInt(400));
            default -> bytes(r, r.nextInt(20));
        };
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static void check(SlotTable t, Map<String, Model> model, LongAdder sink, CellSlab slab) {
        long cellsInUse = 0, bytesInCells = 0;
        assertEquals(model.size(), t.size(), "size");
        long expected = t.mainOverhead() + t.expiresOverhead();
        int walked = 0;
        int withTtl = 0;
        for (int i = 0; i < t.capacity(); i++) {
            if (!t.used(i)) {
                assertEquals(null, t.keyAt(i), "free cell key");
                continue;
            }
            walked++;
            String k = new String(t.keyAt(i), StandardCharsets.UTF_8);
            Model m = model.get(k);
            assertEquals(true, m != null, "walked key in model " + k);
            assertEquals(i, t.find(t.keyAt(i)), "find of walked key");
            Object v = t.valueAt(i);
            if (m.value instanceof byte[] b) assertEquals(true, v instanceof byte[] got && Arrays.equals(got, b), "value of " + k);
            else assertEquals(m.value, v, "aggregate of " + k);
            assertEquals(m.expire, t.expireAt(i), "expiry of " + k);
            assertEquals(m.access, t.accessAt(i), "access of " + k);
            if (m.expire != 0) withTtl++;
            expected += t.entryBytes(i);
            byte[] key = t.keyAt(i);
            boolean small = v instanceof byte[] b && b.length <= SlotTable.PACK_MAX_VALUE && 2 + key.length + b.length <= CellSlab.MAX_CELL;
            // Every key short enough has a cell: with its value when small, alone otherwise.
            boolean keyInCell = 2 + key.length <= CellSlab.MAX_CELL;
            long keyBytes = keyInCell ? CellSlab.cellBytes(2 + key.length) : ObjectSizes.bytes(key.length);
            long cellBytes = small ? CellSlab.cellBytes(2 + key.length + ((byte[]) v).length) : keyInCell ? keyBytes : 0;
            long direct = small
                    ? cellBytes
                    : keyBytes + (v instanceof byte[] b2 ? ObjectSizes.bytes(b2.length) : ((Blob) v).size);
            assertEquals(direct, t.entryBytes(i), "entry bytes of " + k);
            if (cellBytes != 0) {
                cellsInUse++;
                bytesInCells += cellBytes;
            }
        }
        assertEquals(model.size(), walked, "walked");
        // Every entry with a cell holds exactly one: none leaked by a replacement or a removal.
        assertEquals(cellsInUse, slab.liveCells(), "cells in use");
        assertEquals(bytesInCells, slab.liveBytes(), "cell bytes in use");
        assertEquals(withTtl, t.expiresCount(), "expires count");
        assertEquals(expected, t.bytes(), "bytes");
        assertEquals(t.bytes(), sink.sum(), "sink");
        // Small tables keep one cell free; larger ones stay under 4/5 full.
        assertEquals(true, t.capacity() > t.size() && (t.capacity() < 17 || t.capacity() * 4L >= t.size() * 5L), "load");
    }

    private static void assertEquals(Object expected, Object actual, String what) {
        if (!java.util.Objects.equals(expected, actual)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual);
        }
    }
}
