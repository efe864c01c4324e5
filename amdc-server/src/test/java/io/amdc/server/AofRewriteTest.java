package io.amdc.server;

import io.amdc.server.testing.AmdcServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BGREWRITEAOF while writers keep going: the base is the keyspace at the rewrite's start and the
 * new incremental file holds exactly the later writes, so non-idempotent commands (INCR, RPUSH,
 * LMOVE across slots) replay to the same values.
 */
class AofRewriteTest {
    @TempDir
    Path tmp;

    private static String digest(int port) {
        try (var c = new io.amdc.server.testing.RawClient("127.0.0.1", port)) {
            return c.call("DEBUG", "DIGEST");
        }
    }

    /** With aof-use-rdb-preamble yes (the default) the base is an RDB image, with no RESP commands. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"yes", "no"})
    void rewriteUnderConcurrentWritesReplaysExactly(String preamble) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data-" + preamble));
        String digest;
        long[] counters = new long[2];
        try (AmdcServer a = AmdcServer.start("appendonly yes", "dir " + dir, "appendfsync no", "io-threads 2",
                "aof-use-rdb-preamble " + preamble)) {
            try (Jedis j = new Jedis("127.0.0.1", a.port())) {
                for (int i = 0; i < 2000; i++) j.set("pre" + i, "v" + i);
                // Scores the rewrite must write back exactly (the digest below compares them).
                double[] scores = {0.1, 1e20, -2.5e-7, 123456789.123, Double.POSITIVE_INFINITY, 1.0 / 3, 4.9e-324};
                for (int i = 0; i < scores.length; i++) {
                    j.zadd("zsmall", scores[i], "m" + i);
                    j.zadd("zbig", scores[i], "m" + i);
                }
                for (int i = 0; i < 200; i++) j.zadd("zbig", i / 7.0, "n" + i); // a skiplist
            }
            AtomicBoolean stop = new AtomicBoolean();
            Thread[] writers = new Thread[2];
            for (int w = 0; w < writers.length; w++) {
                int id = w;
                writers[w] = new Thread(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", a.port())) {
                        for (long n = 0; !stop.get(); n++) {
                            j.incr("counter" + id);
                            j.rpush("list" + (n % 7), "x" + n);
                            j.lmove("list" + (n % 7), "moved" + (n % 5), redis.clients.jedis.args.ListDirection.LEFT,
                                    redis.clients.jedis.args.ListDirection.RIGHT);
                            counters[id] = n + 1;
                        }
                    }
                });
                writers[w].start();
            }
            try (Jedis j = new Jedis("127.0.0.1", a.port())) {
                for (int r = 0; r < 3; r++) {
                    Thread.sleep(100);
                    j.bgrewriteaof();
                    while (j.info("persistence").contains("aof_rewrite_in_progress:1")) Thread.sleep(5);
                }
                Thread.sleep(100);
                stop.set(true);
                for (Thread t : writers) t.join();
                assertThat(j.info("persistence")).contains("aof_rewrites:3").contains("aof_last_bgrewrite_status:ok");
                digest = digest(a.port());
            }
        }
        try (AmdcServer b = AmdcServer.start("appendonly yes", "dir " + dir);
             Jedis j = new Jedis("127.0.0.1", b.port())) {
            assertThat(j.get("counter0")).isEqualTo(Long.toString(counters[0]));
            assertThat(j.get("counter1")).isEqualTo(Long.toString(counters[1]));
            assertThat(j.get("pre1999")).isEqualTo("v1999");
            assertThat(digest(b.port())).isEqualTo(digest);
        }
        try (var files = Files.list(dir.resolve("appendonlydir"))) {
            // Old bases and incr files are gone: one base, one incr, the manifest.
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("appendonly.aof.4.base." + (preamble.equals("yes") ? "rdb" : "aof"), "appendonly.aof.4.incr.aof", "appendonly.aof.manifest");
        }
    }
}
