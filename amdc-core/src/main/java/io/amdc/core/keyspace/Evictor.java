package io.amdc.core.keyspace;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Frees memory by deleting keys when used memory exceeds maxmemory, the way Redis approximates
 * LRU/LFU/TTL: each round samples {@code maxmemory-samples} keys of every database into a pool
 * of the 16 best candidates seen so far (the pool survives between rounds, so good candidates
 * accumulate), then deletes the best one still present. Random policies delete a sampled key.
 *
 * <p>Cost per eviction is what a write pays past maxmemory, so sampling stays in cache: a round
 * takes its keys from consecutive cells of one random slot table (as Redis's dictGetSomeKeys
 * walks adjacent buckets) and scores them from the table's meta words alone; a key is only read,
 * and copied into a reused pool buffer, when its score earns a place in the pool.
 *
 * <p>Callers must hold no slot lock: keys are sampled and deleted one slot lock at a time. Each
 * thread keeps its own pool, so I/O threads over the limit evict in parallel instead of queueing
 * on one lock (a waiter parked on it cost a context switch and its wake-up on every write); two
 * threads may pick the same candidate, and the second simply finds it gone.
 */
public final class Evictor {
    public enum Result { OK, RUNNING, FAIL }

    private static final int POOL = 16;

    private final Keyspace ks;
    private final LongAdder evictedKeys;
    private final ThreadLocal<Pool> pools = ThreadLocal.withInitial(Pool::new);

    /** Candidates in ascending score order: the best (most evictable) is at size - 1. */
    private static final class Pool {
        /** Key bytes in reused buffers (grown as needed), valid for keyLen[j] bytes. */
        final byte[][] key = new byte[POOL][];
        final int[] keyLen = new int[POOL];
        final int[] db = new int[POOL];
        final int[] slot = new int[POOL];
        final long[] score = new long[POOL];
        int size;
        int nextRandomDb;

        Pool() {
            for (int j = 0; j < POOL; j++) key[j] = new byte[32];
        }

        /** Offers cell {@code i} of {@code t} (slot lock held); reads the key only if it gets a place. */
        void offer(int dbIndex, int slotIndex, SlotTable t, int i, long sc) {
            if (size == POOL && sc <= score[0]) return; // no better than the worst held
            int len = -1;
            // A key already held has the score it was sampled with, unless touched since (then a
            // stale entry is harmless: eviction re-finds the key by name).
            for (int j = 0; j < size; j++) {
                if (score[j] == sc && db[j] == dbIndex && slot[j] == slotIndex) {
                    if (len < 0) len = t.keyLength(i);
                    if (keyLen[j] == len && t.keyEquals(i, key[j], len)) return;
                }
            }
            int pos = 0;
            while (pos < size && score[pos] < sc) pos++;
            byte[] buf;
            if (size == POOL) {
                // Shift the worse entries down one, dropping the worst and reusing its buffer.
                buf = key[0];
                pos--;
                shift(1, 0, pos);
            } else {
                buf = key[size];
                shift(pos, pos + 1, size - pos);
                size++;
            }
            if (len < 0) len = t.keyLength(i);
            if (buf.length < len) buf = new byte[Math.max(len, buf.length * 2)];
            t.copyKey(i, buf);
            key[pos] = buf;
            keyLen[pos] = len;
            db[pos] = dbIndex;
            slot[pos] = slotIndex;
            score[pos] = sc;
        }

        private void shift(int from, int to, int n) {
            System.arraycopy(key, from, key, to, n);
            System.arraycopy(keyLen, from, keyLen, to, n);
            System.arraycopy(db, from, db, to, n);
            System.arraycopy(slot, from, slot, to, n);
            System.arraycopy(score, from, score, to, n);
        }
    }

    Evictor(Keyspace ks, LongAdder evictedKeys) {
        this.ks = ks;
        this.evictedKeys = evictedKeys;
    }

    /** The eviction time budget in µs for a tenacity of 0..100 (100: no limit), as Redis scales it. */
    public static long timeLimitMicros(long tenacity) {
        if (tenacity <= 10) return 50 * tenacity;
        if (tenacity < 100) return (long) (500 * Math.pow(1.15, tenacity - 10));
        return Long.MAX_VALUE;
    }

    /**
     * Deletes keys until {@code used} is at most {@code limit}. OK: under the limit; RUNNING: the
     * time budget ran out first (the caller continues in the background); FAIL: nothing left that
     * the policy may evict (or noeviction).
     */
    public Result evict(long limit, LongSupplier used, EvictionPolicy policy, int samples, long timeLimitMicros) {
        if (used.getAsLong() <= limit) return Result.OK;
        if (policy == EvictionPolicy.NOEVICTION) return Result.FAIL;
        Pool pool = pools.get();
        long start = System.nanoTime();
        long budget = timeLimitMicros == Long.MAX_VALUE ? Long.MAX_VALUE : timeLimitMicros * 1000;
        int n = 0;
        do {
            if (!evictOne(pool, policy, samples)) return Result.FAIL;
            if ((++n & 15) == 0 && System.nanoTime() - start > budget) return Result.RUNNING;
        } while (used.getAsLong() > limit);
        return Result.OK;
    }

    private boolean evictOne(Pool pool, EvictionPolicy policy, int samples) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int dbs = ks.databases();
        if (policy.rank == EvictionPolicy.Rank.RANDOM) {
            // Round-robin over databases so each gives up keys in turn, as Redis does.
            for (int k = 0; k < dbs; k++) {
                Db db = ks.db(pool.nextRandomDb);
                pool.nextRandomDb = (pool.nextRandomDb + 1) % dbs;
                if (evictRandom(db, policy.volatileOnly, rnd)) return true;
            }
            return false;
        }
        while (true) {
            boolean any = false;
            for (int d = 0; d < dbs; d++) {
                Db db = ks.db(d);
                if (db.memory() != 0 && sample(pool, db, policy, rnd, samples)) any = true;
            }
            if (!any && pool.size == 0) return false;
            // Best candidate first; entries whose key went meanwhile are dropped.
            while (pool.size > 0) {
                int top = --pool.size;
                if (delete(ks.db(pool.db[top]), pool.slot[top], pool.key[top], pool.keyLen[top], policy.volatileOnly)) {
                    return true;
                }
            }
            if (!any) return false;
        }
    }

    private static boolean eligible(SlotTable t, boolean volatileOnly) {
        return t != null && (volatileOnly ? t.expiresCount() : t.size()) != 0;
    }

    /**
     * Offers up to {@code samples} keys of {@code db} that the policy may evict to the pool, taken
     * from consecutive cells of a random table onward (next tables when one holds fewer), each
     * table under its slot lock; false when the database holds none.
     */
    private boolean sample(Pool pool, Db db, EvictionPolicy policy, ThreadLocalRandom rnd, int samples) {
        boolean volatileOnly = policy.volatileOnly;
        int found = 0;
        int start = rnd.nextInt(Slots.COUNT);
        for (int k = 0; k < Slots.COUNT && found < samples; k++) {
            int slot = (start + k) & (Slots.COUNT - 1);
            if (!eligible(db.table(slot), volatileOnly)) continue;
            ks.lock(slot);
            try {
                SlotTable t = db.table(slot); // may have been replaced by FLUSHDB/SWAPDB meanwhile
                if (!eligible(t, volatileOnly)) continue;
                int cap = t.capacity();
                int i = rnd.nextInt(cap);
                for (int probe = 0; probe < cap && found < samples; probe++, i = i + 1 == cap ? 0 : i + 1) {
                    if (!t.used(i) || (volatileOnly && t.expireAt(i) == 0)) continue;
                    found++;
                    pool.offer(db.index, slot, t, i, score(policy, t, i));
                }
            } finally {
                ks.unlock(slot);
            }
        }
        return found > 0;
    }

    /** Deletes one random key of {@code db} that the policy may evict; false when it holds none. */
    private boolean evictRandom(Db db, boolean volatileOnly, ThreadLocalRandom rnd) {
        int start = rnd.nextInt(Slots.COUNT);
        for (int k = 0; k < Slots.COUNT; k++) {
            int slot = (start + k) & (Slots.COUNT - 1);
            if (!eligible(db.table(slot), volatileOnly)) continue;
            ks.lock(slot);
            try {
                SlotTable t = db.table(slot);
                if (!eligible(t, volatileOnly)) continue;
                int cap = t.capacity();
                int i = rnd.nextInt(cap);
                for (int probe = 0; probe < cap; probe++, i = i + 1 == cap ? 0 : i + 1) {
                    if (!t.used(i) || (volatileOnly && t.expireAt(i) == 0)) continue;
                    remove(db, t, i);
                    return true;
                }
            } finally {
                ks.unlock(slot);
            }
        }
        return false;
    }

    /** Higher is more evictable: idle seconds (LRU), 255 - frequency (LFU), nearness of expiry (TTL). */
    private long score(EvictionPolicy policy, SlotTable t, int i) {
        return switch (policy.rank) {
            case LRU -> AccessClock.idleSeconds(t.accessAt(i));
            case LFU -> 255 - AccessClock.lfuDecayed(t.accessAt(i), ks.lfuDecayTime());
            case TTL -> Long.MAX_VALUE - t.expireAt(i);
            default -> 0;
        };
    }

    private boolean delete(Db db, int slot, byte[] key, int len, boolean volatileOnly) {
        ks.lock(slot);
        try {
            SlotTable t = db.table(slot);
            if (t == null) return false;
            int i = t.find(key, len);
            if (i < 0 || (volatileOnly && t.expireAt(i) == 0)) return false;
            remove(db, t, i);
            return true;
        } finally {
            ks.unlock(slot);
        }
    }

    /** Evicts cell {@code i}; its slot lock is held. */
    private void remove(Db db, SlotTable t, int i) {
        byte[] key = t.keyAt(i); // the listeners keep it (DEL on the stream, notifications)
        t.removeAt(i);
        evictedKeys.increment();
        ks.evicted(db, key);
    }
}
