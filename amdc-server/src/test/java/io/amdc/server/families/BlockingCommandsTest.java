package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.PopRace;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
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

class BlockingCommandsTest {

    @Test
    void argumentErrorsAndImmediateRepliesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll("BLPOP k x", "BLPOP k -1", "BLPOP k -inf", "BLPOP k ''", "BRPOP k nan",
                    "BLMOVE a b LEFT LEFT abc", "BLMOVE a b UP LEFT abc", "BLMOVE a b LEFT LEFT -1", "BRPOPLPUSH a b -2",
                    "BLMPOP x 1 k LEFT", "BLMPOP -1 1 k LEFT", "BLMPOP 0 0 k LEFT", "BLMPOP 0 1 k MIDDLE", "BLMPOP 0 1 k LEFT COUNT 0",
                    "BLMPOP 0 3 k LEFT", "BLPOP k", "BLMOVE a b LEFT LEFT",
                    "RPUSH a 1 2 3", "RPUSH b 4 5", "BLPOP none a b 0", "BRPOP b a 0", "BLMOVE a c RIGHT LEFT 0",
                    "BRPOPLPUSH a c 0", "BLMPOP 0 2 none b RIGHT COUNT 5", "LRANGE c 0 -1", "LLEN a", "LLEN b",
                    "BLPOP none 0.01", "BRPOP none 0.01", "BLMOVE none c LEFT LEFT 0.01", "BRPOPLPUSH none c 0.01",
                    "BLMPOP 0.01 1 none LEFT");
        }
    }

    @Test
    void timeoutRepliesNullAfterTheTimeout() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            // Redis 7.2 rejects timeouts that overflow (Debian's 7.0 calls them negative).
            assertThat(c.call("BLPOP", "k", "inf")).isEqualTo("!ERR timeout is out of range");
            assertThat(c.call("BLPOP", "k", "1e400")).isEqualTo("!ERR timeout is out of range");
            long t0 = System.nanoTime();
            assertThat(c.call("BLPOP", "k", "0.2")).isEqualTo("(nil)");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(ms).isBetween(190L, 2000L);
            assertThat(c.call("BLMOVE", "k", "d", "LEFT", "LEFT", "0.05")).isEqualTo("(nil)");
            assertThat(c.call("BLMPOP", "0.05", "1", "k", "LEFT")).isEqualTo("(nil)");
            assertThat(s.engine().blocking().blockedClients()).isZero();
            assertThat(c.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void pushWakesTheWaiterAfterThePushReplies() {
        try (AmdcServer s = AmdcServer.start(); Jedis waiter = new Jedis(s.host(), s.port());
             Jedis pusher = new Jedis(s.host(), s.port())) {
            ExecutorService ex = Executors.newSingleThreadExecutor();
            try {
                Future<List<String>> r = ex.submit(() -> waiter.blpop(0, "k"));
                awaitBlocked(s, 1);
                assertThat(pusher.lpush("k", "v")).isEqualTo(1);
                assertThat(r.get(5, TimeUnit.SECONDS)).containsExactly("k", "v");
                assertThat(pusher.llen("k")).isZero();
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
            send(a, "BLPOP", "k", "0");
            awaitBlocked(s, 1);
            send(b, "BRPOP", "other", "k", "0");
            awaitBlocked(s, 2);
            send(c, "BLPOP", "k", "0");
            awaitBlocked(s, 3);
            // One push of three elements serves all three, in arrival order.
            assertThat(p.call("RPUSH", "k", "x", "y", "z")).isEqualTo("(integer) 3");
            assertThat(read(a)).isEqualTo("[k, x]");
            assertThat(read(b)).isEqualTo("[k, z]");
            assertThat(read(c)).isEqualTo("[k, y]");
            assertThat(p.call("LLEN", "k")).isEqualTo("(integer) 0");
            // Two waiters, one element: only the first is served.
            send(a, "BLPOP", "k", "0");
            awaitBlocked(s, 1);
            send(b, "BLPOP", "k", "0");
            awaitBlocked(s, 2);
            p.call("LPUSH", "k", "one");
            assertThat(read(a)).isEqualTo("[k, one]");
            awaitBlocked(s, 1);
            p.call("LPUSH", "k", "two");
            assertThat(read(b)).isEqualTo("[k, two]");
        }
    }

    @Test
    void pipelinedCommandsWaitForTheBlockedOne() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client(); RawClient p = s.client()) {
            byte[] blpop = RawClient.encode("BLPOP", "k", "0");
            byte[] ping = RawClient.encode("ECHO", "after");
            byte[] both = new byte[blpop.length + ping.length];
            System.arraycopy(blpop, 0, both, 0, blpop.length);
            System.arraycopy(ping, 0, both, blpop.length, ping.length);
            c.send(both);
            awaitBlocked(s, 1);
            p.call("RPUSH", "k", "v");
            assertThat(read(c)).isEqualTo("[k, v]");
            assertThat(read(c)).isEqualTo("after");
            // Unblocked by timeout, the pipeline continues too.
            c.send(RawClient.encode("BRPOP", "k", "0.05"));
            c.send(RawClient.encode("ECHO", "x"));
            assertThat(read(c)).isEqualTo("(nil)");
            assertThat(read(c)).isEqualTo("x");
        }
    }

    @Test
    void blockedClientsOnDifferentIoThreads() {
        try (AmdcServer s = AmdcServer.start("io-threads 4"); RawClient p = s.client()) {
            List<RawClient> waiters = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    RawClient w = s.client();
                    waiters.add(w);
                    send(w, i % 2 == 0 ? "BLPOP" : "BRPOP", "q" + (i % 3), "k", "0");
                    awaitBlocked(s, i + 1);
                }
                for (int i = 0; i < 8; i++) p.call("RPUSH", "k", "v" + i);
                Set<String> got = new HashSet<>();
                for (RawClient w : waiters) got.add(read(w));
                assertThat(got).hasSize(8);
                assertThat(s.engine().blocking().blockedClients()).isZero();
                for (RawClient w : waiters) assertThat(w.call("PING")).isEqualTo("PONG");
            } finally {
                waiters.forEach(RawClient::close);
            }
        }
    }

    @Test
    void disconnectWhileBlockedCleansUp() {
        try (AmdcServer s = AmdcServer.start(); RawClient p = s.client()) {
            RawClient w = s.client();
            send(w, "BLPOP", "k", "0");
            awaitBlocked(s, 1);
            w.close();
            awaitBlocked(s, 0);
            assertThat(p.call("RPUSH", "k", "v")).isEqualTo("(integer) 1");
            assertThat(p.call("LRANGE", "k", "0", "-1")).isEqualTo("[v]");
        }
    }

    @Test
    void clientUnblock() {
        try (AmdcServer s = AmdcServer.start(); RawClient w = s.client(); RawClient p = s.client()) {
            send(w, "BLPOP", "k", "0");
            awaitBlocked(s, 1);
            long id = blockedClientId(s);
            assertThat(p.call("CLIENT", "UNBLOCK", id)).isEqualTo("(integer) 1");
            assertThat(read(w)).isEqualTo("(nil)");
            assertThat(p.call("CLIENT", "UNBLOCK", id)).isEqualTo("(integer) 0");

            send(w, "BLMOVE", "k", "d", "LEFT", "LEFT", "0");
            awaitBlocked(s, 1);
            assertThat(p.call("CLIENT", "UNBLOCK", id, "ERROR")).isEqualTo("(integer) 1");
            assertThat(read(w)).isEqualTo("!UNBLOCKED client unblocked via CLIENT UNBLOCK");

            send(w, "BRPOP", "k", "0");
            awaitBlocked(s, 1);
            assertThat(p.call("CLIENT", "UNBLOCK", id, "TIMEOUT")).isEqualTo("(integer) 1");
            assertThat(read(w)).isEqualTo("(nil)");
            assertThat(p.call("CLIENT", "UNBLOCK", id, "FOO")).isEqualTo("!ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            assertThat(p.call("CLIENT", "UNBLOCK", "x")).isEqualTo("!ERR value is not an integer or out of range");
            assertThat(w.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void blmoveAcrossSlotsAndChainedWakeups() {
        try (AmdcServer s = AmdcServer.start("io-threads 2"); RawClient mover = s.client(); RawClient popper = s.client();
             RawClient p = s.client()) {
            // "src" and "dst" hash to different slots: the served BLMOVE must lock dst safely.
            send(popper, "BLPOP", "dst", "0");
            awaitBlocked(s, 1);
            send(mover, "BLMOVE", "src", "dst", "RIGHT", "LEFT", "0");
            awaitBlocked(s, 2);
            p.call("RPUSH", "src", "a", "b");
            assertThat(read(mover)).isEqualTo("b");
            // The element moved into dst wakes the BLPOP waiting there.
            assertThat(read(popper)).isEqualTo("[dst, b]");
            assertThat(p.call("LRANGE", "src", "0", "-1")).isEqualTo("[a]");
            assertThat(p.call("LLEN", "dst")).isEqualTo("(integer) 0");
            // BRPOPLPUSH and a destination of the wrong type (the waiter gets WRONGTYPE).
            send(mover, "BRPOPLPUSH", "e", "str", "0");
            awaitBlocked(s, 1);
            p.call("SET", "str", "x");
            p.call("RPUSH", "e", "1");
            assertThat(read(mover)).startsWith("!WRONGTYPE");
            assertThat(p.call("LRANGE", "e", "0", "-1")).isEqualTo("[1]");
        }
    }

    @Test
    void blmpopServedWithCount() {
        try (AmdcServer s = AmdcServer.start(); RawClient w = s.client(); RawClient p = s.client()) {
            send(w, "BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "2");
            awaitBlocked(s, 1);
            p.call("RPUSH", "b", "x", "y", "z");
            assertThat(read(w)).isEqualTo("[b, [x, y]]");
            assertThat(p.call("LRANGE", "b", "0", "-1")).isEqualTo("[z]");
            // A key of another type does not wake a list waiter.
            send(w, "BLPOP", "str", "list", "0");
            awaitBlocked(s, 1);
            p.call("SET", "str", "v");
            p.call("RPUSH", "list", "l");
            assertThat(read(w)).isEqualTo("[list, l]");
        }
    }

    @Test
    void concurrentProducersAndConsumersLoseNothing() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 4")) {
            PopRace.run(s, 4, 1500, 4, (j, p, i, m) -> j.lpush(i % 2 == 0 ? "q1" : "q2", m), (j, c) -> {
                KeyValue<String, String> r = j.brpop(0.2, "q1", "q2");
                return r == null ? List.of() : List.of(r.getValue());
            });
            awaitBlocked(s, 0);
        }
    }

    /**
     * A waiter is served on the pushing thread the moment the blocking command releases its lock,
     * while the waiter's own loop is still finishing that command. Each served reply must reach the
     * waiter exactly once: a reply written twice shows up as a member popped twice.
     */
    @Test
    void eachServedReplyArrivesOnceWhenServedAsTheWaiterBlocks() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 4")) {
            // A few rounds: the window is narrow, and each round gives it thousands of chances.
            for (int round = 0; round < 3; round++) {
                String key = "race:" + round;
                PopRace.run(s, 4, 4000, 8, (j, p, i, m) -> j.rpush(key, m), (j, c) -> {
                    KeyValue<String, String> r = j.blpop(0.5, key);
                    return r == null ? List.of() : List.of(r.getValue());
                });
            }
        }
    }

    /** Splits a command line, renaming the keys k, d and a so each scenario starts from fresh keys. */
    private static String[] keys(String line, String suffix) {
        String[] parts = line.split(" ");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("k") || parts[i].equals("d") || parts[i].equals("a")) parts[i] += suffix;
        }
        return parts;
    }

    /** The bytes a served waiter receives, compared with redis-server's, in RESP2 and RESP3. */
    @Test
    void servedRepliesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        String[][] scenarios = {
                {"BLPOP a k 0", "RPUSH k x y"},
                {"BRPOP k 0", "RPUSH k x y"},
                {"BLMOVE k d RIGHT LEFT 0", "RPUSH k x y"},
                {"BRPOPLPUSH k d 0", "LPUSH k x"},
                {"BLMPOP 0 2 a k RIGHT COUNT 5", "RPUSH k x y z"},
                {"BLMPOP 0 1 k LEFT", "LPUSH k x y"},
                {"BRPOPLPUSH k str 0", "RPUSH k x"},
        };
        try (AmdcServer s = AmdcServer.start(); RedisServerProcess r = RedisServerProcess.start()) {
            int n = 0;
            for (int proto = 2; proto <= 3; proto++) {
                for (String[] sc : scenarios) {
                    String suffix = String.valueOf(n++);
                    byte[][] got = new byte[2][];
                    for (int side = 0; side < 2; side++) {
                        try (RawClient w = side == 0 ? s.client() : r.client(); RawClient p = side == 0 ? s.client() : r.client()) {
                            p.call("SET", "str", "v");
                            if (proto == 3) w.call("HELLO", "3");
                            w.send(RawClient.encode((Object[]) keys(sc[0], suffix)));
                            if (side == 0) awaitBlocked(s, 1);
                            else awaitBlockedViaInfo(p, 1);
                            p.call((Object[]) keys(sc[1], suffix));
                            got[side] = w.readRaw();
                        }
                    }
                    assertThat(new String(got[0])).as(sc[0] + " RESP" + proto).isEqualTo(new String(got[1]));
                }
            }
        }
    }
}
