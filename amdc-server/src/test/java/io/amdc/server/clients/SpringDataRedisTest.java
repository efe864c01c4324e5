package io.amdc.server.clients;

import io.amdc.server.testing.AmdcServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Data Redis on Lettuce, wired by hand (no Spring Boot): templates, transactions with
 * optimistic WATCH retries, scripts, pipelines and the listener container run unchanged on AMDC.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpringDataRedisTest {
    private static AmdcServer server;
    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate template;

    @BeforeAll
    static void start() {
        server = AmdcServer.start("io-threads 2");
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(Duration.ofSeconds(5)).build();
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", server.port()), client);
        factory.afterPropertiesSet();
        factory.start();
        template = new StringRedisTemplate(factory);
        template.afterPropertiesSet();
    }

    @AfterAll
    static void stop() {
        try {
            // NOSCRIPT is normal: Spring tries EVALSHA first and sends EVAL on that error.
            try (Jedis j = jedis()) {
                assertThat(j.info("errorstats").lines().filter(l -> l.startsWith("errorstat_"))
                        .filter(l -> !l.startsWith("errorstat_NOSCRIPT:"))).isEmpty();
            }
        } finally {
            if (factory != null) factory.destroy();
            if (server != null) server.close();
        }
    }

    private static Jedis jedis() {
        return new Jedis("127.0.0.1", server.port());
    }

    @Test
    void valueOperations() {
        var ops = template.opsForValue();
        ops.set("v:a", "1");
        assertThat(ops.get("v:a")).isEqualTo("1");
        assertThat(ops.increment("v:a", 41)).isEqualTo(42);
        assertThat(ops.increment("v:f", 1.5)).isEqualTo(1.5);
        assertThat(ops.setIfAbsent("v:a", "x")).isFalse();
        assertThat(ops.setIfAbsent("v:b", "x", Duration.ofSeconds(100))).isTrue();
        assertThat(template.getExpire("v:b", TimeUnit.SECONDS)).isBetween(90L, 100L);
        assertThat(ops.setIfPresent("v:b", "y")).isTrue();
        assertThat(ops.getAndSet("v:b", "z")).isEqualTo("y");
        assertThat(ops.multiGet(List.of("v:a", "v:missing", "v:b"))).containsExactly("42", null, "z");
        ops.multiSet(Map.of("v:m1", "1", "v:m2", "2"));
        assertThat(ops.append("v:m1", "0")).isEqualTo(2);
        assertThat(ops.get("v:m1", 0, 0)).isEqualTo("1");
        assertThat(ops.getAndDelete("v:m2")).isEqualTo("2");
        assertThat(template.hasKey("v:m2")).isFalse();
        ops.set("v:t", "t", Duration.ofMillis(1500));
        assertThat(template.getExpire("v:t", TimeUnit.MILLISECONDS)).isBetween(1L, 1500L);
        assertThat(ops.getAndPersist("v:t")).isEqualTo("t");
        assertThat(template.getExpire("v:t")).isEqualTo(-1);
        assertThat(template.type("v:t").code()).isEqualTo("string");
    }

    @Test
    void hashListSetZSetOperations() {
        var hash = template.opsForHash();
        hash.put("h:u", "name", "ann");
        hash.putAll("h:u", Map.of("age", "30", "city", "x"));
        assertThat(hash.putIfAbsent("h:u", "name", "bob")).isFalse();
        assertThat(hash.increment("h:u", "age", 2)).isEqualTo(32);
        assertThat(hash.entries("h:u")).isEqualTo(Map.of("name", "ann", "age", "32", "city", "x"));
        assertThat(hash.multiGet("h:u", List.of("name", "nope"))).containsExactly("ann", null);
        assertThat(hash.delete("h:u", "city", "nope")).isEqualTo(1);
        assertThat(hash.size("h:u")).isEqualTo(2);

        var list = template.opsForList();
        assertThat(list.rightPushAll("l:q", "a", "b", "c")).isEqualTo(3);
        assertThat(list.leftPush("l:q", "z")).isEqualTo(4);
        assertThat(list.range("l:q", 0, -1)).containsExactly("z", "a", "b", "c");
        assertThat(list.rightPopAndLeftPush("l:q", "l:q2")).isEqualTo("c");
        assertThat(list.leftPop("l:q", 2)).containsExactly("z", "a");
        assertThat(list.index("l:q", 0)).isEqualTo("b");
        assertThat(list.leftPop("l:empty", Duration.ofMillis(200))).isNull();
        assertThat(list.move("l:q2", org.springframework.data.redis.connection.RedisListCommands.Direction.LEFT,
                "l:q", org.springframework.data.redis.connection.RedisListCommands.Direction.RIGHT)).isEqualTo("c");
        assertThat(list.range("l:q", 0, -1)).containsExactly("b", "c");

        var set = template.opsForSet();
        assertThat(set.add("s:a", "1", "2", "3")).isEqualTo(3);
        assertThat(set.add("s:b", "2", "3", "4")).isEqualTo(3);
        assertThat(set.intersect("s:a", "s:b")).containsExactlyInAnyOrder("2", "3");
        assertThat(set.union("s:a", "s:b")).containsExactlyInAnyOrder("1", "2", "3", "4");
        assertThat(set.difference("s:a", "s:b")).containsExactly("1");
        assertThat(set.isMember("s:a", "1")).isTrue();
        assertThat(set.isMember("s:a", "9", "1")).isEqualTo(Map.of("9", false, "1", true));
        assertThat(set.move("s:a", "1", "s:b")).isTrue();
        assertThat(set.members("s:b")).containsExactlyInAnyOrder("1", "2", "3", "4");
        assertThat(set.pop("s:a", 5)).containsExactlyInAnyOrder("2", "3");
        assertThat(template.hasKey("s:a")).isFalse();

        var zset = template.opsForZSet();
        assertThat(zset.add("z:lb", "ann", 10)).isTrue();
        assertThat(zset.add("z:lb", Set.of(ZSetOperations.TypedTuple.of("bob", 20.0),
                ZSetOperations.TypedTuple.of("cid", 15.0)))).isEqualTo(2);
        assertThat(zset.incrementScore("z:lb", "ann", 7.5)).isEqualTo(17.5);
        assertThat(zset.range("z:lb", 0, -1)).containsExactly("cid", "ann", "bob");
        assertThat(zset.reverseRank("z:lb", "bob")).isZero();
        assertThat(zset.rangeByScore("z:lb", 16, 30)).containsExactly("ann", "bob");
        List<String> withScores = new ArrayList<>();
        for (var t : zset.reverseRangeWithScores("z:lb", 0, 1)) withScores.add(t.getValue() + "=" + t.getScore());
        assertThat(withScores).containsExactly("bob=20.0", "ann=17.5");
        assertThat(zset.popMin("z:lb").getValue()).isEqualTo("cid");
        assertThat(zset.score("z:lb", "ann", "zed")).containsExactly(17.5, null);
        assertThat(zset.count("z:lb", 0, 100)).isEqualTo(2);
    }

    @Test
    void transactionWithSessionCallback() {
        List<Object> results = template.execute(new SessionCallback<>() {
            @Override
            @SuppressWarnings("unchecked")
            public <K, V> List<Object> execute(RedisOperations<K, V> operations) throws DataAccessException {
                RedisOperations<String, String> ops = (RedisOperations<String, String>) operations;
                ops.multi();
                ops.opsForValue().set("tx:a", "1");
                ops.opsForValue().increment("tx:a");
                ops.opsForList().rightPush("tx:l", "x");
                ops.opsForValue().get("tx:a");
                return ops.exec();
            }
        });
        assertThat(results).containsExactly(true, 2L, 1L, "2");
        assertThat(template.opsForValue().get("tx:a")).isEqualTo("2");
    }

    /** One optimistic increment: WATCH, read, MULTI, write, EXEC; false when EXEC was aborted. */
    private static boolean watchedIncrement(String key, Runnable betweenReadAndExec) {
        List<Object> r = template.execute(new SessionCallback<>() {
            @Override
            @SuppressWarnings("unchecked")
            public <K, V> List<Object> execute(RedisOperations<K, V> operations) throws DataAccessException {
                RedisOperations<String, String> ops = (RedisOperations<String, String>) operations;
                ops.watch(key);
                String cur = ops.opsForValue().get(key);
                long next = (cur == null ? 0 : Long.parseLong(cur)) + 1;
                betweenReadAndExec.run();
                ops.multi();
                ops.opsForValue().set(key, Long.toString(next));
                return ops.exec();
            }
        });
        return r != null && !r.isEmpty();
    }

    @Test
    void watchAbortsOnConflictAndRetrySucceeds() throws Exception {
        template.opsForValue().set("tx:w", "10");
        // A concurrent writer between WATCH and EXEC aborts the transaction...
        assertThat(watchedIncrement("tx:w", () -> template.opsForValue().set("tx:w", "100"))).isFalse();
        assertThat(template.opsForValue().get("tx:w")).isEqualTo("100");
        // ...and the retry, without interference, commits.
        assertThat(watchedIncrement("tx:w", () -> { })).isTrue();
        assertThat(template.opsForValue().get("tx:w")).isEqualTo("101");

        // Many optimistic clients: retries make every increment count exactly once.
        template.delete("tx:counter");
        int threads = 6;
        int rounds = 20;
        AtomicInteger aborts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        while (!watchedIncrement("tx:counter", () -> { })) aborts.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(template.opsForValue().get("tx:counter")).isEqualTo(Integer.toString(threads * rounds));
    }

    @Test
    void redisScripts() {
        DefaultRedisScript<Long> incrBy = new DefaultRedisScript<>(
                "return redis.call('INCRBY', KEYS[1], ARGV[1])", Long.class);
        assertThat(template.execute(incrBy, List.of("sc:n"), "5")).isEqualTo(5L);
        assertThat(template.execute(incrBy, List.of("sc:n"), "7")).isEqualTo(12L);
        // The classic safe unlock: delete only if the caller still owns the lock.
        DefaultRedisScript<Long> release = new DefaultRedisScript<>(
                "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
                Long.class);
        assertThat(template.opsForValue().setIfAbsent("sc:lock", "owner-1", Duration.ofSeconds(10))).isTrue();
        assertThat(template.execute(release, List.of("sc:lock"), "owner-2")).isZero();
        assertThat(template.execute(release, List.of("sc:lock"), "owner-1")).isEqualTo(1L);
        assertThat(template.hasKey("sc:lock")).isFalse();
        DefaultRedisScript<Boolean> bool = new DefaultRedisScript<>("return redis.call('EXISTS', KEYS[1]) == 1", Boolean.class);
        assertThat(template.execute(bool, List.of("sc:n"))).isTrue();
        @SuppressWarnings("rawtypes")
        DefaultRedisScript<List> multi = new DefaultRedisScript<>("return {KEYS[1], ARGV[1], 3}", List.class);
        assertThat(template.execute(multi, List.of("k"), "a")).containsExactly("k", "a", 3L);
    }

    @Test
    void pipelinedCallback() {
        List<Object> results = template.executePipelined((RedisCallback<Object>) connection -> {
            for (int i = 0; i < 500; i++) {
                connection.stringCommands().set(("p:" + i).getBytes(StandardCharsets.UTF_8), Integer.toString(i).getBytes(StandardCharsets.UTF_8));
            }
            connection.stringCommands().incr("p:0".getBytes(StandardCharsets.UTF_8));
            connection.stringCommands().get("p:499".getBytes(StandardCharsets.UTF_8));
            connection.keyCommands().exists("p:1".getBytes(StandardCharsets.UTF_8), "p:nope".getBytes(StandardCharsets.UTF_8));
            return null;
        });
        assertThat(results).hasSize(503);
        assertThat(results.subList(0, 500)).allMatch(Boolean.TRUE::equals);
        assertThat(results.subList(500, 503)).containsExactly(1L, "499", 1L);
        try (RedisConnection c = factory.getConnection()) {
            assertThat(c.serverCommands().dbSize()).isGreaterThanOrEqualTo(500L);
        }
    }

    @Test
    void listenerContainerReceivesChannelAndPatternMessages() throws Exception {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(factory);
        container.setMaxSubscriptionRegistrationWaitingTime(5_000);
        int n = 2000;
        List<String> direct = Collections.synchronizedList(new ArrayList<>());
        List<String> patterned = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(2 * n);
        container.addMessageListener((message, pattern) -> {
            direct.add(new String(message.getBody(), StandardCharsets.UTF_8));
            done.countDown();
        }, new ChannelTopic("orders.created"));
        container.addMessageListener((message, pattern) -> {
            patterned.add(new String(message.getChannel(), StandardCharsets.UTF_8) + "|"
                    + new String(pattern, StandardCharsets.UTF_8) + "|" + new String(message.getBody(), StandardCharsets.UTF_8));
            done.countDown();
        }, new PatternTopic("orders.*"));
        container.afterPropertiesSet();
        container.start();
        try {
            try (Jedis j = jedis()) {
                long deadline = System.currentTimeMillis() + 5_000;
                while ((j.pubsubNumPat() < 1 || j.pubsubNumSub("orders.created").get("orders.created") < 1)
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
            }
            long receivers = 0;
            for (int i = 0; i < n; i++) receivers += template.convertAndSend("orders.created", "o" + i);
            assertThat(receivers).isEqualTo(2L * n);
            assertThat(template.convertAndSend("other", "x")).isZero();
            assertThat(done.await(15, TimeUnit.SECONDS)).isTrue();
            // The container dispatches on a task executor: compare contents, not arrival order.
            assertThat(direct).hasSize(n);
            assertThat(patterned).hasSize(n).allMatch(s -> s.startsWith("orders.created|orders.*|o"));
            assertThat(new java.util.HashSet<>(direct)).hasSize(n);
        } finally {
            container.stop();
            container.destroy();
        }
    }
}
