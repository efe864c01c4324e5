package io.amdc.core.keyspace;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The array-backed slot locks: reentrancy, ownership, exclusion and hand-over between threads. */
class SlotLocksTest {
    @Test
    void reentrantAndOwned() throws Exception {
        SlotLocks l = new SlotLocks(8);
        l.lock(3);
        l.lock(3);
        assertThat(l.heldByCurrentThread(3)).isTrue();
        assertThat(l.tryLock(3)).isTrue(); // reentrant try
        boolean[] other = new boolean[2];
        Thread t = new Thread(() -> {
            other[0] = l.tryLock(3);
            other[1] = l.heldByCurrentThread(3);
        });
        t.start();
        t.join();
        assertThat(other).containsExactly(false, false);
        l.unlock(3);
        l.unlock(3);
        assertThat(l.heldByCurrentThread(3)).isTrue();
        l.unlock(3);
        assertThat(l.heldByCurrentThread(3)).isFalse();
        assertThatThrownBy(() -> l.unlock(3)).isInstanceOf(IllegalMonitorStateException.class);
    }

    @Test
    void unlockByAnotherThreadIsRefused() throws Exception {
        SlotLocks l = new SlotLocks(2);
        l.lock(0);
        Throwable[] seen = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                l.unlock(0);
            } catch (Throwable e) {
                seen[0] = e;
            }
        });
        t.start();
        t.join();
        assertThat(seen[0]).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(l.heldByCurrentThread(0)).isTrue();
        l.unlock(0);
    }

    @Test
    void excludesAndHandsOver() throws Exception {
        SlotLocks l = new SlotLocks(4);
        long[] counter = {0}; // plain field: only the lock makes the increments safe and visible
        int threads = 4;
        int rounds = 50_000;
        CountDownLatch done = new CountDownLatch(threads);
        AtomicBoolean overlap = new AtomicBoolean();
        boolean[] inside = {false};
        for (int k = 0; k < threads; k++) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < rounds; i++) {
                    l.lock(1);
                    try {
                        if (inside[0]) overlap.set(true);
                        inside[0] = true;
                        counter[0]++;
                        inside[0] = false;
                    } finally {
                        l.unlock(1);
                    }
                }
                done.countDown();
            });
            t.start();
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(overlap).isFalse();
        l.lock(1);
        assertThat(counter[0]).isEqualTo((long) threads * rounds);
        l.unlock(1);
    }

    @Test
    void aLongHolderIsWaitedOut() throws Exception {
        SlotLocks l = new SlotLocks(1);
        l.lock(0);
        CountDownLatch got = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            l.lock(0); // spins, yields, then naps until released
            got.countDown();
            l.unlock(0);
        });
        t.start();
        assertThat(got.await(50, TimeUnit.MILLISECONDS)).isFalse();
        l.unlock(0);
        assertThat(got.await(5, TimeUnit.SECONDS)).isTrue();
        t.join();
    }
}
