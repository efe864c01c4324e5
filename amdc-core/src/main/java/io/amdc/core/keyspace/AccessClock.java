package io.amdc.core.keyspace;

/**
 * The per-entry access word: in LRU mode a 24-bit clock in seconds (as Redis's LRU_CLOCK), in
 * LFU mode 16 bits of minutes since the last decrement and an 8-bit logarithmic counter. The
 * clock is refreshed by the server cron so the hot path reads a field instead of the time.
 */
public final class AccessClock {
    public static final int LRU_BITS = 24;
    public static final int LRU_MAX = (1 << LRU_BITS) - 1;
    /** New keys start at this LFU count so they survive long enough to be accessed again. */
    public static final int LFU_INIT = 5;
    private static volatile int lruClock = computeLru();
    private static volatile int minutes = computeMinutes();

    private AccessClock() {
    }

    private static int computeLru() {
        return (int) ((System.currentTimeMillis() / 1000) & LRU_MAX);
    }

    private static int computeMinutes() {
        return (int) ((System.currentTimeMillis() / 60_000) & 0xffff);
    }

    private static volatile long millis = System.currentTimeMillis();

    public static void tick() {
        millis = System.currentTimeMillis();
        lruClock = computeLru();
        minutes = computeMinutes();
    }

    /**
     * Unix time in ms as of the last cron tick (1000/hz ms old at most), for bookkeeping that
     * needs no more (a client's last interaction, as Redis's cached unixtime).
     */
    public static long coarseMillis() {
        return millis;
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

    /** A fresh LFU word: this minute, the initial count. */
    public static int lfuInitial() {
        return (minutes << 8) | LFU_INIT;
    }

    /**
     * The LFU counter of {@code word} after decay: one less for every {@code decayMinutes} minutes
     * since its 16-bit minute stamp (the stamp wraps after 45 days, as Redis's does).
     */
    public static int lfuDecayed(int word, long decayMinutes) {
        int counter = word & 0xff;
        if (decayMinutes <= 0) return counter;
        int stamp = (word >>> 8) & 0xffff;
        int now = minutes;
        long elapsed = now >= stamp ? now - stamp : 0xffff - stamp + now;
        long periods = elapsed / decayMinutes;
        return periods >= counter ? 0 : (int) (counter - periods);
    }

    /**
     * The word after one access: decay first, then a logarithmic increment that gets less likely
     * as the count grows (probability 1 / ((count - LFU_INIT) * logFactor + 1)), saturating at 255.
     */
    public static int lfuTouched(int word, long logFactor, long decayMinutes) {
        int counter = lfuDecayed(word, decayMinutes);
        if (counter < 255) {
            int base = Math.max(0, counter - LFU_INIT);
            double p = 1.0 / (base * (double) logFactor + 1);
            if (java.util.concurrent.ThreadLocalRandom.current().nextDouble() < p) counter++;
        }
        return (minutes << 8) | counter;
    }
}
