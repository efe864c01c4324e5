package io.amdc.core.keyspace;

/**
 * The per-entry access word: in LRU mode a 24-bit clock in seconds (as Redis's LRU_CLOCK), in
 * LFU mode 16 bits of minutes since the last decrement and an 8-bit logarithmic counter. The
 * clock is refreshed by the server cron so the hot path reads a field instead of the time.
 */
public final class AccessClock {
    public static final int LRU_BITS = 24;
    public static final int LRU_MAX = (1 << LRU_BITS) - 1;
    private static volatile int lruClock = computeLru();

    private AccessClock() {
    }

    private static int computeLru() {
        return (int) ((System.currentTimeMillis() / 1000) & LRU_MAX);
    }

    public static void tick() {
        lruClock = computeLru();
    }

    public static int lru() {
        return lruClock;
    }

    /**
     * Seconds since {@code stamp}, allowing for the 24-bit clock wrapping. Reads the same cached
     * clock the stamps come from (as Redis does), so a key stamped just before a tick is not
     * reported as idle for a second it never waited.
     */
    public static long idleSeconds(int stamp) {
        int now = lruClock;
        return now >= stamp ? now - stamp : (LRU_MAX - stamp) + now;
    }
}
