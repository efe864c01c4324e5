package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TransactionTest {

    @Test
    void queueingErrorsAndRepliesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (TwoServers t = new TwoServers(1)) {
            t.run("EXEC", "DISCARD", "MULTI", "MULTI", "WATCH x", "SET a 1", "INCR a", "EXEC",
                    // Errors while queuing: unknown command, arity, unknown subcommand.
                    "MULTI", "SET a 2", "NOSUCH x y", "GET a", "EXEC", "GET a",
                    "MULTI", "SET", "EXEC", "MULTI", "CONFIG NOPE", "EXEC",
                    // Runtime errors do not abort the rest.
                    "MULTI", "SET s abc", "INCR s", "LPUSH s x", "APPEND s d", "GET s", "EXEC",
                    "MULTI", "EXEC", "MULTI", "DISCARD", "DISCARD",
                    "MULTI", "UNWATCH", "PING", "ECHO hi", "EXEC",
                    "MULTI", "SELECT 1", "SET k db1", "SELECT 0", "GET k", "EXEC", "SELECT 1", "GET k", "SELECT 0",
                    // Blocking commands inside MULTI answer as if timed out.
                    "MULTI", "BLPOP nolist 0", "BRPOPLPUSH nolist other 0", "RPUSH l a", "BLPOP l 0", "EXEC",
                    "MULTI", "EXEC x", "EXEC",
                    "WATCH", "MULTI", "WATCH", "EXEC",
                    // RESP3: the same replies as RESP3 values, and a null EXEC as '_'.
                    "! HELLO 3", "MULTI", "SET a 1", "HGETALL nohash", "ZSCORE z m", "INCRBYFLOAT f 1.5", "EXEC",
                    "MULTI", "NOSUCH", "EXEC");
        }
    }

    @Test
    void watchSemanticsMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (TwoServers t = new TwoServers(2)) {
            t.run(
                    // Another client's write fails EXEC: RESP2 *-1.
                    "0 SET k 1", "0 WATCH k", "1 SET k 2", "0 MULTI", "0 SET x 1", "0 EXEC", "0 GET x",
                    // A write that changed nothing does not count.
                    "0 WATCH k", "1 SET k 9 NX", "1 DEL nothere", "1 EXPIRE nothere 10", "1 PERSIST k",
                    "0 MULTI", "0 GET k", "0 EXEC",
                    // Watching a missing key: creating it counts, a failed delete does not.
                    "0 WATCH miss", "1 DEL miss", "0 MULTI", "0 PING", "0 EXEC",
                    "0 WATCH miss", "1 SET miss v", "0 MULTI", "0 PING", "0 EXEC",
                    // Our own write after WATCH counts too.
                    "0 WATCH k", "0 SET k 3", "0 MULTI", "0 PING", "0 EXEC",
                    // EXEC and DISCARD and UNWATCH forget watched keys.
                    "0 WATCH k", "0 MULTI", "0 DISCARD", "1 SET k 4", "0 MULTI", "0 PING", "0 EXEC",
                    "0 WATCH k", "0 UNWATCH", "1 SET k 5", "0 MULTI", "0 PING", "0 EXEC",
                    // Aggregates: in-place changes count, no-op writes do not.
                    "1 RPUSH l a b", "0 WATCH l", "1 LREM l 0 zz", "1 LPUSHX nolist a", "0 MULTI", "0 LLEN l", "0 EXEC",
                    "0 WATCH l", "1 RPUSH l c", "0 MULTI", "0 LLEN l", "0 EXEC",
                    "0 WATCH l", "1 LSET l 0 z", "0 MULTI", "0 LLEN l", "0 EXEC",
                    "1 ZADD z 1 m", "0 WATCH z", "1 ZADD z 1 m", "1 ZREM z nope", "0 MULTI", "0 ZCARD z", "0 EXEC",
                    "0 WATCH z", "1 ZADD z 2 m", "0 MULTI", "0 ZCARD z", "0 EXEC",
                    "1 HSET h f v", "0 WATCH h", "1 HDEL h nope", "1 HSETNX h f w", "0 MULTI", "0 HLEN h", "0 EXEC",
                    "0 WATCH h", "1 HSET h g v", "0 MULTI", "0 HLEN h", "0 EXEC",
                    "0 WATCH k", "1 SETRANGE k 0 X", "0 MULTI", "0 PING", "0 EXEC",
                    // Overwriting a string with the same bytes, or others of the same length, counts.
                    "0 SET k same", "0 WATCH k", "1 SET k same", "0 MULTI", "0 PING", "0 EXEC",
                    "0 WATCH k", "1 SET k sbme", "0 MULTI", "0 PING", "0 EXEC",
                    "0 SET n 10", "0 WATCH n", "1 INCR n", "0 MULTI", "0 PING", "0 EXEC",
                    "0 WATCH k", "1 EXPIRE k 100", "0 MULTI", "0 PING", "0 EXEC",
                    // Another database's key of the same name is another key; MOVE into ours counts.
                    "0 WATCH k", "1 SELECT 1", "1 SET k other", "0 MULTI", "0 PING", "0 EXEC",
                    "0 WATCH k", "1 SET k2 v", "1 MOVE k2 0", "1 RENAME k2 k2b", "0 MULTI", "0 PING", "0 EXEC",
                    "0 DEL k", "1 SET k x", "0 WATCH k", "1 MOVE k 0", "0 MULTI", "0 PING", "0 EXEC",
                    "1 SELECT 0",
                    // FLUSHALL / FLUSHDB touch watched keys that exist, not missing ones.
                    "0 WATCH k", "1 FLUSHALL", "0 MULTI", "0 PING", "0 EXEC",
                    "0 WATCH k", "1 FLUSHALL", "0 MULTI", "0 PING", "0 EXEC",
                    "1 SET k 1", "0 WATCH k", "1 SELECT 2", "1 FLUSHDB", "1 SELECT 0", "0 MULTI", "0 PING", "0 EXEC",
                    "0 WATCH k", "1 FLUSHDB", "0 MULTI", "0 PING", "0 EXEC",
                    // SWAPDB touches a watched key present in either db.
                    "1 SELECT 1", "1 SET k one", "1 SELECT 0", "0 WATCH k", "1 SWAPDB 0 1", "0 MULTI", "0 GET k", "0 EXEC",
                    "0 WATCH nothing", "1 SWAPDB 0 1", "0 MULTI", "0 PING", "0 EXEC",
                    // Expiry of a watched key counts.
                    "0 SET e v PX 30", "0 WATCH e", "sleep 80", "0 MULTI", "0 PING", "0 EXEC",
                    // EXECABORT wins over a touched key; RESP3 null.
                    "0 WATCH k", "1 SET k 7", "0 MULTI", "0 NOSUCH", "0 EXEC",
                    "! 0 HELLO 3", "0 WATCH k", "1 SET k 8", "0 MULTI", "0 PING", "0 EXEC");
        }
    }

    @Test
    void queuingErrorsIncludeNoauth() {
        try (AmdcServer s = AmdcServer.start("requirepass secret"); RawClient c = s.client()) {
            assertThat(c.call("MULTI")).startsWith("!NOAUTH");
            assertThat(c.call("AUTH", "secret")).isEqualTo("OK");
            assertThat(c.call("MULTI")).isEqualTo("OK");
            assertThat(c.call("SET", "a", "1")).isEqualTo("QUEUED");
            assertThat(c.call("RESET")).isEqualTo("RESET");
            // RESET left MULTI and dropped authentication: queuing now fails on NOAUTH.
            assertThat(c.call("GET", "a")).startsWith("!NOAUTH");
            assertThat(c.call("AUTH", "secret")).isEqualTo("OK");
            assertThat(c.call("GET", "a")).isEqualTo("(nil)");
        }
    }

    @Test
    void clientListShowsMultiAndDirtyFlags() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client(); RawClient o = s.client()) {
            String id = c.call("CLIENT", "ID").replace("(integer) ", "");
            c.call("WATCH", "k");
            o.call("SET", "k", "1");
            c.call("MULTI");
            c.call("SET", "a", "1");
            c.call("GET", "a");
            String line = o.call("CLIENT", "LIST", "ID", id);
            assertThat(line).contains("flags=xd ").contains("multi=2 ");
            assertThat(c.call("EXEC")).isEqualTo("(nil)");
            assertThat(c.call("CLIENT", "INFO")).contains("flags=N ").contains("multi=-1 ");
            assertThat(c.call("INFO", "commandstats")).contains("cmdstat_exec:calls=1,");
        }
    }

    /** Optimistic locking the way applications do it: WATCH, read, MULTI, write, EXEC, retry on null. */
    @Test
    void watchRetryLoopsNeverLoseAnUpdate() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 4")) {
            int threads = 8;
            int perThread = 150;
            AtomicLong retries = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    fs.add(pool.submit(() -> {
                        try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                            for (int i = 0; i < perThread; i++) {
                                while (true) {
                                    j.watch("counter", "log");
                                    String v = j.get("counter");
                                    long n = v == null ? 0 : Long.parseLong(v);
                                    Transaction tx = j.multi();
                                    tx.set("counter", Long.toString(n + 1));
                                    tx.rpush("log", Long.toString(n + 1));
                                    List<Object> res = tx.exec();
                                    if (res != null) break;
                                    retries.incrementAndGet();
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) f.get();
            } finally {
                pool.shutdownNow();
            }
            try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                int total = threads * perThread;
                assertThat(j.get("counter")).isEqualTo(Integer.toString(total));
                List<String> log = j.lrange("log", 0, -1);
                assertThat(log).hasSize(total);
                for (int i = 0; i < total; i++) assertThat(log.get(i)).isEqualTo(Integer.toString(i + 1));
            }
            assertThat(retries.get()).as("contention must have caused retries").isPositive();
        }
    }

    /**
     * Transfers between accounts in different slots, in MULTI/EXEC, on 4 io-threads: concurrent
     * MGETs and read-only transactions never see money created or destroyed.
     */
    @Test
    void noClientSeesAHalfAppliedTransaction() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 4")) {
            int accounts = 8;
            String[] keys = new String[accounts];
            try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                for (int i = 0; i < accounts; i++) {
                    keys[i] = "acct:" + i; // distinct hash slots
                    j.set(keys[i], "1000");
                }
            }
            long expected = accounts * 1000L;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong observations = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> movers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int seed = t;
                    movers.add(pool.submit(() -> {
                        java.util.Random rnd = new java.util.Random(seed);
                        try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                            for (int i = 0; i < 1500; i++) {
                                String from = keys[rnd.nextInt(accounts)];
                                String to = keys[rnd.nextInt(accounts)];
                                int amount = 1 + rnd.nextInt(50);
                                Transaction tx = j.multi();
                                tx.decrBy(from, amount);
                                tx.incrBy(to, amount);
                                assertThat(tx.exec()).hasSize(2);
                            }
                        }
                        return null;
                    }));
                }
                List<Future<?>> watchers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    watchers.add(pool.submit(() -> {
                        try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                            while (!stop.get()) {
                                long sum = 0;
                                for (String v : j.mget(keys)) sum += Long.parseLong(v);
                                assertThat(sum).isEqualTo(expected);
                                observations.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                    watchers.add(pool.submit(() -> {
                        try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                            while (!stop.get()) {
                                Transaction tx = j.multi();
                                for (String k : keys) tx.get(k);
                                long sum = 0;
                                for (Object v : tx.exec()) sum += Long.parseLong((String) v);
                                assertThat(sum).isEqualTo(expected);
                                observations.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : movers) f.get();
                stop.set(true);
                for (Future<?> f : watchers) f.get();
            } finally {
                pool.shutdownNow();
            }
            assertThat(observations.get()).isPositive();
        }
    }

    /** FLUSHALL queued with keyed commands takes every lock: no deadlock against concurrent traffic. */
    @Test
    void keyspaceWideCommandsInsideExecDoNotDeadlock() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 4")) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int id = t;
                    fs.add(pool.submit(() -> {
                        try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                            for (int i = 0; i < 300; i++) {
                                Transaction tx = j.multi();
                                tx.set("z:" + id, "1");
                                if (id % 2 == 0) tx.sendCommand(redis.clients.jedis.Protocol.Command.FLUSHALL, new String[0]);
                                else tx.keys("*");
                                tx.set("a:" + i, "1");
                                tx.mset("b:" + i, "1", "c:" + id, "2");
                                assertThat(tx.exec()).hasSize(4);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
