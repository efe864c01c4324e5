package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.PopRace;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.amdc.server.testing.Blocked.awaitBlocked;
import static io.amdc.server.testing.Blocked.awaitBlockedViaInfo;
import static io.amdc.server.testing.Blocked.blockedClientId;
import static io.amdc.server.testing.Blocked.read;
import static io.amdc.server.testing.Blocked.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** BZPOPMIN, BZPOPMAX and BZMPOP blocking through the shared BlockingRegistry. */
class ZSetBlockingTest {

    @Test
    void argumentErrorsAndImmediateRepliesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            for (int proto = 2; proto <= 3; proto++) {
                // HELLO's reply names each server's version: switch protocols without comparing it.
                d.amdc().call("HELLO", String.valueOf(proto));
                d.redis().call("HELLO", String.valueOf(proto));
                d.runAll("FLUSHALL",
                        "BZPOPMIN k x", "BZPOPMIN k -1", "BZPOPMIN k nan", "BZPOPMAX k ''", "BZPOPMIN k -0.5",
                        "BZPOPMIN k", "BZMPOP 0 1 k",
                        "BZMPOP x 1 k MIN", "BZMPOP -1 1 k MIN", "BZMPOP 0 0 k MIN", "BZMPOP 0 -1 k MIN", "BZMPOP 0 x k MIN",
                        "BZMPOP x 0 k MIN", "BZMPOP x 1 k MIDDLE", "BZMPOP x 1 k MIN COUNT 0", "BZMPOP x 1 k MIN COUNT x",
                        "BZMPOP 0 1 k MIN COUNT 1 COUNT 1", "BZMPOP 0 1 k MIN FOO", "BZMPOP 0 1 k MIN COUNT",
                        "BZMPOP 0 3 k MIN", "BZMPOP 0 2 k MIN", "ZMPOP x k MIN", "ZMPOP 1 k MIN COUNT x",
                        "SET str v", "BZPOPMIN str k 0", "BZPOPMIN none str 0", "BZMPOP 0 2 none str MAX",
                        "ZADD z1 1 a 2 b 3.5 c", "ZADD z2 -5 x 10 y",
                        "BZPOPMIN none z1 0", "BZPOPMAX z1 z2 0", "BZPOPMIN z2 z1 0.01",
                        "BZMPOP 0 2 none z1 MAX COUNT 10", "EXISTS z1", "BZMPOP 0 1 z2 MIN", "BZMPOP 0.01 1 z2 MAX COUNT 3",
                        "ZADD inf -inf lo +inf hi", "BZPOPMIN inf 0", "BZPOPMAX inf 0",
                        "BZPOPMIN none 0.01", "BZPOPMAX none 0.01", "BZMPOP 0.01 2 none other MIN COUNT 2");
            }
        }
    }

    @Test
    void timeoutRepliesNullAfterTheTimeout() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            assertThat(c.call("BZPOPMIN", "k", "inf")).isEqualTo("!ERR timeout is out of range");
            long t0 = System.nanoTime();
            assertThat(c.call("BZPOPMIN", "k", "0.2")).isEqualTo("(nil)");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(ms).isBetween(190L, 2000L);
            assertThat(c.call("BZPOPMAX", "k", "j", "0.05")).isEqualTo("(nil)");
            assertThat(c.call("BZMPOP", "0.05", "2", "k", "j", "MIN", "COUNT", "3")).isEqualTo("(nil)");
            c.call("HELLO", "3");
            assertThat(c.callRaw("BZPOPMIN", "k", "0.02")).isEqualTo("_\r\n".getBytes());
            assertThat(c.callRaw("BZMPOP", "0.02", "1", "k", "MAX")).isEqualTo("_\r\n".getBytes());
            assertThat(s.engine().blocking().blockedClients()).isZero();
            assertThat(c.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void zaddWakesTheFirstWaiter() {
        try (AmdcServer s = AmdcServer.start(); Jedis waiter = new Jedis(s.host(), s.port());
             Jedis producer = new Jedis(s.host(), s.port())) {
            ExecutorService ex = Executors.newSingleThreadExecutor();
            try {
                Future<KeyValue<String, Tuple>> r = ex.submit(() -> waiter.bzpopmin(0, "none", "z"));
                awaitBlocked(s, 1);
                assertThat(producer.zadd("z", 2.5, "m")).isEqualTo(1);
                KeyValue<String, Tuple> got = r.get(5, TimeUnit.SECONDS);
                assertThat(got.getKey()).isEqualTo("z");
                assertThat(got.getValue()).isEqualTo(new Tuple("m", 2.5));
                assertThat(producer.exists("z")).isFalse();
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                ex.shutdownNow();
            }
            assertThat(s.engine().blocking().blockedClients()).isZero();
        }
    }

    @Test
    void waitersAreServedFirstComeFirstServed() {
        try (AmdcServer s = AmdcServer.start(); RawClient a = s.client(); RawClient b = s.client(); RawClient c = s.client();
             RawClient p = s.client()) {
            send(a, "BZPOPMIN", "z", "0");
            awaitBlocked(s, 1);
            send(b, "BZPOPMAX", "other", "z", "0");
            awaitBlocked(s, 2);
            send(c, "BZMPOP", "0", "1", "z", "MIN", "COUNT", "5");
            awaitBlocked(s, 3);
            // One ZADD of three members serves all three, in arrival order.
            assertThat(p.call("ZADD", "z", "1", "x", "2", "y", "3", "w")).isEqualTo("(integer) 3");
            assertThat(read(a)).isEqualTo("[z, x, 1]");
            assertThat(read(b)).isEqualTo("[z, w, 3]");
            assertThat(read(c)).isEqualTo("[z, [[y, 2]]]");
            assertThat(p.call("EXISTS", "z")).isEqualTo("(integer) 0");
            // Three waiters, one member each time: served strictly in order.
            send(a, "BZPOPMIN", "z", "0");
            awaitBlocked(s, 1);
            send(b, "BZPOPMIN", "z", "0");
            awaitBlocked(s, 2);
            send(c, "BZPOPMIN", "z", "0");
            awaitBlocked(s, 3);
            p.call("ZADD", "z", "1", "one");
            assertThat(read(a)).isEqualTo("[z, one, 1]");
            awaitBlocked(s, 2);
            p.call("ZINCRBY", "z", "2", "two");
            assertThat(read(b)).isEqualTo("[z, two, 2]");
            awaitBlocked(s, 1);
            p.call("ZADD", "z", "3", "three");
            assertThat(read(c)).isEqualTo("[z, three, 3]");
            awaitBlocked(s, 0);
        }
    }

    @Test
    void waitersOnDifferentIoThreads() {
        try (AmdcServer s = AmdcServer.start("io-threads 4"); RawClient p = s.client()) {
            List<RawClient> waiters = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    RawClient w = s.client();
                    waiters.add(w);
                    if (i % 3 == 2) send(w, "BZMPOP", "0", "2", "q" + i, "z", "MIN");
                    else send(w, i % 2 == 0 ? "BZPOPMIN" : "BZPOPMAX", "q" + i, "z", "0");
                    awaitBlocked(s, i + 1);
                }
                for (int i = 0; i < 8; i++) p.call("ZADD", "z", String.valueOf(i), "m" + i);
                Set<String> got = new HashSet<>();
                for (RawClient w : waiters) got.add(read(w));
                assertThat(got).hasSize(8);
                assertThat(s.engine().blocking().blockedClients()).isZero();
                assertThat(p.call("EXISTS", "z")).isEqualTo("(integer) 0");
                for (RawClient w : waiters) assertThat(w.call("PING")).isEqualTo("PONG");
            } finally {
                waiters.forEach(RawClient::close);
            }
        }
    }

    @Test
    void bzmpopServedWithCountAndOtherTypesDoNotWake() throws InterruptedException {
        try (AmdcServer s = AmdcServer.start(); RawClient w = s.client(); RawClient p = s.client()) {
            send(w, "BZMPOP", "0", "2", "a", "b", "MAX", "COUNT", "2");
            awaitBlocked(s, 1);
            p.call("ZADD", "b", "1", "x", "2", "y", "3", "z");
            assertThat(read(w)).isEqualTo("[b, [[z, 3], [y, 2]]]");
            assertThat(p.call("ZRANGE", "b", "0", "-1")).isEqualTo("[x]");
            // A list pushed to a waited key does not serve a zset waiter, nor the reverse.
            send(w, "BZPOPMIN", "l", "zz", "0");
            awaitBlocked(s, 1);
            p.call("RPUSH", "l", "v");
            p.call("ZADD", "zz", "7", "m");
            assertThat(read(w)).isEqualTo("[zz, m, 7]");
            send(w, "BLPOP", "zl", "0");
            awaitBlocked(s, 1);
            p.call("ZADD", "zl", "1", "m");
            Thread.sleep(50);
            assertThat(s.engine().blocking().blockedClients()).isEqualTo(1);
            p.call("DEL", "zl");
            p.call("RPUSH", "zl", "e");
            assertThat(read(w)).isEqualTo("[zl, e]");
        }
    }

    @Test
    void disconnectWhileBlockedCleansUp() {
        try (AmdcServer s = AmdcServer.start(); RawClient p = s.client()) {
            RawClient w = s.client();
            send(w, "BZPOPMIN", "z", "0");
            awaitBlocked(s, 1);
            w.close();
            awaitBlocked(s, 0);
            assertThat(p.call("ZADD", "z", "1", "m")).isEqualTo("(integer) 1");
            assertThat(p.call("ZRANGE", "z", "0", "-1")).isEqualTo("[m]");
        }
    }

    @Test
    void clientUnblock() {
        try (AmdcServer s = AmdcServer.start(); RawClient w = s.client(); RawClient p = s.client()) {
            send(w, "BZPOPMIN", "z", "0");
            awaitBlocked(s, 1);
            long id = blockedClientId(s);
            assertThat(p.call("CLIENT", "UNBLOCK", id)).isEqualTo("(integer) 1");
            assertThat(read(w)).isEqualTo("(nil)");
            assertThat(p.call("CLIENT", "UNBLOCK", id)).isEqualTo("(integer) 0");
            send(w, "BZMPOP", "0", "1", "z", "MIN");
            awaitBlocked(s, 1);
            assertThat(p.call("CLIENT", "UNBLOCK", id, "ERROR")).isEqualTo("(integer) 1");
            assertThat(read(w)).isEqualTo("!UNBLOCKED client unblocked via CLIENT UNBLOCK");
            assertThat(w.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void infoAndClientListShowBlockedClients() {
        try (AmdcServer s = AmdcServer.start(); RawClient a = s.client(); RawClient b = s.client(); RawClient p = s.client()) {
            assertThat(p.call("INFO", "clients")).contains("blocked_clients:0\r\n", "total_blocking_keys:0\r\n",
                    "total_blocking_keys_on_nokey:0\r\n");
            send(a, "BZPOPMIN", "z1", "z2", "0");
            awaitBlocked(s, 1);
            send(b, "BZMPOP", "0", "2", "z2", "z3", "MAX");
            awaitBlocked(s, 2);
            assertThat(p.call("INFO", "clients")).contains("blocked_clients:2\r\n", "total_blocking_keys:3\r\n",
                    "total_blocking_keys_on_nokey:0\r\n");
            String list = p.call("CLIENT", "LIST");
            assertThat(list).contains("flags=b db=0").contains("cmd=bzpopmin ").contains("cmd=bzmpop ")
                    .contains("flags=N db=0").contains("cmd=client|list ");
            p.call("ZADD", "z2", "1", "m");
            assertThat(read(a)).isEqualTo("[z2, m, 1]");
            assertThat(p.call("INFO", "clients")).contains("blocked_clients:1\r\n", "total_blocking_keys:2\r\n");
            assertThat(a.call("CLIENT", "INFO")).contains("flags=N ");
            assertThat(p.call("CLIENT", "UNBLOCK", blockedClientId(s))).isEqualTo("(integer) 1");
            assertThat(read(b)).isEqualTo("(nil)");
            assertThat(p.call("INFO", "clients")).contains("blocked_clients:0\r\n", "total_blocking_keys:0\r\n");
        }
    }

    @Test
    void producersAndConsumersConsumeEveryMemberOnce() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 4")) {
            PopRace.run(s, 3, 1000, 4, (j, p, i, m) -> {
                String key = i % 2 == 0 ? "z1" : "z2";
                if (i % 5 == 0) j.zincrby(key, i, m);
                else j.zadd(key, i, m);
            }, (j, c) -> {
                List<String> got = new ArrayList<>();
                if (c % 2 == 0) {
                    KeyValue<String, Tuple> r = j.bzpopmin(0.2, "z1", "z2");
                    if (r != null) got.add(r.getValue().getElement());
                } else {
                    KeyValue<String, List<Tuple>> r = j.bzmpop(0.2, redis.clients.jedis.args.SortedSetOption.MAX, 3, "z2", "z1");
                    if (r != null) r.getValue().forEach(t -> got.add(t.getElement()));
                }
                return got;
            });
            awaitBlocked(s, 0);
        }
    }

    /** Renames the keys k, src, dst so each scenario starts from fresh keys. */
    private static String[] fresh(String line, String suffix) {
        String[] parts = line.split(" ");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("k") || parts[i].equals("src") || parts[i].equals("o")) parts[i] += suffix;
        }
        return parts;
    }

    /**
     * The bytes a served waiter receives from every command that creates or fills a sorted set,
     * compared with redis-server's, in RESP2 and RESP3. Each scenario: the blocking command, then
     * the commands another client runs while it waits.
     */
    @Test
    void servedRepliesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        String[][] scenarios = {
                {"BZPOPMIN o k 0", "ZADD k 2.5 b 1.5 a"},
                {"BZPOPMAX k 0", "ZADD k 2.5 b 1.5 a"},
                {"BZPOPMIN k 0", "ZADD k -inf a"},
                {"BZPOPMAX k 0", "ZINCRBY k 3 m"},
                {"BZMPOP 0 2 o k MAX COUNT 5", "ZADD k 1 a 2 b 3 c"},
                {"BZMPOP 0 1 k MIN", "ZADD k 1 a 2 b"},
                {"BZPOPMIN k 0", "ZADD src 1 a 2 b", "ZUNIONSTORE k 1 src WEIGHTS 2"},
                {"BZPOPMIN k 0", "ZADD src 1 a 2 b", "ZINTERSTORE k 1 src"},
                {"BZPOPMAX k 0", "ZADD src 1 a 2 b", "ZDIFFSTORE k 1 src"},
                {"BZPOPMAX k 0", "ZADD src 1 a 2 b 3 c", "ZRANGESTORE k src 0 1"},
                {"BZPOPMIN k 0", "GEOADD k 13.361389 38.115556 Palermo"},
                {"BZMPOP 0 1 k MAX COUNT 2", "GEOADD src 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
                        "GEOSEARCHSTORE k src FROMLONLAT 15 37 BYRADIUS 200 km"},
                {"BZPOPMIN k 0", "ZADD src 4 a", "RENAME src k"},
                {"BZPOPMIN k 0", "ZADD src 4 a", "RENAMENX src k"},
                {"BZPOPMIN k 0", "ZADD src 4 a", "COPY src k"},
                {"BZPOPMIN k 0", "SELECT 1", "ZADD k 4 a", "MOVE k 0"},
                {"BZPOPMIN k 0", "SELECT 1", "ZADD k 4 a", "SWAPDB 0 1"},
                {"BLPOP k 0", "RPUSH src x", "RENAME src k"},
                {"BLPOP k 0", "RPUSH src x", "COPY src k"},
                {"BRPOP k 0", "SELECT 1", "RPUSH k x", "MOVE k 0"},
                {"BZPOPMIN k 0", "SET k str", "DEL k", "ZADD k 1 a"},
        };
        try (AmdcServer s = AmdcServer.start(); RedisServerProcess r = RedisServerProcess.start()) {
            int n = 0;
            for (int proto = 2; proto <= 3; proto++) {
                for (String[] sc : scenarios) {
                    String suffix = String.valueOf(n++);
                    byte[][] got = new byte[2][];
                    for (int side = 0; side < 2; side++) {
                        try (RawClient w = side == 0 ? s.client() : r.client(); RawClient p = side == 0 ? s.client() : r.client()) {
                            if (proto == 3) w.call("HELLO", "3");
                            w.send(RawClient.encode((Object[]) fresh(sc[0], suffix)));
                            if (side == 0) awaitBlocked(s, 1);
                            else awaitBlockedViaInfo(p, 1);
                            for (int i = 1; i < sc.length; i++) p.call((Object[]) fresh(sc[i], suffix));
                            got[side] = w.readRaw();
                            p.call("FLUSHALL");
                        }
                    }
                    assertThat(new String(got[0])).as(String.join(" / ", sc) + " RESP" + proto).isEqualTo(new String(got[1]));
                }
            }
        }
    }
}
