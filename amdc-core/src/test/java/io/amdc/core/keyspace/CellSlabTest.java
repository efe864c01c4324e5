package io.amdc.core.keyspace;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CellSlabTest {
    /** Cells of random sizes across many pages never overlap, keep their bytes, and are reused once freed. */
    @Test
    void cellsNeverOverlapAndFreedOnesAreReused() {
        CellSlab slab = new CellSlab();
        Random r = new Random(7);
        Map<Integer, byte[]> live = new HashMap<>();
        List<Integer> order = new ArrayList<>();
        long bytes = 0;
        for (int step = 0; step < 200_000; step++) {
            if (!order.isEmpty() && r.nextInt(3) == 0) {
                int a = order.remove(r.nextInt(order.size()));
                byte[] want = live.remove(a);
                assertContent(slab, a, want);
                slab.free(a, want.length);
                bytes -= CellSlab.cellBytes(want.length);
                continue;
            }
            int len = 1 + r.nextInt(CellSlab.MAX_CELL);
            int a = slab.allocate(len);
            assertThat(a).isNotZero();
            assertThat(live).doesNotContainKey(a);
            byte[] content = new byte[len];
            r.nextBytes(content);
            System.arraycopy(content, 0, slab.page(a), CellSlab.offset(a), len);
            assertThat(CellSlab.offset(a) + CellSlab.cellBytes(len)).isLessThanOrEqualTo(CellSlab.PAGE_BYTES);
            live.put(a, content);
            order.add(a);
            bytes += CellSlab.cellBytes(len);
        }
        for (Map.Entry<Integer, byte[]> e : live.entrySet()) assertContent(slab, e.getKey(), e.getValue());
        assertThat(slab.liveCells()).isEqualTo(live.size());
        assertThat(slab.liveBytes()).isEqualTo(bytes);
        assertThat(slab.pageBytes()).isGreaterThan(CellSlab.PAGE_BYTES); // the test spans pages
        // A third of the steps freed a cell, and those were reused: the pages hold little more than the live cells.
        assertThat(slab.pageBytes()).isLessThan(2 * bytes + 2L * CellSlab.PAGE_BYTES);
    }

    @Test
    void aFreedCellIsTheNextOfItsSize() {
        CellSlab slab = new CellSlab();
        int a = slab.allocate(30);
        int b = slab.allocate(30);
        slab.free(a, 30);
        assertThat(slab.allocate(27)).isEqualTo(a); // the same 32-byte size
        assertThat(slab.allocate(30)).isNotIn(a, b);
    }

    @Test
    void pagesAreDroppedOnlyOnceNoCellIsInUse() {
        CellSlab slab = new CellSlab();
        int a = slab.allocate(100);
        int b = slab.allocate(8);
        slab.free(a, 100);
        slab.releaseIfEmpty();
        assertThat(slab.pageBytes()).isEqualTo(CellSlab.PAGE_BYTES);
        byte[] old = slab.page(b);
        slab.free(b, 8);
        slab.releaseIfEmpty();
        assertThat(slab.pageBytes()).isZero();
        assertThat(slab.liveCells()).isZero();
        int c = slab.allocate(8);
        assertThat(c).isNotZero();
        assertThat(slab.page(c)).isNotSameAs(old); // a fresh page
    }

    private static void assertContent(CellSlab slab, int a, byte[] want) {
        byte[] p = slab.page(a);
        int off = CellSlab.offset(a);
        for (int k = 0; k < want.length; k++) {
            if (p[off + k] != want[k]) throw new AssertionError("cell " + a + " byte " + k + " overwritten");
        }
    }
}
