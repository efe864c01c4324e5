package io.amdc.core.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Frees memory by deleting keys when used memory exceeds maxmemory, the way Redis approximates
 * LRU/LFU/TTL: each round samples {@code maxmemory-samples} keys of every database into a pool
 * of the 16 best candidates seen so far (the pool survives between rounds, so good candidates
 * accumulate), then deletes the best one still present. Random policies delete a sampled key.
 *
 * <p>Callers must hold no slot lock: keys are sampled and deleted one slot lock at a time, and
 * one thread evicts at a time (others wait, then usually find memory already under the limit).
 */
public final class Evictor {
    public enum Result { OK, RUNNING, FAIL }

    private static final int POOL = 16;

    private final Keyspace ks;
    private final LongAdder evictedKeys;
    private final ReentrantLock lock = new ReentrantLock();
    /** Candidates in ascending score order: the best (most evictable) is at poolSize - 1. */
    private final byte[][] poolKey = new byte[POOL][];
    private final int[] poolDb = new int[POOL];
    private final long[] poolScore = new long[POOL];
    private int poolSize;
    private int nextRandomDb;

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
        lock.lock();
        try {
            long start = System.nanoTime();
            long budget = timeLimitMicros == Long.MAX_VALUE ? Long.MAX_VALUE : timeLimitMicros * 1000;
            int n = 0;
            while (used.getAsLong() > limit) {
                if (!evictOne(policy, samples)) return Result.FAIL;
                if ((++n & 15) == 0 && System.nanoTime() - start > budget) return Result.RUNNING;
            }
            return Result.OK;
        } finally {
            lock.unlock();
        }
    }

    private boolean evictOne(EvictionPolicy policy, int samples) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int dbs = ks.databases();
        if (policy.rank == EvictionPolicy.Rank.RANDOM) {
            // Round-robin over databases so each gives up keys in turn, as Redis does.
            for (int k = 0; k < dbs; k++) {
                Db db = ks.db(nextRandomDb);
                nextRandomDb = (nextRandomDb + 1) % dbs;
                byte[] key = sample(db, policy, rnd, null);
                if (key != null && delete(db, key, policy.volatileOnly)) return true;
            }
            return false;
        }
        while (true) {
            boolean any = false;
            for (int d = 0; d < dbs; d++) {
                Db db = ks.db(d);
                if (db.memory() == 0) continue;
                for (int s = 0; s < samples; s++) {
                    if (sample(db, policy, rnd, this::offer) == null) break;
                    any = true;
                }
            }
            if (!any && poolSize == 0) return false;
            // Best candidate first; entries whose key went meanwhile are dropped.
            while (poolSize > 0) {
                int top = --poolSize;
                byte[] key = poolKey[top];
                Db db = ks.db(poolDb[top]);
                poolKey[top] = null;
                if (delete(db, key, policy.volatileOnly)) return true;
            }
            if (!any) return false;
        }
    }

    private interface Sink {
        void offer(int db, byte[] key, long score);
    }

    /**
     * One random key of {@code db} that the policy may evict, scored into {@code sink} under its
     * slot lock; null when the database holds none.
     */
    private byte[] sample(Db db, EvictionPolicy policy, ThreadLocalRandom rnd, Sink sink) {
        int start = rnd.nextInt(Slots.COUNT);
        for (int k = 0; k < Slots.COUNT; k++) {
            int slot = (start + k) & (Slots.COUNT - 1);
            SlotTable t = db.table(slot);
            if (t == null || (policy.volatileOnly ? t.expiresCount() : t.size()) == 0) continue;
            ks.lock(slot);
            try {
                t = db.table(slot);
                if (t == null || (policy.volatileOnly ? t.expiresCount() : t.size()) == 0) continue;
                int cap = t.capacity();
                int i = rnd.nextInt(cap);
                for (int probe = 0; probe < cap; probe++, i = i + 1 == cap ? 0 : i + 1) {
                    if (!t.used(i) || (policy.volatileOnly && t.expireAt(i) == 0)) continue;
                    byte[] key = t.keyAt(i);
                    if (sink != null) sink.offer(db.index, key, score(policy, t, i));
                    return key;
                }
            } finally {
                ks.unlock(slot);
            }
        }
        return null;
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

    /** Inserts into the sorted pool, dropping the worst candidate when full. */
    private void offer(int db, byte[] key, long score) {
        for (int j = 0; j < poolSize; j++) {
            if (poolDb[j] == db && Arrays.equals(poolKey[j], key)) return;
        }
        int pos = 0;
        while (pos < poolSize && poolScore[pos] < score) pos++;
        if (poolSize == POOL) {
            if (pos == 0) return; // worse than everything held
            // Shift the worse entries down one, losing the worst.
            pos--;
            System.arraycopy(poolKey, 1, poolKey, 0, pos);
            System.arraycopy(poolDb, 1, poolDb, 0, pos);
            System.arraycopy(poolScore, 1, poolScore, 0, pos);
        } else {
            System.arraycopy(poolKey, pos, poolKey, pos + 1, poolSize - pos);
            System.arraycopy(poolDb, pos, poolDb, pos + 1, poolSize - pos);
            System.arraycopy(poolScore, pos, poolScore, pos + 1, poolSize - pos);
            poolSize++;
        }
        poolKey[pos] = key;
        poolDb[pos] = db;
        poolScore[pos] = score;
    }

    private boolean delete(Db db, byte[] key, boolean volatileOnly) {
        int slot = Slots.slot(key);
        ks.lock(slot);
        try {
            SlotTable t = db.table(slot);
            if (t == null) return false;
            int i = t.find(key);
            if (i < 0 || (volatileOnly && t.expireAt(i) == 0)) return false;
            t.removeAt(i);
            evictedKeys.increment();
            ks.evicted(db, key);
            return true;
        } finally {
            ks.unlock(slot);
        }
    }
}
