package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * notify-keyspace-events: a PSUBSCRIBE '__key*__:*' subscriber collects what each server publishes
 * for the same commands; the (pattern, channel, message) sequences must be equal.
 */
class KeyspaceNotificationsTest {
    private static final String END = "__keyspace@0__:zz-end-of-run";

    /** Runs {@code commands} (space-separated words) with the given flags; returns the messages seen. */
    private static List<String> events(int port, String flags, String... commands) throws Exception {
        try (RawClient ctl = new RawClient("127.0.0.1", port);
             RawClient sub = new RawClient("127.0.0.1", port);
             RawClient blocker = new RawClient("127.0.0.1", port)) {
            ctl.call("FLUSHALL");
            ctl.call("CONFIG", "SET", "notify-keyspace-events", flags);
            sub.call("PSUBSCRIBE", "__key*__:*");
            for (String cmd : commands) {
                if (cmd.startsWith("SLEEP ")) {
                    Thread.sleep(Long.parseLong(cmd.substring(6)));
                } else if (cmd.startsWith("BG ")) {
                    // A blocking command on another client, given time to block before the next command.
                    blocker.send(RawClient.encode((Object[]) cmd.substring(3).split(" ")));
                    Thread.sleep(100);
                } else {
                    ctl.call((Object[]) cmd.split(" "));
                }
            }
            ctl.call("PUBLISH", END, "end");
            List<String> got = new ArrayList<>();
            while (true) {
                String m = RawClient.render(sub.readRaw());
                if (m.contains("zz-end-of-run")) break;
                got.add(m);
            }
            ctl.call("CONFIG", "SET", "notify-keyspace-events", "");
            return got;
        }
    }

    private static void same(String flags, String... commands) throws Exception {
        assumeTrue(RedisServerProcess.available());
        try (AmdcServer a = AmdcServer.start(); RedisServerProcess r = RedisServerProcess.start()) {
            List<String> expected = events(r.port(), flags, commands);
            List<String> actual = events(a.port(), flags, commands);
            assertThat(expected).as("redis published something").isNotEmpty();
            assertThat(actual).isEqualTo(expected);
        }
    }

    @Test
    void strings() throws Exception {
        same("KEA", "SET s 1", "SET s 2 EX 100", "SET s 3 KEEPTTL", "APPEND s x", "APPEND t y", "INCR n",
                "INCRBY n 5", "DECR n", "INCRBYFLOAT f 1.5", "SETRANGE s 1 zz", "SETRANGE s 1 ", "GETDEL s",
                "MSET a 1 b 2", "SETNX a 1", "SETNX c 1", "MSETNX d 1 e 2", "GETSET a 3", "SETEX e 100 v",
                "PSETEX e 100000 v", "GETEX e PERSIST", "GETEX e EX 100", "GETEX e", "GET a", "SET a 1 NX");
    }

    @Test
    void keys() throws Exception {
        same("KEA", "SET a 1", "SET b 2", "DEL a b nokey", "SET a 1", "UNLINK a", "SET a 1", "RENAME a b",
                "RENAMENX b c", "SET d 1", "RENAMENX c d", "RENAME d d", "MOVE c 1", "SET x 1", "COPY x y",
                "COPY x y REPLACE", "COPY x y DB 2", "EXPIRE x 100", "PEXPIRE x 100000", "EXPIREAT x 99999999999",
                "PERSIST x", "PERSIST x", "EXPIRE x 100 NX", "EXPIRE x 100 NX", "EXPIRE y -1", "EXPIRE nokey 10");
    }

    @Test
    void lists() throws Exception {
        same("KEA", "LPUSH l a b c", "RPUSH l d", "LPUSHX l e", "RPUSHX nol x", "LPOP l", "RPOP l 2", "LSET l 0 z",
                "LINSERT l BEFORE z y", "LINSERT l BEFORE nothere y", "LREM l 0 y", "LREM l 0 y", "LTRIM l 0 -1",
                "RPUSH m 1 2 3", "LMOVE m l LEFT RIGHT", "RPOPLPUSH m m", "LMPOP 2 nol m LEFT COUNT 5",
                "LTRIM l 1 0", "RPUSH p 1", "LPOP p 0", "LPOP p 5");
    }

    @Test
    void blockingPopServed() throws Exception {
        same("KEA", "BG BLPOP q 0", "RPUSH q a b", "BG BLMOVE q2 dst LEFT LEFT 0", "LPUSH q2 v",
                "BG BLMPOP 0 1 q3 RIGHT COUNT 3", "RPUSH q3 x y");
    }

    @Test
    void sets() throws Exception {
        same("KEA", "SADD s a b c", "SADD s a", "SREM s a nothere", "SREM s zz", "SMOVE s t b", "SMOVE s t c",
                "SADD u 1 2 3", "SPOP u", "SPOP u 1", "SPOP u 5", "SADD v 1 2", "SINTERSTORE w v t", "SUNIONSTORE w v t",
                "SDIFFSTORE w v v", "SDIFFSTORE w v v", "SADD x 1", "SPOP x");
    }

    @Test
    void hashes() throws Exception {
        same("KEA", "HSET h a 1 b 2", "HMSET h c 3", "HSETNX h a 9", "HSETNX h d 4", "HINCRBY h a 5",
                "HINCRBYFLOAT h f 1.5", "HDEL h a nothere", "HDEL h zz", "HDEL h b c d f");
    }

    @Test
    void zsets() throws Exception {
        same("KEA", "ZADD z 1 a 2 b 3 c", "ZADD z 1 a", "ZADD z INCR 1 a", "ZADD z XX 5 nothere", "ZINCRBY z 1 b",
                "ZREM z a nothere", "ZREM z zz", "ZADD z 4 d 5 e 6 f", "ZREMRANGEBYRANK z 0 0", "ZREMRANGEBYSCORE z 5 5",
                "ZREMRANGEBYLEX z [zz [zzz", "ZPOPMIN z", "ZPOPMAX z 1", "ZADD y 1 a", "ZUNIONSTORE u 2 z y",
                "ZINTERSTORE i 2 z y", "ZDIFFSTORE d 1 y", "ZDIFFSTORE d 2 y y", "ZRANGESTORE r z 0 -1",
                "ZRANGESTORE r z 5 6", "ZMPOP 1 y MIN", "ZPOPMIN u 10", "ZADD bz 1 m", "BG BZPOPMIN bq 0", "ZADD bq 1 m");
    }

    @Test
    void bitmapsHyperLogLogGeoSort() throws Exception {
        same("KEA", "SETBIT b 7 1", "SETBIT b 7 1", "SETBIT z 3 0", "SETBIT z 30 0", "SETBIT z 3 0", "BITFIELD b SET u8 0 255 GET u4 0", "BITFIELD b GET u8 0",
                "BITFIELD bf OVERFLOW FAIL INCRBY u2 0 9", "SET x1 ab", "BITOP AND bo b x1", "BITOP OR bo nokey1 nokey2",
                "PFADD hll a b c", "PFADD hll a", "PFADD hll2 z", "PFMERGE hll hll2", "PFMERGE hll3 hll",
                "GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
                "GEOSEARCHSTORE gs g FROMLONLAT 15 37 BYRADIUS 200 km ASC",
                "GEOSEARCHSTORE gs g FROMLONLAT 0 0 BYRADIUS 1 km ASC",
                "GEORADIUS g 15 37 200 km STORE gr", "RPUSH sl 3 1 2", "SORT sl STORE so", "SORT nolist STORE so");
    }

    @Test
    void restoreIsAnnounced() {
        try (io.amdc.server.testing.AmdcServer s = io.amdc.server.testing.AmdcServer.start("notify-keyspace-events Eg");
             RawClient sub = s.client(); RawClient c = s.client()) {
            sub.call("SUBSCRIBE", "__keyevent@0__:restore");
            c.call("SET", "src", "v");
            byte[] raw = c.callRaw("DUMP", "src");
            // The bulk's payload: skip "$<len>\r\n" and the trailing CRLF.
            int start = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\r\n") + 2;
            byte[] payload = java.util.Arrays.copyOfRange(raw, start, raw.length - 2);
            org.assertj.core.api.Assertions.assertThat(c.call("RESTORE", "dst", "0", payload)).isEqualTo("OK");
            org.assertj.core.api.Assertions.assertThat(RawClient.render(sub.readRaw()))
                    .isEqualTo("[message, __keyevent@0__:restore, dst]");
        }
    }

    @Test
    void streams() throws Exception {
        same("KEA", "XADD st 1-1 f v", "XADD st 2-1 f v", "XADD st MAXLEN 1 3-1 f v", "XADD st MAXLEN 5 4-1 f v",
                "XDEL st 3-1", "XDEL st 9-9", "XTRIM st MAXLEN 0", "XTRIM st MAXLEN 0", "XGROUP CREATE st g $",
                "XGROUP CREATE st2 g $ MKSTREAM", "XGROUP SETID st g 0", "XGROUP CREATECONSUMER st g alice",
                "XGROUP CREATECONSUMER st g alice", "XGROUP DELCONSUMER st g alice", "XGROUP DELCONSUMER st g bob",
                "XGROUP DESTROY st g", "XGROUP DESTROY st g", "XSETID st 10-1", "XADD st NOMKSTREAM 11-1 f v");
    }

    @Test
    void newKeysOnly() throws Exception {
        same("KEn", "SET a 1", "SET a 2", "LPUSH l x", "LPUSH l y", "HSET h f v", "SET b 1", "RENAME a b",
                "COPY b c", "SADD s 1", "ZADD z 1 m", "XADD x 1-1 f v");
    }

    @Test
    void classesFilter() throws Exception {
        same("K$", "SET a 1", "LPUSH l x", "DEL a", "INCR a");
        same("El", "SET a 1", "LPUSH l x", "DEL l");
        same("Eg", "SET a 1", "LPUSH l x", "EXPIRE a 10", "DEL l", "RENAME a b");
    }

    @Test
    void keyMiss() throws Exception {
        same("KEm", "GET nokey", "EXISTS nokey", "TTL nokey", "LRANGE nokey 0 -1", "HGET nokey f",
                "SMEMBERS nokey", "ZSCORE nokey m", "SET a b", "GET a", "TYPE nokey", "XLEN nokey");
    }

    @Test
    void expiredActiveAndLazy() throws Exception {
        // One key per phase: the order in which active expiry visits several keys is unspecified.
        same("KEA", "HSET h f v", "PEXPIRE h 30", "SLEEP 400", "DEBUG SET-ACTIVE-EXPIRE 0", "SET lz v PX 1",
                "SLEEP 20", "GET lz", "DEBUG SET-ACTIVE-EXPIRE 1");
    }

    @Test
    void evictedUnderMaxmemory() throws Exception {
        // Which keys are evicted depends on each server's memory accounting, so only AMDC is checked.
        try (AmdcServer a = AmdcServer.start(); RawClient ctl = a.client(); RawClient sub = a.client()) {
            ctl.call("CONFIG", "SET", "notify-keyspace-events", "Ee");
            sub.call("SUBSCRIBE", "__keyevent@0__:evicted");
            String used = ctl.call("MEMORY", "STATS");
            assertThat(used).isNotEmpty();
            ctl.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
            byte[] big = new byte[10_000];
            for (int i = 0; i < 50; i++) ctl.call("SET", "k" + i, big);
            String info = ctl.call("INFO", "memory");
            long usedMemory = Long.parseLong(info.replaceAll("(?s).*used_memory:(\\d+).*", "$1"));
            ctl.call("CONFIG", "SET", "maxmemory", Long.toString(usedMemory - 200_000));
            ctl.call("SET", "trigger", "x");
            String m = RawClient.render(sub.readRaw());
            assertThat(m).contains("__keyevent@0__:evicted").containsPattern("k\\d+");
        }
    }

    @Test
    void configFlagsNormalizeAsRedis() throws Exception {
        assumeTrue(RedisServerProcess.available());
        String[] values = {"KEA", "AKE", "Elg", "gE$lshzxetK", "A", "KEm", "Ex", "d", "n", "KEn", "KEAmnd", "",
                "KA", "KEgg", "An", "g$lshzxetd", "nd", "mn", "Emn", "tEK", "Zq", "KEAX", "a"};
        try (AmdcServer a = AmdcServer.start(); RedisServerProcess r = RedisServerProcess.start();
             RawClient ac = a.client(); RawClient rc = r.client()) {
            for (String v : values) {
                assertThat(ac.call("CONFIG", "SET", "notify-keyspace-events", v))
                        .as(v).isEqualTo(rc.call("CONFIG", "SET", "notify-keyspace-events", v));
                assertThat(ac.call("CONFIG", "GET", "notify-keyspace-events"))
                        .as(v).isEqualTo(rc.call("CONFIG", "GET", "notify-keyspace-events"));
            }
        }
    }
}
