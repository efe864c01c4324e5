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
    private static final String TIGHT_MIN = "1", TIGHT_MAX = "5";

    private final Object purging = new Object();
    private final AtomicBoolean backgroundRunning = new AtomicBoolean();
    private long windowStartMs = -1, windowStartCommands;
    private long commandsAtPurge, committedAtPurge;
    private volatile long purges;

    /**
     * One whole collection cycle (concurrent under the launcher's flags: ZGC's are, and G1 runs
     * explicit collections concurrently, so the event loops keep serving) with a tight heap
     * target, then a malloc trim. Returns once both are done, so a reading taken after is settled.
     */
    public void purge() {
        synchronized (purging) {
            HotSpotDiagnosticMXBean vm = diagnostics();
            String min = option(vm, MIN), max = option(vm, MAX);
            // Order keeps min <= max at every step, which the JVM insists on.
            boolean minSet = min != null && set(vm, MIN, TIGHT_MIN);
            boolean maxSet = max != null && set(vm, MAX, TIGHT_MAX);
            try {
                System.gc();
            } finally {
                if (maxSet) set(vm, MAX, max);
                if (minSet) set(vm, MIN, min);
            }
            trimNativeHeap();
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
                purge();
            } finally {
                backgroundRunning.set(false);
            }
        });
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
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "systemTrimNativeHeap", new Object[] {null}, new String[] {String[].class.getName()});
        } catch (Exception | LinkageError e) {
            // Not every JVM or platform has it (it is glibc-only): the collection alone still helps.
        }
    }
}
