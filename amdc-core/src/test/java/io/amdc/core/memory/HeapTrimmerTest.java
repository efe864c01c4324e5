package io.amdc.core.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeapTrimmerTest {
    @Test
    void aPurgeLeavesYoungRoomOnASmallHeapAndStaysTightOnALargeOne() {
        long mb = 1L << 20;
        for (long old : new long[] {0, 5 * mb, 22 * mb, 100 * mb, 600 * mb, 4096 * mb}) {
            int[] r = tightRatios(old);
            assertThat(r[0]).as("min <= max for %d MB", old / mb).isLessThanOrEqualTo(r[1]).isGreaterThanOrEqualTo(HeapTrimmer.TIGHT_MIN);
            assertThat(r[1]).isBetween(HeapTrimmer.TIGHT_MAX, 60);
            // The free share the ratio leaves on a heap shrunk to `old` is about the young room, or 5%.
            double free = old * (r[1] / 100.0) / (1 - r[1] / 100.0);
            if (r[1] > HeapTrimmer.TIGHT_MAX && r[1] < 60) {
                assertThat(free).as("room for %d MB", old / mb).isBetween(0.9 * HeapTrimmer.YOUNG_ROOM, 1.2 * HeapTrimmer.YOUNG_ROOM);
            }
        }
        assertThat(tightRatios(22 * mb)[1]).isEqualTo(60);
        assertThat(tightRatios(100 * mb)[1]).isEqualTo(25);
        assertThat(tightRatios(4096 * mb)).containsExactly(HeapTrimmer.TIGHT_MIN, HeapTrimmer.TIGHT_MAX);
        // MEMORY PURGE leaves no room: tighter ratios than any background purge, whatever the heap.
        assertThat(HeapTrimmer.tightRatios(5 * mb, 0)).containsExactly(HeapTrimmer.PURGE_MIN, HeapTrimmer.PURGE_MAX);
        assertThat(HeapTrimmer.tightRatios(4096 * mb, 0)).containsExactly(HeapTrimmer.PURGE_MIN, HeapTrimmer.PURGE_MAX);
        assertThat(HeapTrimmer.PURGE_MAX).isLessThan(HeapTrimmer.TIGHT_MAX);
    }

    /**
     * Half the arrays of each old region die: a concurrent cycle frees no region, so only the
     * compaction MEMORY PURGE runs on a small heap gives the memory back (the test JVM, like the
     * launcher, runs System.gc() concurrently).
     */
    @Test
    void anOperatorsPurgeCompactsOldRegionsThatArePartlyDead() {
        java.lang.management.MemoryPoolMXBean old = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().equals("G1 Old Gen")).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(old != null, "runs on G1");
        java.util.List<byte[]> keep = new java.util.ArrayList<>(), drop = new java.util.ArrayList<>();
        for (int i = 0; i < 16_384; i++) (i % 2 == 0 ? keep : drop).add(new byte[4096]);
        // Each concurrent cycle starts with a young collection: enough of them promote everything.
        for (int i = 0; i < 20 && old.getUsage().getUsed() < 60L << 20; i++) System.gc();
        assertThat(old.getUsage().getUsed()).isGreaterThanOrEqualTo(60L << 20);
        long before = old.getUsage().getUsed();
        drop.clear();
        new HeapTrimmer().purge();
        assertThat(before - old.getUsage().getUsed()).as("old generation bytes reclaimed").isGreaterThan(24L << 20);
        assertThat(keep).hasSize(8192);
    }

    private static int[] tightRatios(long old) {
        return HeapTrimmer.tightRatios(old, HeapTrimmer.YOUNG_ROOM);
    }
}
