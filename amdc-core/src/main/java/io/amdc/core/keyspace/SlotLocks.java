package io.amdc.core.keyspace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One reentrant lock per hash slot, all in a single {@code long[]}: word = owner thread id << 16 |
 * hold count, 0 when free. Replaces an array of ReentrantLocks, whose two objects per slot (lock
 * and sync) cost two dependent cache misses on every command; this array (128 KB) stays in cache.
 * Contention is rare (commands are short, keys spread over 16384 slots), so a waiter spins briefly,
 * then yields, then parks in growing naps: no queue, no fairness, which the slot locks never needed.
 */
final class SlotLocks {
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int COUNT_BITS = 16;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

    private final long[] words;

    SlotLocks(int n) {
        words = new long[n];
    }

    int size() {
        return words.length;
    }

    void lock(int i) {
        long me = Thread.currentThread().threadId() << COUNT_BITS;
        if (WORD.compareAndSet(words, i, 0L, me | 1)) return;
        long w = (long) WORD.getVolatile(words, i);
        if ((w & ~COUNT_MASK) == me) {
            reenter(i, w);
            return;
        }
        long nap = 10_000;
        for (int spins = 0; ; spins++) {
            if (w == 0 && WORD.compareAndSet(words, i, 0L, me | 1)) return;
            if (spins < 200) {
                Thread.onSpinWait();
            } else if (spins < 220) {
                Thread.yield();
            } else {
                // A long holder (a script, lockAll for a snapshot start) is waited out in naps
                // growing to 1 ms, so a waiter costs little CPU and at most ~1 ms of extra delay.
                LockSupport.parkNanos(nap);
                nap = Math.min(nap * 2, 1_000_000);
            }
            w = (long) WORD.getVolatile(words, i);
        }
    }

    boolean tryLock(int i) {
        long me = Thread.currentThread().threadId() << COUNT_BITS;
        if (WORD.compareAndSet(words, i, 0L, me | 1)) return true;
        long w = (long) WORD.getVolatile(words, i);
        if ((w & ~COUNT_MASK) != me) return false;
        reenter(i, w);
        return true;
    }

    private void reenter(int i, long w) {
        if ((w & COUNT_MASK) == COUNT_MASK) throw new Error("Maximum slot lock count exceeded");
        WORD.setOpaque(words, i, w + 1); // only the owner writes a held word
    }

    void unlock(int i) {
        long w = (long) WORD.getOpaque(words, i);
        if ((w & ~COUNT_MASK) != Thread.currentThread().threadId() << COUNT_BITS || w == 0) {
            throw new IllegalMonitorStateException("slot " + i + " is not locked by this thread");
        }
        if ((w & COUNT_MASK) == 1) WORD.setRelease(words, i, 0L);
        else WORD.setOpaque(words, i, w - 1);
    }

    boolean heldByCurrentThread(int i) {
        long w = (long) WORD.getOpaque(words, i);
        return w != 0 && (w & ~COUNT_MASK) == Thread.currentThread().threadId() << COUNT_BITS;
    }
}
