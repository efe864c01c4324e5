package io.amdc.server;

import io.amdc.server.testing.AmdcProcess;
import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** AOF files move both ways between AMDC and redis-server 7, and the records are deterministic. */
class AofCompatTest {
    @TempDir
    Path tmp;

    /** A bit of every type, a TTL, a second database; half before a rewrite, half after. */
    private static void populate(Jedis j, Runnable rewrite) {
        j.set("s", "v");
        j.rpush("l", "a", "b", "c");
        j.hset("h", "f1", "v1");
        j.zadd("z", 1.5, "m1");
        j.zadd("z", -2, "m2");
        j.setex("ttl", 1000, "x");
        j.incrByFloat("f", 1.25);
        rewrite.run();
        j.rpush("l", "d");
        j.hset("h", "f2", "v2");
        j.expire("s", 5000);
        j.select(2);
        j.set("db2", "yes");
        j.select(0);
        for (int i = 0; i < 300; i++) j.rpush("big", "e" + i);
        j.del("gone");
        j.set("gone", "1");
        j.del("gone");
    }

    private static void verify(Jedis j) {
        assertThat(j.get("s")).isEqualTo("v");
        assertThat(j.ttl("s")).isBetween(4000L, 5000L);
        assertThat(j.lrange("l", 0, -1)).containsExactly("a", "b", "c", "d");
        assertThat(j.hgetAll("h")).containsOnlyKeys("f1", "f2");
        assertThat(j.zrangeWithScores("z", 0, -1).toString()).isEqualTo("[[m2,-2.0], [m1,1.5]]");
        assertThat(j.ttl("ttl")).isBetween(990L, 1000L);
        assertThat(j.get("f")).isEqualTo("1.25");
        assertThat(j.llen("big")).isEqualTo(300);
        assertThat(j.exists("gone")).isFalse();
        j.select(2);
        assertThat(j.get("db2")).isEqualTo("yes");
        j.select(0);
    }

    private static void waitRewrite(Jedis j) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (j.info("persistence").contains("aof_rewrite_in_progress:1") && System.currentTimeMillis() < deadline) {
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
    }

    @Test
    void redisLoadsAnAofWrittenByAmdc() throws Exception {
        assumeTrue(RedisServerProcess.available());
        Path dir = Files.createDirectories(tmp.resolve("amdc"));
        try (AmdcServer a = AmdcServer.start("appendonly yes", "dir " + dir, "appendfsync always");
             Jedis j = new Jedis("127.0.0.1", a.port())) {
            populate(j, () -> {
                assertThat(j.bgrewriteaof()).isEqualTo("Background append only file rewriting started");
                waitRewrite(j);
            });
            verify(j);
        }
        Path copy = tmp.resolve("redis");
        copyDir(dir.resolve("appendonlydir"), copy.resolve("appendonlydir"));
        try (RedisServerProcess r = RedisServerProcess.start("--appendonly", "yes", "--dir", copy.toString());
             Jedis j = new Jedis("127.0.0.1", r.port())) {
            verify(j);
        }
    }

    @Test
    void amdcLoadsAnAofWrittenByRedis() throws Exception {
        assumeTrue(RedisServerProcess.available());
        Path dir = Files.createDirectories(tmp.resolve("redis"));
        // A RESP base: the RDB preamble needs the RDB reader (see RdbPreamble).
        try (RedisServerProcess r = RedisServerProcess.start("--appendonly", "yes", "--dir", dir.toString(),
                "--aof-use-rdb-preamble", "no", "--aof-timestamp-enabled", "yes");
             Jedis j = new Jedis("127.0.0.1", r.port())) {
            populate(j, () -> {
                j.bgrewriteaof();
                waitRewrite(j);
            });
            redis.clients.jedis.Transaction tx = j.multi();
            tx.set("tx1", "a");
            tx.set("tx2", "b");
            tx.exec();
            verify(j);
        }
        Path copy = tmp.resolve("amdc");
        copyDir(dir.resolve("appendonlydir"), copy.resolve("appendonlydir"));
        try (AmdcServer a = AmdcServer.start("appendonly yes", "dir " + copy);
             Jedis j = new Jedis("127.0.0.1", a.port())) {
            verify(j);
            assertThat(j.mget("tx1", "tx2")).containsExactly("a", "b");
        }
    }

    @Test
    void recordsAreDeterministic() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("amdc"));
        try (AmdcServer a = AmdcServer.start("appendonly yes", "dir " + dir, "appendfsync always");
             Jedis j = new Jedis("127.0.0.1", a.port())) {
            j.set("k", "v");
            j.expire("k", 100);
            j.setex("e", 100, "x");
            j.incrByFloat("f", 0.5);
            j.set("p", "1", redis.clients.jedis.params.SetParams.setParams().px(10));
            sleep(20);
            j.get("p"); // lazily expired: recorded as DEL
            j.rpush("src", "x");
            try (Jedis b = new Jedis("127.0.0.1", a.port())) {
                Thread t = new Thread(() -> b.blpop(5, "q"));
                t.start();
                sleep(200);
                j.rpush("q", "served");
                t.join();
            }
        }
        String flat = incrWords(dir);
        assertThat(flat).contains("PEXPIREAT k ").doesNotContain("expire k 100");
        assertThat(flat).contains("SET e x PXAT ").doesNotContain("setex");
        assertThat(flat).contains("SET f 0.5 KEEPTTL");
        assertThat(flat).contains("DEL p");
        assertThat(flat).contains("RPUSH q served LPOP q").doesNotContain("BLPOP");
    }

    @Test
    void streamClaimsAreRecordedAsTheirEffect() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("claims"));
        String pending;
        try (AmdcServer a = AmdcServer.start("appendonly yes", "dir " + dir, "appendfsync always");
             RawClient c = a.client()) {
            for (int i = 1; i <= 4; i++) c.call("XADD", "s", i + "-0", "f", "v" + i);
            c.call("XGROUP", "CREATE", "s", "g", "0");
            c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "4", "STREAMS", "s", ">");
            c.call("XDEL", "s", "4-0"); // still pending: XAUTOCLAIM reports and drops it
            sleep(50);
            // Claimable now, but not when an AOF replays it right after XREADGROUP: the record
            // must be the claim's outcome, not the min-idle-time condition.
            assertThat(c.call("XCLAIM", "s", "g", "bob", "20", "1-0", "IDLE", "5000", "RETRYCOUNT", "7")).contains("1-0");
            assertThat(c.call("XCLAIM", "s", "g", "bob", "3600000", "2-0")).isEqualTo("[]");
            assertThat(c.call("XAUTOCLAIM", "s", "g", "carol", "20", "3-0", "COUNT", "10")).contains("3-0").contains("4-0");
            pending = pendingView(c);
            assertThat(pending).contains("bob").contains("carol").contains("alice");
        }
        String flat = incrWords(dir);
        assertThat(flat).contains("XCLAIM s g bob 0 1-0 TIME ").contains(" RETRYCOUNT 7 FORCE JUSTID LASTID 4-0")
                .contains("XCLAIM s g carol 0 3-0 TIME ").contains("XCLAIM s g alice 0 4-0 TIME ")
                .doesNotContain("IDLE").doesNotContain("3600000").doesNotContain("XAUTOCLAIM");
        try (AmdcServer a = AmdcServer.start("appendonly yes", "dir " + dir);
             RawClient c = a.client()) {
            assertThat(pendingView(c)).isEqualTo(pending);
        }
    }

    @Test
    void groupReadsAreRecordedAsTheirEffect() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("groupreads"));
        String pending;
        String groups;
        try (AmdcServer a = AmdcServer.start("appendonly yes", "dir " + dir, "appendfsync always");
             RawClient c = a.client()) {
            for (int i = 1; i <= 3; i++) c.call("XADD", "s", i + "-1", "f", "v" + i);
            c.call("XGROUP", "CREATE", "s", "g", "0");
            c.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">");
            c.call("XREADGROUP", "GROUP", "g", "d", "NOACK", "COUNT", "1", "STREAMS", "s", ">");
            c.call("XREADGROUP", "GROUP", "g", "newc", "STREAMS", "s", ">");
            c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"); // history: delivers 1-1 again
            try (RawClient b = a.client()) {
                Thread t = new Thread(() -> b.call("XREADGROUP", "GROUP", "g", "bk", "BLOCK", "5000", "STREAMS", "s", ">"));
                t.start();
                long deadline = System.currentTimeMillis() + 5000;
                while (!c.call("INFO", "clients").contains("blocked_clients:1") && System.currentTimeMillis() < deadline) {
                    sleep(10);
                }
                c.call("XADD", "s", "4-1", "f", "v4");
                t.join();
            }
            pending = pendingView(c);
            groups = c.call("XINFO", "GROUPS", "s");
            assertThat(pending).contains("bk");
        }
        String flat = incrWords(dir);
        // The shapes redis-server 7 writes for the same reads (checked against its AOF).
        assertThat(flat).contains("XCLAIM s g c 0 1-1 TIME ").contains(" RETRYCOUNT 1 FORCE JUSTID LASTID 1-1")
                .contains("XGROUP CREATECONSUMER s g d XGROUP SETID s g 2-1 ENTRIESREAD 2")
                .contains("XCLAIM s g newc 0 3-1 TIME ").contains("XCLAIM s g bk 0 4-1 TIME ")
                .contains(" RETRYCOUNT 2 FORCE JUSTID LASTID 3-1") // the history read, which Redis 7.0 drops
                .doesNotContain("XREADGROUP");
        try (AmdcServer a = AmdcServer.start("appendonly yes", "dir " + dir);
             RawClient c = a.client()) {
            assertThat(pendingView(c)).isEqualTo(pending);
            assertThat(c.call("XINFO", "GROUPS", "s")).isEqualTo(groups);
        }
    }

    /** The words of the incremental AOF's records, RESP framing dropped, space-separated. */
    private static String incrWords(Path dir) throws IOException {
        String incr = Files.readString(dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"));
        return String.join(" ", List.of(incr.split("\r\n")).stream()
                .filter(w -> !w.startsWith("$") && !w.startsWith("*")).toList());
    }

    /** The group's pending entries with owners and delivery counts, idle times masked. */
    private static String pendingView(RawClient c) {
        return c.call("XPENDING", "s", "g") + "\n"
                + c.call("XPENDING", "s", "g", "-", "+", "10").replaceAll("(\\[\\d+-\\d+, [^,]+, )\\(integer\\) \\d+", "$1_");
    }

    @Test
    void bgrewriteaofAndConfigSetAppendonlyRepliesMatchRedis() throws Exception {
        assumeTrue(RedisServerProcess.available());
        Path dir = Files.createDirectories(tmp.resolve("amdc"));
        try (RedisServerProcess r = RedisServerProcess.start();
             AmdcServer a = AmdcServer.start("dir " + dir);
             RawClient rc = r.client(); RawClient ac = a.client()) {
            for (RawClient c : List.of(rc, ac)) c.call("SET", "k", "v");
            assertThat(ac.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo(rc.call("CONFIG", "SET", "appendonly", "yes"));
            // Both are rewriting now (or just finished): a second BGREWRITEAOF waits for none, so compare
            // once idle, where the reply is deterministic.
            for (RawClient c : List.of(rc, ac)) {
                long deadline = System.currentTimeMillis() + 10_000;
                while (c.call("INFO", "persistence").contains("aof_rewrite_in_progress:1")
                        && System.currentTimeMillis() < deadline) sleep(20);
            }
            assertThat(ac.call("BGREWRITEAOF")).isEqualTo(rc.call("BGREWRITEAOF"));
            assertThat(ac.call("BGREWRITEAOF", "x")).isEqualTo(rc.call("BGREWRITEAOF", "x"));
            assertThat(ac.call("CONFIG", "GET", "appendonly")).isEqualTo(rc.call("CONFIG", "GET", "appendonly"));
        }
        assertThat(dir.resolve("appendonlydir").resolve("appendonly.aof.manifest")).exists();
    }

    @Test
    void appendonlyTurnedOnAtRunTimeWritesTheExistingData() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        try (AmdcServer a = AmdcServer.start("dir " + dir);
             Jedis j = new Jedis("127.0.0.1", a.port())) {
            j.set("before", "1");
            j.configSet("appendonly", "yes");
            j.set("after", "2");
            waitRewrite(j);
            j.set("later", "3");
            assertThat(j.info("persistence")).contains("aof_enabled:1");
        }
        try (AmdcProcess p = AmdcProcess.start(dir, "--appendonly", "yes");
             Jedis j = new Jedis("127.0.0.1", p.port())) {
            assertThat(j.mget("before", "after", "later")).containsExactly("1", "2", "3");
        }
    }
}
