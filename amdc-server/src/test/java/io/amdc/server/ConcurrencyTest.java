package io.amdc.server;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The multi-threaded path: several event loops running commands on shared keys at once. */
class ConcurrencyTest {
    private static AmdcServer server;

    @BeforeAll
    static void start() {
        server = AmdcServer.start("io-threads 4");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** 16 connections pipelining INCRs on one shared key and on their own keys: no update lost. */
    @Test
    void concurrentIncrementsAreExact() throws Exception {
        int clients = 16;
        int perClient = 5000;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                String own = "own:" + t;
                fs.add(pool.submit(() -> {
                    ByteArrayOutputStream req = new ByteArrayOutputStream();
                    for (int i = 0; i < perClient; i++) {
                        req.writeBytes(RawClient.encode("INCR", "shared"));
                        req.writeBytes(RawClient.encode("INCR", own));
                    }
                    try (Socket s = new Socket("127.0.0.1", server.port())) {
                        s.setSoTimeout(20_000);
                        byte[] bytes = req.toByteArray();
                        Thread w = Thread.ofVirtual().start(() -> {
                            try {
                                s.getOutputStream().write(bytes);
                            } catch (java.io.IOException ignored) {
                                // reader fails the test
                            }
                        });
                        InputStream in = new BufferedInputStream(s.getInputStream());
                        long lastOwn = 0;
                        for (int i = 0; i < 2 * perClient; i++) {
                            String line = readLine(in);
                            assertThat(line).startsWith(":");
                            if (i % 2 == 1) {
                                long v = Long.parseLong(line.substring(1));
                                assertThat(v).isEqualTo(lastOwn + 1);
                                lastOwn = v;
                            }
                        }
                        w.join();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        try (RawClient c = server.client()) {
            assertThat(c.call("GET", "shared")).isEqualTo(Integer.toString(clients * perClient));
            for (int t = 0; t < clients; t++) assertThat(c.call("GET", "own:" + t)).isEqualTo(Integer.toString(perClient));
        }
    }

    private static String readLine(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) throw new java.io.IOException("closed");
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    /** MSET over many slots is atomic: a concurrent MGET never sees a mix of two writes. */
    @Test
    void msetIsAtomicAcrossSlots() throws Exception {
        int keys = 40;
        Object[] mget = new Object[keys + 1];
        mget[0] = "MGET";
        for (int i = 0; i < keys; i++) mget[i + 1] = "atomic:" + i;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> fs = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                fs.add(pool.submit(() -> {
                    try (RawClient c = server.client()) {
                        for (int i = 0; !stop.get(); i++) {
                            Object[] mset = new Object[2 * keys + 1];
                            mset[0] = "MSET";
                            String v = writer + ":" + i;
                            for (int k = 0; k < keys; k++) {
                                mset[1 + 2 * k] = "atomic:" + k;
                                mset[2 + 2 * k] = v;
                            }
                            if (!c.call(mset).equals("OK")) return "MSET failed";
                            writes.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 4; r++) {
                fs.add(pool.submit(() -> {
                    try (RawClient c = server.client()) {
                        while (!stop.get()) {
                            String got = c.call(mget);
                            String[] values = got.substring(1, got.length() - 1).split(", ");
                            for (String v : values) {
                                if (!v.equals(values[0])) return "torn read: " + got;
                            }
                            reads.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(2000);
            stop.set(true);
            for (Future<String> f : fs) assertThat(f.get(30, TimeUnit.SECONDS)).isNull();
        } finally {
            pool.shutdownNow();
        }
        assertThat(reads.get()).isGreaterThan(100);
        assertThat(writes.get()).isGreaterThan(100);
    }

    @Test
    void lettuceResp2AndResp3() {
        for (ProtocolVersion proto : new ProtocolVersion[]{ProtocolVersion.RESP2, ProtocolVersion.RESP3}) {
            RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
            client.setOptions(ClientOptions.builder().protocolVersion(proto).build());
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                RedisCommands<String, String> r = conn.sync();
                String p = proto.name();
                assertThat(r.ping()).isEqualTo("PONG");
                assertThat(r.echo("hi " + p)).isEqualTo("hi " + p);
                assertThat(r.set("lt:" + p, "v")).isEqualTo("OK");
                assertThat(r.get("lt:" + p)).isEqualTo("v");
                assertThat(r.get("lt:missing")).isNull();
                assertThat(r.incr("lt:n:" + p)).isEqualTo(1L);
                Map<String, String> m = new LinkedHashMap<>();
                m.put("lt:a:" + p, "1");
                m.put("lt:b:" + p, "2");
                assertThat(r.mset(m)).isEqualTo("OK");
                assertThat(r.mget("lt:a:" + p, "lt:b:" + p, "lt:none"))
                        .containsExactly(KeyValue.just("lt:a:" + p, "1"), KeyValue.just("lt:b:" + p, "2"),
                                KeyValue.empty("lt:none"));
                assertThat(r.select(1)).isEqualTo("OK");
                assertThat(r.get("lt:" + p)).isNull();
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void lettuceAsyncPipelineOfTenThousand() {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisAsyncCommands<String, String> a = conn.async();
            conn.setAutoFlushCommands(false);
            List<RedisFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                futures.add(i % 2 == 0 ? a.incr("lp:counter") : a.set("lp:" + i, Integer.toString(i)));
            }
            conn.flushCommands();
            assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(30), futures.toArray(new RedisFuture[0]))).isTrue();
            conn.setAutoFlushCommands(true);
            assertThat(conn.sync().get("lp:counter")).isEqualTo("5000");
            assertThat(conn.sync().get("lp:9999")).isEqualTo("9999");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /**
     * Pipelines on one slot keep its lock across a batch: mixed with multi-key commands on the
     * same slot, transactions and keyspace-wide SWAPDB (every lock), nothing deadlocks and no
     * increment is lost.
     */
    @Test
    void keptSlotLocksMixWithMultiKeyAndGlobalCommands() throws Exception {
        int pipeliners = 3, batches = 20, perBatch = 200, txs = 50;
        ExecutorService pool = Executors.newFixedThreadPool(pipeliners + 3);
        AtomicBoolean running = new AtomicBoolean(true);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < pipeliners; t++) {
                fs.add(pool.submit(() -> {
                    try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", server.port())) {
                        for (int b = 0; b < batches; b++) {
                            redis.clients.jedis.Pipeline p = j.pipelined();
                            for (int i = 0; i < perBatch; i++) {
                                p.incr("{kept}n");
                                // Other locks taken in the middle of a kept run: released first.
                                if (i % 50 == 25) p.mset("other", "1", "{kept}x", "2");
                                if (i % 100 == 75) p.swapDB(5, 6);
                            }
                            p.sync();
                        }
                    }
                    return null;
                }));
            }
            fs.add(pool.submit(() -> {
                try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", server.port())) {
                    for (int i = 0; i < txs; i++) {
                        redis.clients.jedis.Transaction tx = j.multi();
                        tx.incr("{kept}n");
                        tx.exec();
                    }
                }
                return null;
            }));
            Future<?> multiKey = pool.submit(() -> {
                try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", server.port())) {
                    while (running.get()) {
                        j.mset("{kept}x", "1", "other", "2");
                        j.mget("{kept}n", "{kept}x", "other");
                    }
                }
                return null;
            });
            Future<?> global = pool.submit(() -> {
                try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", server.port())) {
                    while (running.get()) j.swapDB(3, 4);
                }
                return null;
            });
            for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
            running.set(false);
            multiKey.get(30, TimeUnit.SECONDS);
            global.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        try (RawClient c = server.client()) {
            assertThat(c.call("GET", "{kept}n")).isEqualTo(Integer.toString(pipeliners * batches * perBatch + txs));
        }
    }
}
