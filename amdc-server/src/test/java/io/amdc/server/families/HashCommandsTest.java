package io.amdc.server.families;

import io.amdc.core.types.HashValue;
import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HashCommandsTest {

    @Test
    void jedisRoundTrip() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            assertThat(j.hset("h", Map.of("a", "1", "b", "2"))).isEqualTo(2);
            assertThat(j.hset("h", "a", "3")).isZero();
            assertThat(j.hget("h", "a")).isEqualTo("3");
            assertThat(j.hsetnx("h", "a", "x")).isZero();
            assertThat(j.hsetnx("h", "c", "x")).isEqualTo(1);
            assertThat(j.hmget("h", "a", "nope", "c")).containsExactly("3", null, "x");
            assertThat(j.hlen("h")).isEqualTo(3);
            assertThat(j.hstrlen("h", "c")).isEqualTo(1);
            assertThat(j.hexists("h", "b")).isTrue();
            assertThat(j.hkeys("h")).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(j.hvals("h")).containsExactlyInAnyOrder("3", "2", "x");
            assertThat(j.hgetAll("h")).isEqualTo(Map.of("a", "3", "b", "2", "c", "x"));
            assertThat(j.hincrBy("h", "n", 5)).isEqualTo(5);
            assertThat(j.hincrByFloat("h", "f", 10.5)).isEqualTo(10.5);
            assertThat(j.hincrByFloat("h", "f", 0.1)).isEqualTo(10.6);
            assertThat(j.hget("h", "f")).isEqualTo("10.6");
            assertThat(j.hdel("h", "a", "b", "zz")).isEqualTo(2);
            assertThat(j.hmset("h2", Map.of("x", "y"))).isEqualTo("OK");
            assertThat(j.hrandfield("h2")).isEqualTo("x");
            assertThat(j.hrandfieldWithValues("h2", 5)).hasSize(1);
            assertThat(j.hrandfield("h2", -3)).containsExactly("x", "x", "x");
            assertThat(j.hdel("h2", "x")).isEqualTo(1);
            assertThat(s.engine().keyspace().db(0).peek("h2".getBytes())).isNull();
        }
    }

    @Test
    void encodingFollowsListpackLimits() {
        try (AmdcServer s = AmdcServer.start("hash-max-listpack-entries 4", "hash-max-listpack-value 8");
             RawClient c = s.client()) {
            c.call("HSET", "small", "a", "1");
            assertThat(encoding(s, "small")).isEqualTo("listpack");
            c.call("HSET", "small", "b", "1", "c", "1", "d", "1");
            assertThat(encoding(s, "small")).isEqualTo("listpack");
            c.call("HSET", "small", "e", "1");
            assertThat(encoding(s, "small")).isEqualTo("hashtable");
            c.call("HSET", "long", "a", "123456789");
            assertThat(encoding(s, "long")).isEqualTo("hashtable");
            c.call("HSET", "ttl", "a", "1");
            c.call("HEXPIRE", "ttl", "100", "FIELDS", "1", "a");
            assertThat(encoding(s, "ttl")).isEqualTo("listpackex");
            // Five pairs in one command convert even when they repeat one field, as Redis does.
            c.call("HSET", "dup", "a", "1", "a", "1", "a", "1", "a", "1", "a", "1");
            assertThat(encoding(s, "dup")).isEqualTo("hashtable");
        }
    }

    private static String encoding(AmdcServer s, String key) {
        Object v = s.engine().keyspace().db(0).peek(key.getBytes());
        return ((HashValue) v).encoding();
    }

    @Test
    void repliesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll("HSET h a 1 b 2 c 3", "HSET h a 9", "HGET h a", "HGET h zz", "HGET nokey a",
                    "HSET h odd", "HMSET h x", "HMSET h x 1 y 2", "HSETNX h a 5", "HSETNX h new 5", "HSETNX fresh f v",
                    "HMGET h a zz b", "HMGET nokey a b", "HLEN h", "HLEN nokey", "HSTRLEN h a", "HSTRLEN h zz",
                    "HSTRLEN nokey a", "HEXISTS h a", "HEXISTS h zz", "HKEYS h", "HVALS h", "HGETALL h",
                    "HKEYS nokey", "HVALS nokey", "HGETALL nokey", "HDEL h a zz", "HDEL h b c x y new",
                    "HGETALL h", "HLEN h", "HDEL nokey a",
                    "HINCRBY n f 5", "HINCRBY n f -7", "HINCRBY n f x", "HINCRBY n f 1.5",
                    "HSET n s abc", "HINCRBY n s 1", "HSET n big 9223372036854775807", "HINCRBY n big 1",
                    "HSET n small -9223372036854775808", "HINCRBY n small -1", "HINCRBY n big -9223372036854775808",
                    "HINCRBYFLOAT n g 10.5", "HINCRBYFLOAT n g 0.1", "HINCRBYFLOAT n g -10.6", "HINCRBYFLOAT n g 1e3",
                    "HINCRBYFLOAT n g 3.0e-3", "HINCRBYFLOAT n s 1", "HINCRBYFLOAT n g abc", "HINCRBYFLOAT n g inf",
                    "HINCRBYFLOAT n f 1.5", "HINCRBYFLOAT n h 10000000000.1", "HINCRBYFLOAT n h 0.2",
                    "HINCRBYFLOAT n i 5.0e3", "HINCRBYFLOAT n i -5000", "HGET n i", "HINCRBYFLOAT n j .5",
                    "HINCRBYFLOAT n k 1.23456789012345678901", "HINCRBYFLOAT n k 1e-20",
                    "HSET n inf inf", "HINCRBYFLOAT n inf 1",
                    "HRANDFIELD nokey", "HRANDFIELD nokey 3", "HRANDFIELD nokey 0", "HRANDFIELD nokey -3 WITHVALUES",
                    "HRANDFIELD h 0", "HRANDFIELD h 10", "HRANDFIELD h 10 WITHVALUES", "HRANDFIELD h 1 WITHVALUES x",
                    "HRANDFIELD h 1 VALUES", "HRANDFIELD h x", "HRANDFIELD h -9223372036854775808",
                    "HRANDFIELD h 9223372036854775807 WITHVALUES", "HRANDFIELD h -9223372036854775807 WITHVALUES",
                    "HSCAN h 0", "HSCAN h 0 COUNT 1", "HSCAN h 0 MATCH x*", "HSCAN h 0 COUNT 0", "HSCAN h 0 COUNT x",
                    "HSCAN h 0 FOO", "HSCAN h x", "HSCAN nokey 0", "HSCAN nokey 0 FOO", "HSCAN h 0 MATCH",
                    "SET str v", "HSET str a 1", "HGET str a", "HMGET str a", "HLEN str", "HGETALL str", "HDEL str a",
                    "HINCRBY str a 1", "HINCRBY str a x", "HINCRBYFLOAT str a 1", "HRANDFIELD str",
                    "HRANDFIELD str 0", "HSCAN str 0", "HSCAN str x", "HSTRLEN str a", "HEXISTS str a",
                    "HKEYS str", "HVALS str", "HSETNX str a b",
                    "HSET", "HGET h", "HLEN", "HSCAN h", "HRANDFIELD");
        }
    }

    @Test
    void resp3RepliesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            // HELLO's own reply names the server version, so switch both without comparing it.
            d.amdc().call("HELLO", "3");
            d.redis().call("HELLO", "3");
            d.runAll("HSET h a 1 b 2", "HGETALL h", "HGETALL nokey", "HRANDFIELD h 5 WITHVALUES",
                    "HSET one f v", "HRANDFIELD one -2 WITHVALUES", "HRANDFIELD one -2", "HRANDFIELD nokey", "HRANDFIELD h 5", "HSCAN h 0",
                    "HMGET h a zz", "HINCRBYFLOAT h f 1.5", "HKEYS h");
        }
    }

    /** Random command sequences on small hashes (listpack: insertion order is part of every reply). */
    @Test
    void randomisedSequencesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            Random rnd = new Random(42);
            for (int step = 0; step < 3000; step++) {
                String key = "k" + rnd.nextInt(4);
                String f = "f" + rnd.nextInt(12);
                String v = rnd.nextInt(4) == 0 ? Integer.toString(rnd.nextInt(200) - 100) : "v" + rnd.nextInt(50);
                switch (rnd.nextInt(14)) {
                    case 0, 1 -> d.run("HSET", key, f, v, "f" + rnd.nextInt(12), v);
                    case 2 -> d.run("HSETNX", key, f, v);
                    case 3 -> d.run("HGET", key, f);
                    case 4 -> d.run("HDEL", key, f, "f" + rnd.nextInt(12));
                    case 5 -> d.run("HINCRBY", key, f, Integer.toString(rnd.nextInt(21) - 10));
                    case 6 -> d.run("HINCRBYFLOAT", key, f, (rnd.nextInt(2000) - 1000) / 100.0 + "");
                    case 7 -> d.run("HGETALL", key);
                    case 8 -> d.run("HMGET", key, f, "f" + rnd.nextInt(12));
                    case 9 -> d.run("HLEN", key);
                    case 10 -> d.run("HSTRLEN", key, f);
                    case 11 -> d.run("HSCAN", key, "0", "MATCH", "f1*");
                    case 12 -> d.run("HRANDFIELD", key, "20", "WITHVALUES");
                    default -> d.run("HKEYS", key);
                }
            }
            d.assertSame();
        }
    }

    /** Beyond the listpack limits the table's order differs from Redis's dict, so compare order-free replies. */
    @Test
    void largeHashesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            Random rnd = new Random(7);
            for (int i = 0; i < 400; i++) d.run("HSET", "big", "f" + i, "v" + i);
            d.run("HSET", "longval", "f", "x".repeat(100));
            for (int step = 0; step < 2000; step++) {
                String f = "f" + rnd.nextInt(500);
                switch (rnd.nextInt(6)) {
                    case 0 -> d.run("HSET", "big", f, "w" + step);
                    case 1 -> d.run("HDEL", "big", f);
                    case 2 -> d.run("HGET", "big", f);
                    case 3 -> d.run("HINCRBY", "big", "n" + rnd.nextInt(5), "3");
                    case 4 -> d.run("HEXISTS", "big", f);
                    default -> d.run("HLEN", "big");
                }
            }
            d.assertSame();
            assertThat(sortedFields(d.amdc(), "big")).isEqualTo(sortedFields(d.redis(), "big"));
        }
    }

    private static List<String> sortedFields(RawClient c, String key) {
        String r = c.call("HKEYS", key);
        List<String> all = new ArrayList<>(List.of(r.substring(1, r.length() - 1).split(", ")));
        all.sort(null);
        return all;
    }

    @Test
    void hscanOverATableReturnsEverythingAndHonoursNovalues() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            for (int i = 0; i < 1000; i++) j.hset("big", "f" + i, "v" + i);
            Set<String> seen = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            int calls = 0;
            do {
                ScanResult<Map.Entry<String, String>> r = j.hscan("big", cursor, new ScanParams().count(50));
                for (Map.Entry<String, String> e : r.getResult()) {
                    assertThat(e.getValue()).isEqualTo("v" + e.getKey().substring(1));
                    seen.add(e.getKey());
                }
                cursor = r.getCursor();
                calls++;
            } while (!cursor.equals("0"));
            assertThat(seen).hasSize(1000);
            assertThat(calls).isGreaterThan(5);
            ScanResult<String> keys = j.hscanNoValues("big", "0", new ScanParams().count(2000).match("f99*"));
            assertThat(keys.getResult()).containsExactlyInAnyOrder("f99", "f990", "f991", "f992", "f993", "f994",
                    "f995", "f996", "f997", "f998", "f999");
        }
    }

    @Test
    void fieldExpiryFollowsRedis74() throws Exception {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            c.call("HSET", "h", "a", "1", "b", "2", "c", "3");
            assertThat(c.call("HEXPIRE", "h", "100", "FIELDS", "2", "a", "zz")).isEqualTo("[(integer) 1, (integer) -2]");
            assertThat(c.call("HEXPIRE", "h", "100", "NX", "FIELDS", "2", "a", "b")).isEqualTo("[(integer) 0, (integer) 1]");
            assertThat(c.call("HEXPIRE", "h", "200", "XX", "FIELDS", "2", "a", "c")).isEqualTo("[(integer) 1, (integer) 0]");
            assertThat(c.call("HEXPIRE", "h", "150", "GT", "FIELDS", "2", "a", "c")).isEqualTo("[(integer) 0, (integer) 0]");
            assertThat(c.call("HEXPIRE", "h", "150", "LT", "FIELDS", "2", "a", "c")).isEqualTo("[(integer) 1, (integer) 1]");
            assertThat(c.call("HTTL", "h", "FIELDS", "3", "a", "zz", "b")).isEqualTo("[(integer) 150, (integer) -2, (integer) 100]");
            String pttl = c.call("HPTTL", "h", "FIELDS", "1", "a");
            long ms = Long.parseLong(pttl.replaceAll("[^0-9]", ""));
            assertThat(ms).isBetween(149_000L, 150_000L);
            long now = System.currentTimeMillis();
            String et = c.call("HPEXPIRETIME", "h", "FIELDS", "1", "a");
            assertThat(Long.parseLong(et.replaceAll("[^0-9]", ""))).isBetween(now + 148_000, now + 151_000);
            c.call("HPEXPIREAT", "h", Long.toString(now + 3_600_000), "FIELDS", "1", "b");
            assertThat(c.call("HEXPIRETIME", "h", "FIELDS", "1", "b")).isEqualTo("[(integer) " + ((now + 3_600_000 + 999) / 1000) + "]");
            assertThat(c.call("HPERSIST", "h", "FIELDS", "3", "a", "a", "zz")).isEqualTo("[(integer) 1, (integer) -1, (integer) -2]");
            assertThat(c.call("HTTL", "h", "FIELDS", "1", "a")).isEqualTo("[(integer) -1]");
            // HSET drops a field's TTL, HINCRBY keeps it.
            c.call("HSET", "h", "c", "9");
            assertThat(c.call("HTTL", "h", "FIELDS", "1", "c")).isEqualTo("[(integer) -1]");
            c.call("HSET", "h", "n", "1");
            c.call("HEXPIRE", "h", "100", "FIELDS", "1", "n");
            c.call("HINCRBY", "h", "n", "1");
            assertThat(c.call("HTTL", "h", "FIELDS", "1", "n")).isEqualTo("[(integer) 100]");
            // Time zero or in the past deletes the field (2); the key goes with its last field.
            assertThat(c.call("HEXPIRE", "h", "0", "FIELDS", "1", "a")).isEqualTo("[(integer) 2]");
            assertThat(c.call("HPEXPIREAT", "h", "1", "FIELDS", "3", "b", "c", "n")).isEqualTo("[(integer) 2, (integer) 2, (integer) 2]");
            assertThat(s.engine().keyspace().db(0).peek("h".getBytes())).isNull();
            // Lazy expiry: fields vanish on access once due.
            c.call("HSET", "lazy", "x", "1", "y", "2");
            c.call("HPEXPIRE", "lazy", "50", "FIELDS", "1", "x");
            Thread.sleep(120);
            assertThat(c.call("HGETALL", "lazy")).isEqualTo("[y, 2]");
            assertThat(c.call("HLEN", "lazy")).isEqualTo("(integer) 1");
            c.call("HPEXPIRE", "lazy", "50", "FIELDS", "1", "y");
            Thread.sleep(120);
            assertThat(c.call("HLEN", "lazy")).isEqualTo("(integer) 0");
            assertThat(c.call("HTTL", "lazy", "FIELDS", "1", "y")).isEqualTo("[(integer) -2]");
            // Missing key: -2 per field.
            assertThat(c.call("HEXPIRE", "nokey", "10", "FIELDS", "2", "a", "b")).isEqualTo("[(integer) -2, (integer) -2]");
            assertThat(c.call("HPERSIST", "nokey", "FIELDS", "1", "a")).isEqualTo("[(integer) -2]");
            // Argument errors.
            c.call("HSET", "e", "a", "1");
            assertThat(c.call("HEXPIRE", "e", "10", "FIELD", "1", "a")).isEqualTo("!ERR Mandatory argument FIELDS is missing or not at the right position");
            assertThat(c.call("HEXPIRE", "e", "10", "FIELDS", "0", "a")).isEqualTo("!ERR Parameter `numFields` should be greater than 0");
            assertThat(c.call("HEXPIRE", "e", "10", "FIELDS", "2", "a")).isEqualTo("!ERR The `numfields` parameter must match the number of arguments");
            assertThat(c.call("HEXPIRE", "e", "x", "FIELDS", "1", "a")).isEqualTo("!ERR value is not an integer or out of range");
            assertThat(c.call("HEXPIRE", "e", "-1", "FIELDS", "1", "a")).isEqualTo("!ERR invalid expire time, must be >= 0");
            assertThat(c.call("HEXPIRE", "e", "281474976710656", "FIELDS", "1", "a")).isEqualTo("!ERR invalid expire time in 'hexpire' command");
            assertThat(c.call("HTTL", "e", "FIELDS", "1")).isEqualTo("!ERR wrong number of arguments for 'httl' command");
            c.call("SET", "s", "v");
            assertThat(c.call("HEXPIRE", "s", "10", "FIELDS", "1", "a")).startsWith("!WRONGTYPE");
            assertThat(c.call("HTTL", "s", "FIELDS", "1", "a")).startsWith("!WRONGTYPE");
        }
    }
}
