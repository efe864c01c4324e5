package io.amdc.core.memory;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives memory back to the OS after a burst without taxing the burst itself: AMDC's equivalent of
 * jemalloc's background purging (Redis's {@code jemalloc-bg-thread}) and of {@code MEMORY PURGE}.
 *
 * <p>Under load G1 keeps the launcher's loose heap-free ratios, so the young generation has room
 * and collections stay rare. A purge tightens the ratios for one concurrent cycle, whose remark
 * shrinks the heap to its live data plus a sliver, then trims glibc's arenas and puts the loose
 * ratios back. G1's own periodic collection could not be used for this: it fires on the time since
 * the last collection, under load too, and its tight shrink then starved the young generation
 * (measured on SET at -P 1: young collections every 100 ms with a concurrent cycle every 400 ms,
 * p99 4 ms, throughput -10%). Here the automatic purge only runs once the server has gone quiet.
 */
public final class HeapTrimmer {
    /** A cron window this long with fewer commands than {@link #QUIET_COMMANDS} is quiet. */
    static final long QUIET_MS = 2_000;
    static final long QUIET_COMMANDS = 1_000;
    /** Work since the last purge that makes another one worth a collection cycle. */
    static final long WORTH_COMMANDS = 10_000;
    static final long WORTH_HEAP_GROWTH = 16L << 20;

    private static final String MIN = "MinHeapFreeRatio", MAX = "MaxHeapFreeRatio";
    /** The tightest free ratios a background purge sets (%), for a heap whose old data dwarfs the young room. */
    static final int TIGHT_MIN = 1, TIGHT_MAX = 5;
    /**
     * The ratios of an operator's MEMORY PURGE, which asks for no room: at 5% a 20 MB heap kept
     * 1-3 MB free after its compaction, and the next allocation grows it again anyway.
     */
    static final int PURGE_MIN = 0, PURGE_MAX = 1;
    /**
     * Free heap the background purge leaves for the young generation. Shrunk to its live data
     * alone, a small heap met the next burst with a young generation of a few MB and its old data
     * above the marking threshold: a concurrent cycle, mixed collections and 4-7 ms pauses in the burst's first
     * quarter second (SET -P 16 after an idle spell: p99 4 ms; 2 ms with no purge, Redis 2 ms).
     */
    static final long YOUNG_ROOM = 32L << 20;

    private final Object purging = new Object();
    private final AtomicBoolean backgroundRunning = new AtomicBoolean();
    private long windowStartMs = -1, windowStartCommands;
    private long commandsAtPurge, committedAtPurge;
    private volatile long purges;

    /**
     * MEMORY PURGE: a collection that shrinks the heap as far as it goes, then a malloc trim.
     * Returns once both are done and resident memory has settled, so a reading taken after is
     * settled. Up to {@link #COMPACT_LIMIT} of heap it compacts, stopping the server for that
     * long (as Redis's purge holds its thread while jemalloc purges); above, it is one concurrent
     * cycle (ZGC's are, and G1 runs explicit collections concurrently), so the loops keep serving.
     */
    public void purge() {
        purge(0);
    }

    /**
     * The purge with {@code youngRoom} bytes left free for the next burst's young generation (the
     * background purge leaves {@link #YOUNG_ROOM}; an operator's MEMORY PURGE asks for everything).
     */
    private void purge(long youngRoom) {
        synchronized (purging) {
            HotSpotDiagnosticMXBean vm = diagnostics();
            String min = option(vm, MIN), max = option(vm, MAX);
            int[] tight = tightRatios(oldGenerationUsed(), youngRoom);
            boolean tightened = min != null && max != null && ratios(vm, tight[0], tight[1], Integer.parseInt(min));
            try {
                if (youngRoom != 0 || heap().getUsed() > COMPACT_LIMIT || !compact()) System.gc();
            } finally {
                if (tightened) ratios(vm, Integer.parseInt(min), Integer.parseInt(max), tight[0]);
            }
            trimNativeHeap();
            if (youngRoom == 0) awaitResidentSettled();
            committedAtPurge = heap().getCommitted();
            purges++;
        }
    }

    /**
     * Called from the server cron with the running command count: starts a purge in the
     * background when a quiet window follows enough work. Cheap when there is nothing to do.
     */
    public void tick(long commands, long nowMs) {
        if (windowStartMs < 0 || commands < windowStartCommands) {
            windowStartMs = nowMs;
            windowStartCommands = commands;
            return;
        }
        if (nowMs - windowStartMs < QUIET_MS) return;
        boolean quiet = commands - windowStartCommands < QUIET_COMMANDS;
        windowStartMs = nowMs;
        windowStartCommands = commands;
        if (!quiet) return;
        boolean worth = commands - commandsAtPurge >= WORTH_COMMANDS
                || heap().getCommitted() - committedAtPurge >= WORTH_HEAP_GROWTH;
        if (!worth || !backgroundRunning.compareAndSet(false, true)) return;
        commandsAtPurge = commands;
        Thread.ofPlatform().daemon().name("amdc-heap-trim").start(() -> {
            try {
                purge(YOUNG_ROOM);
            } finally {
                backgroundRunning.set(false);
            }
        });
    }

    /**
     * Waits (at most 1.5 s) until resident memory has not fallen for 200 ms: G1 hands shrunk
     * regions back to the OS from a background task about 100 ms after the collection, so a
     * reading taken as MEMORY PURGE answers would still count them (1M-element loads: 5 MB).
     */
    private static void awaitResidentSettled() {
        long last = residentBytes();
        if (last < 0) return;
        long deadline = System.nanoTime() + 1_500_000_000L;
        int unchanged = 0;
        while (unchanged < 8 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = residentBytes();
            unchanged = now < last ? 0 : unchanged + 1;
            last = Math.min(last, now);
        }
    }

    /** This process's resident set from /proc (Linux), or -1. */
    static long residentBytes() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/statm")).trim().split(" ");
            return Long.parseLong(f[1]) * 4096;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Heap in use up to which MEMORY PURGE compacts with a stop-the-world collection (about 1.4 ms
     * per MB of live data on a 2-core machine: 170 ms for 117 MB). Above it the purge stays
     * concurrent and leaves partly dead old regions to the mixed collections of the next load.
     */
    static final long COMPACT_LIMIT = 256L << 20;

    /**
     * A compacting collection, which G1 runs for a heap inspection whatever the launcher says of
     * explicit ones (those are concurrent, so a library's System.gc() never stops the server). A
     * concurrent cycle frees only wholly dead regions; a table that outgrew its arrays after they
     * were promoted leaves them dead inside live regions, and on an idle server no mixed
     * collection ever comes for them: 100k small sets left 5 MB of such garbage on 11 MB of data
     * (1M sets: 44 MB on 117). Returns false when the JVM offers no such command.
     */
    private static boolean compact() {
        return diagnosticCommand("gcClassHistogram");
    }

    /**
     * {MinHeapFreeRatio, MaxHeapFreeRatio} for a purge of a heap holding {@code oldUsed} bytes of
     * old data: free space of about {@code room} on a small heap, 1-5% on a large one, 0-1% with no room.
     */
    static int[] tightRatios(long oldUsed, long room) {
        if (room == 0) return new int[] {PURGE_MIN, PURGE_MAX};
        long used = Math.max(oldUsed, 1L << 20);
        int max = (int) Math.min(60, Math.max(TIGHT_MAX, (100 * room + used + room - 1) / (used + room)));
        return new int[] {Math.max(TIGHT_MIN, max - 4), max};
    }

    /** Bytes in the old generation (live and not yet collected), or the whole heap's use if no pool says. */
    private static long oldGenerationUsed() {
        for (java.lang.management.MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == java.lang.management.MemoryType.HEAP && p.getName().contains("Old")) {
                return p.getUsage().getUsed();
            }
        }
        return heap().getUsed();
    }

    /** Purges done so far, by MEMORY PURGE or in the background. */
    public long purges() {
        return purges;
    }

    private static MemoryUsage heap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    }

    private static HotSpotDiagnosticMXBean diagnostics() {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static String option(HotSpotDiagnosticMXBean vm, String name) {
        if (vm == null) return null;
        try {
            return vm.getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Sets both free ratios in the order that keeps min <= max at every step, which the JVM
     * insists on: the new max first if it is not below the current min, else the new min first.
     */
    private static boolean ratios(HotSpotDiagnosticMXBean vm, int newMin, int newMax, int currentMin) {
        if (newMax >= currentMin) {
            return set(vm, MAX, Integer.toString(newMax)) && set(vm, MIN, Integer.toString(newMin));
        }
        return set(vm, MIN, Integer.toString(newMin)) && set(vm, MAX, Integer.toString(newMax));
    }

    private static boolean set(HotSpotDiagnosticMXBean vm, String name, String value) {
        try {
            vm.setVMOption(name, value);
            return true;
        } catch (RuntimeException e) {
            // Not manageable on this JVM or collector: the cycle still runs with the ratios it has.
            return false;
        }
    }

    private static void trimNativeHeap() {
        // Not every JVM or platform has it (it is glibc-only): the collection alone still helps.
        diagnosticCommand("systemTrimNativeHeap");
    }

    /** Runs a HotSpot diagnostic command (jcmd's, in process) without arguments; false if the JVM has none such. */
    private static boolean diagnosticCommand(String operation) {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    operation, new Object[] {null}, new String[] {String[].class.getName()});
            return true;
        } catch (Exception | LinkageError e) {
            return false;
        }
    }
}
