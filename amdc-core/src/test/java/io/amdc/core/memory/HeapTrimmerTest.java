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
        // MEMORY PURGE leaves no room: the tightest ratios whatever the heap.
        assertThat(HeapTrimmer.tightRatios(5 * mb, 0)).containsExactly(HeapTrimmer.TIGHT_MIN, HeapTrimmer.TIGHT_MAX);
    }

    private static int[] tightRatios(long old) {
        return HeapTrimmer.tightRatios(old, HeapTrimmer.YOUNG_ROOM);
    }
}
