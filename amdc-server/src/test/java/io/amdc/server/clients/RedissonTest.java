package io.amdc.server.clients;

import io.amdc.server.testing.AmdcServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.Redisson;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RBlockingQueue;
import org.redisson.api.RBucket;
import org.redisson.api.RLock;
import org.redisson.api.RMap;
import org.redisson.api.RPatternTopic;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RSemaphore;
import org.redisson.api.RTopic;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redisson's distributed objects are Lua scripts, pub/sub wake-ups and plain commands: they must
 * work against AMDC unchanged. Data written through Redisson is cross-checked with Jedis, and no
 * command may have failed on the server (errorstats stays empty).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedissonTest {
    private static AmdcServer server;
    private static RedissonClient redisson;

    @BeforeAll
    static void start() {
        server = AmdcServer.start("io-threads 2");
        Config config = new Config();
        config.setThreads(4).setNettyThreads(4);
        config.useSingleServer()
                .setAddress("redis://127.0.0.1:" + server.port())
                .setConnectionMinimumIdleSize(2)
                .setConnectionPoolSize(16)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setTimeout(5_000)
                .setConnectTimeout(5_000);
        redisson = Redisson.create(config);
    }

    @AfterAll
    static void stop() {
        try {
            // A command Redisson relies on that AMDC rejected would show here even if Redisson retried.
            // NOSCRIPT is normal: Redisson tries EVALSHA first and loads the script on that error.
            try (Jedis j = jedis()) {
                assertThat(j.info("errorstats").lines().filter(l -> l.startsWith("errorstat_"))
                        .filter(l -> !l.startsWith("errorstat_NOSCRIPT:"))).isEmpty();
            }
        } finally {
            if (redisson != null) redisson.shutdown(0, 5, TimeUnit.SECONDS);
            if (server != null) server.close();
        }
    }

    private static Jedis jedis() {
        return new Jedis("127.0.0.1", server.port());
    }

    @Test
    void lockIsReentrantAndReleased() {
        RLock lock = redisson.getLock("lock:reentrant");
        lock.lock();
        lock.lock();
        assertThat(lock.isLocked()).isTrue();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        assertThat(lock.getHoldCount()).isEqualTo(2);
        try (Jedis j = jedis()) {
            // Redisson's lock is a hash {client-id:thread -> hold count} with a watchdog TTL.
            assertThat(j.type("lock:reentrant")).isEqualTo("hash");
            assertThat(j.hgetAll("lock:reentrant").values()).containsExactly("2");
            assertThat(j.pttl("lock:reentrant")).isPositive();
        }
        lock.unlock();
        assertThat(lock.getHoldCount()).isEqualTo(1);
        assertThat(lock.isLocked()).isTrue();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
        try (Jedis j = jedis()) {
            assertThat(j.exists("lock:reentrant")).isFalse();
        }
    }

    @Test
    void lockHeldElsewhereBlocksTryLockUntilReleased() throws Exception {
        RLock lock = redisson.getLock("lock:wait");
        ExecutorService other = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> owner = other.submit(() -> {
                lock.lock();
                held.countDown();
                release.await(10, TimeUnit.SECONDS);
                lock.unlock();
                return null;
            });
            assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(lock.tryLock()).isFalse();
            assertThat(lock.tryLock(100, TimeUnit.MILLISECONDS)).isFalse();
            // The unlock publishes on the lock's channel; the waiter wakes on it, well before its wait ends.
            long t0 = System.nanoTime();
            other.submit(() -> {
                Thread.sleep(200);
                release.countDown();
                return null;
            });
            assertThat(lock.tryLock(5, 10, TimeUnit.SECONDS)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3_000);
            owner.get(5, TimeUnit.SECONDS);
            lock.unlock();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void leaseTimeExpiresTheLock() throws Exception {
        RLock lock = redisson.getLock("lock:lease");
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(() -> lock.lock(300, TimeUnit.MILLISECONDS)).get(5, TimeUnit.SECONDS);
            try (Jedis j = jedis()) {
                assertThat(j.pttl("lock:lease")).isBetween(1L, 300L);
            }
            assertThat(lock.tryLock()).isFalse();
            // Nobody unlocks: the key's TTL frees it.
            long t0 = System.nanoTime();
            assertThat(lock.tryLock(5, 1, TimeUnit.SECONDS)).isTrue();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(waited).isLessThan(3_000);
            assertThat(lock.remainTimeToLive()).isBetween(1L, 1_000L);
            lock.unlock();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void contendedLockKeepsCounterExact() throws Exception {
        int threads = 8;
        int rounds = 40;
        RLock lock = redisson.getLock("lock:counter");
        RBucket<String> counter = redisson.getBucket("counter:locked", StringCodec.INSTANCE);
        counter.set("0");
        runContended(threads, rounds, () -> {
            lock.lock();
            try {
                // Read-modify-write that only the lock makes safe.
                counter.set(Long.toString(Long.parseLong(counter.get()) + 1));
            } finally {
                lock.unlock();
            }
        });
        try (Jedis j = jedis()) {
            assertThat(j.get("counter:locked")).isEqualTo(Integer.toString(threads * rounds));
            assertThat(j.exists("lock:counter")).isFalse();
        }
    }

    @Test
    void fairLockServesWaitersAndKeepsCounterExact() throws Exception {
        int threads = 8;
        int rounds = 15;
        RLock lock = redisson.getFairLock("lock:fair");
        AtomicLong plain = new AtomicLong();
        long[] unsafe = new long[1];
        runContended(threads, rounds, () -> {
            lock.lock();
            try {
                unsafe[0]++;
                plain.incrementAndGet();
            } finally {
                lock.unlock();
            }
        });
        assertThat(unsafe[0]).isEqualTo(plain.get()).isEqualTo((long) threads * rounds);
        assertThat(lock.isLocked()).isFalse();
        // The fair lock's queue structures are cleaned up once everyone has left.
        try (Jedis j = jedis()) {
            assertThat(j.exists("lock:fair")).isFalse();
            assertThat(j.llen("redisson_lock_queue:{lock:fair}")).isZero();
        }
    }

    @Test
    void fairLockGrantsInArrivalOrder() throws Exception {
        RLock lock = redisson.getFairLock("lock:fifo");
        lock.lock();
        int waiters = 4;
        ExecutorService pool = Executors.newFixedThreadPool(waiters);
        try {
            List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                int id = i;
                fs.add(pool.submit(() -> {
                    assertThat(lock.tryLock(10, 10, TimeUnit.SECONDS)).isTrue();
                    order.add(id);
                    lock.unlock();
                    return null;
                }));
                // Let each waiter join the queue before the next one arrives.
                long deadline = System.currentTimeMillis() + 5_000;
                try (Jedis j = jedis()) {
                    while (j.llen("redisson_lock_queue:{lock:fifo}") < id + 1 && System.currentTimeMillis() < deadline) {
                        Thread.sleep(5);
                    }
                }
            }
            lock.unlock();
            for (Future<?> f : fs) f.get(15, TimeUnit.SECONDS);
            assertThat(order).containsExactly(0, 1, 2, 3);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void runContended(int threads, int rounds, Runnable body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < rounds; i++) body.run();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) f.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rateLimiterGrantsExactlyRatePermitsPerInterval() throws Exception {
        RRateLimiter limiter = redisson.getRateLimiter("limiter:api");
        assertThat(limiter.trySetRate(RateType.OVERALL, 5, Duration.ofMillis(600))).isTrue();
        // A second trySetRate does not replace the configuration.
        assertThat(limiter.trySetRate(RateType.OVERALL, 50, Duration.ofMillis(600))).isFalse();
        assertThat(limiter.getConfig().getRate()).isEqualTo(5);
        int granted = 0;
        for (int i = 0; i < 8; i++) {
            if (limiter.tryAcquire()) granted++;
        }
        assertThat(granted).isEqualTo(5);
        assertThat(limiter.availablePermits()).isZero();
        // Once the interval has passed the window refills to exactly the rate again.
        Thread.sleep(700);
        assertThat(limiter.tryAcquire(3)).isTrue();
        assertThat(limiter.tryAcquire(3)).isFalse();
        assertThat(limiter.tryAcquire(2)).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
        // Waiting acquire: succeeds once permits come back, within the interval.
        long t0 = System.nanoTime();
        assertThat(limiter.tryAcquire(1, Duration.ofSeconds(3))).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
    }

    @Test
    void rateLimiterUnderConcurrencyNeverOverGrants() throws Exception {
        RRateLimiter limiter = redisson.getRateLimiter("limiter:concurrent");
        assertThat(limiter.trySetRate(RateType.OVERALL, 20, Duration.ofSeconds(10))).isTrue();
        AtomicInteger granted = new AtomicInteger();
        runContended(8, 10, () -> {
            if (limiter.tryAcquire()) granted.incrementAndGet();
        });
        assertThat(granted.get()).isEqualTo(20);
    }

    @Test
    void mapOperations() {
        RMap<String, String> map = redisson.getMap("map:users", StringCodec.INSTANCE);
        assertThat(map.put("alice", "1")).isNull();
        assertThat(map.put("alice", "2")).isEqualTo("1");
        assertThat(map.fastPut("bob", "3")).isTrue();
        assertThat(map.fastPut("bob", "4")).isFalse();
        assertThat(map.putIfAbsent("bob", "5")).isEqualTo("4");
        assertThat(map.putIfAbsent("carol", "6")).isNull();
        assertThat(map.get("alice")).isEqualTo("2");
        assertThat(map.get("nobody")).isNull();
        assertThat(map.size()).isEqualTo(3);
        assertThat(map.containsKey("carol")).isTrue();
        Map<String, String> all = new HashMap<>();
        for (Map.Entry<String, String> e : map.entrySet()) all.put(e.getKey(), e.getValue());
        assertThat(all).isEqualTo(Map.of("alice", "2", "bob", "4", "carol", "6"));
        assertThat(map.readAllMap()).isEqualTo(all);
        assertThat(String.valueOf((Object) map.addAndGet("counter", 5))).isEqualTo("5");
        assertThat(map.remove("alice")).isEqualTo("2");
        assertThat(map.fastRemove("bob", "nobody")).isEqualTo(1);
        assertThat(map.replace("carol", "7")).isEqualTo("6");
        try (Jedis j = jedis()) {
            assertThat(j.hgetAll("map:users")).isEqualTo(Map.of("carol", "7", "counter", "5"));
        }
        // Large map: entrySet iterates with HSCAN across pages.
        Map<String, String> big = new HashMap<>();
        for (int i = 0; i < 1500; i++) big.put("k" + i, "v" + i);
        RMap<String, String> bigMap = redisson.getMap("map:big", StringCodec.INSTANCE);
        bigMap.putAll(big);
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, String> e : bigMap.entrySet()) seen.put(e.getKey(), e.getValue());
        assertThat(seen).isEqualTo(big);
    }

    @Test
    void topicDeliversManyMessagesInOrder() throws Exception {
        RTopic topic = redisson.getTopic("topic:events", StringCodec.INSTANCE);
        int n = 3000;
        List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(n);
        int id = topic.addListener(String.class, (channel, msg) -> {
            got.add(msg);
            all.countDown();
        });
        RPatternTopic pattern = redisson.getPatternTopic("topic:*", StringCodec.INSTANCE);
        AtomicInteger viaPattern = new AtomicInteger();
        CountDownLatch allViaPattern = new CountDownLatch(n);
        int pid = pattern.addListener(String.class, (pat, channel, msg) -> {
            if (channel.toString().equals("topic:events")) viaPattern.incrementAndGet();
            allViaPattern.countDown();
        });
        long receivers = 0;
        for (int i = 0; i < n; i++) receivers += topic.publish("m" + i);
        assertThat(receivers).isEqualTo(2L * n);
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(allViaPattern.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(viaPattern.get()).isEqualTo(n);
        pattern.removeListener(pid);
        for (int i = 0; i < n; i++) assertThat(got.get(i)).isEqualTo("m" + i);
        assertThat(topic.countSubscribers()).isEqualTo(1);
        topic.removeListener(id);
        assertThat(topic.countSubscribers()).isZero();
    }

    @Test
    void bucketAndAtomicLong() throws Exception {
        RBucket<String> bucket = redisson.getBucket("bucket:a", StringCodec.INSTANCE);
        assertThat(bucket.get()).isNull();
        assertThat(bucket.setIfAbsent("x")).isTrue();
        assertThat(bucket.setIfAbsent("y")).isFalse();
        assertThat(bucket.getAndSet("z")).isEqualTo("x");
        assertThat(bucket.compareAndSet("z", "w")).isTrue();
        assertThat(bucket.compareAndSet("z", "v")).isFalse();
        bucket.set("ttl", Duration.ofSeconds(100));
        assertThat(bucket.remainTimeToLive()).isBetween(90_000L, 100_000L);
        assertThat(bucket.getAndDelete()).isEqualTo("ttl");
        assertThat(bucket.isExists()).isFalse();

        RAtomicLong along = redisson.getAtomicLong("along:a");
        assertThat(along.incrementAndGet()).isEqualTo(1);
        assertThat(along.addAndGet(41)).isEqualTo(42);
        assertThat(along.compareAndSet(42, 100)).isTrue();
        assertThat(along.compareAndSet(42, 7)).isFalse();
        assertThat(along.getAndDecrement()).isEqualTo(100);
        assertThat(along.get()).isEqualTo(99);
        runContended(8, 50, along::incrementAndGet);
        assertThat(along.get()).isEqualTo(99 + 400);
        try (Jedis j = jedis()) {
            assertThat(j.get("along:a")).isEqualTo("499");
        }
    }

    @Test
    void blockingQueuePollWithTimeout() throws Exception {
        RBlockingQueue<String> queue = redisson.getBlockingQueue("queue:jobs", StringCodec.INSTANCE);
        long t0 = System.nanoTime();
        assertThat(queue.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(250L, 3_000L);
        queue.offer("a");
        queue.offer("b");
        assertThat(queue.poll(1, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(queue.take()).isEqualTo("b");
        // A producer arriving during the wait wakes the blocked poll.
        ExecutorService producer = Executors.newSingleThreadExecutor();
        try {
            producer.submit(() -> {
                Thread.sleep(200);
                queue.add("late");
                return null;
            });
            assertThat(queue.poll(5, TimeUnit.SECONDS)).isEqualTo("late");
        } finally {
            producer.shutdownNow();
        }
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void semaphorePermits() throws Exception {
        RSemaphore sem = redisson.getSemaphore("sem:pool");
        assertThat(sem.trySetPermits(2)).isTrue();
        assertThat(sem.tryAcquire()).isTrue();
        assertThat(sem.tryAcquire()).isTrue();
        assertThat(sem.tryAcquire()).isFalse();
        assertThat(sem.availablePermits()).isZero();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(() -> {
                Thread.sleep(200);
                sem.release();
                return null;
            });
            assertThat(sem.tryAcquire(Duration.ofSeconds(5))).isTrue();
        } finally {
            other.shutdownNow();
        }
        sem.release(2);
        assertThat(sem.availablePermits()).isEqualTo(2);
    }
}
