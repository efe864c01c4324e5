package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SetCommandsTest {

    @Test
    void jedisCoversEveryCommand() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            assertThat(j.sadd("a", "1", "2", "3", "x")).isEqualTo(4);
            assertThat(j.sadd("a", "1", "y")).isEqualTo(1);
            assertThat(j.scard("a")).isEqualTo(5);
            assertThat(j.sismember("a", "x")).isTrue();
            assertThat(j.sismember("a", "z")).isFalse();
            assertThat(j.smismember("a", "1", "z", "y")).containsExactly(true, false, true);
            assertThat(j.smembers("a")).containsExactlyInAnyOrder("1", "2", "3", "x", "y");
            assertThat(j.srem("a", "y", "nope")).isEqualTo(1);
            assertThat(j.smove("a", "b", "x")).isEqualTo(1);
            assertThat(j.smove("a", "b", "x")).isEqualTo(0);
            assertThat(j.smembers("b")).containsExactly("x");
            j.sadd("c", "2", "3", "4");
            assertThat(j.sinter("a", "c")).containsExactlyInAnyOrder("2", "3");
            assertThat(j.sintercard("a", "c")).isEqualTo(2);
            assertThat(j.sintercard(1, "a", "c")).isEqualTo(1);
            assertThat(j.sinterstore("i", "a", "c")).isEqualTo(2);
            assertThat(j.smembers("i")).containsExactlyInAnyOrder("2", "3");
            assertThat(j.sunion("a", "b", "c")).containsExactlyInAnyOrder("1", "2", "3", "4", "x");
            assertThat(j.sunionstore("u", "a", "b", "c")).isEqualTo(5);
            assertThat(j.sdiff("a", "c")).containsExactly("1");
            assertThat(j.sdiffstore("d", "c", "a")).isEqualTo(1);
            assertThat(j.smembers("d")).containsExactly("4");
            assertThat(j.sdiffstore("d", "nokey", "a")).isEqualTo(0);
            assertThat(j.scard("d")).isZero();
            String p = j.spop("u");
            assertThat(p).isIn("1", "2", "3", "4", "x");
            assertThat(j.spop("u", 10)).hasSize(4).doesNotContain(p);
            assertThat(j.scard("u")).isZero();
            assertThat(j.srandmember("a")).isIn("1", "2", "3");
            assertThat(j.srandmember("a", 2)).hasSize(2).doesNotHaveDuplicates();
            assertThat(j.srandmember("a", -7)).hasSize(7).allMatch(m -> Set.of("1", "2", "3").contains(m));
            ScanResult<String> r = j.sscan("a", ScanParams.SCAN_POINTER_START, new ScanParams().match("[12]"));
            assertThat(r.getCursor()).isEqualTo("0");
            assertThat(r.getResult()).containsExactly("1", "2");
            j.set("str", "v");
            assertThatThrownBy(() -> j.sadd("str", "x")).hasMessageStartingWith("WRONGTYPE");
        }
    }

    @Test
    void sscanPagesThroughALargeSetWhileItChanges() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            String[] members = new String[5000];
            for (int i = 0; i < members.length; i++) members[i] = "m" + i;
            j.sadd("big", members);
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int step = 0;
            do {
                ScanResult<String> r = j.sscan("big", cursor, new ScanParams().count(50));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
                if (step++ == 3) {
                    for (int i = 0; i < 5000; i++) j.sadd("big", "extra" + i);
                }
            } while (!cursor.equals("0"));
            assertThat(seen).containsAll(List.of(members));
        }
    }

    @Test
    void spopAndSrandmemberAreRoughlyUniform() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            j.sadd("ints", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
            j.sadd("strs", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
            for (int i = 0; i < 200; i++) j.sadd("big", "k" + (i % 10) + "-" + i);
            for (String key : List.of("ints", "strs")) {
                Map<String, Integer> counts = new HashMap<>();
                for (String m : j.srandmember(key, -20_000)) counts.merge(m, 1, Integer::sum);
                assertThat(chiSquare(counts, 20_000, 10)).as(key).isLessThan(40);
            }
            // SPOP of one member from fresh 10-member copies: each member should be popped ~equally.
            Map<String, Integer> popped = new HashMap<>();
            for (int i = 0; i < 3000; i++) {
                j.sadd("p", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
                popped.merge(j.spop("p"), 1, Integer::sum);
            }
            assertThat(chiSquare(popped, 3000, 10)).isLessThan(40);
            // Distinct SRANDMEMBER subsets of a hashtable set cover all members evenly.
            Map<String, Integer> buckets = new HashMap<>();
            for (int i = 0; i < 1000; i++) {
                List<String> got = j.srandmember("big", 5);
                assertThat(got).doesNotHaveDuplicates();
                for (String m : got) buckets.merge(m.substring(0, 2), 1, Integer::sum);
            }
            assertThat(chiSquare(buckets, 5000, 10)).isLessThan(40);
        }
    }

    private static double chiSquare(Map<String, Integer> counts, int total, int categories) {
        assertThat(counts).hasSize(categories);
        double expected = (double) total / categories;
        double chi = 0;
        for (int n : counts.values()) chi += (n - expected) * (n - expected) / expected;
        return chi;
    }

    @Test
    void repliesAndErrorsMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll(
                    "SADD s 3 1 2 -5 100000 9223372036854775807", "SADD s 1 2", "SCARD s", "SMEMBERS s",
                    "SISMEMBER s 1", "SISMEMBER s 01", "SISMEMBER s x", "SMISMEMBER s 1 x 3", "SMISMEMBER nokey a b",
                    "SREM s 1 x 2", "SMEMBERS s", "SCARD nokey", "SMEMBERS nokey", "SISMEMBER nokey a",
                    "SADD t 3 4 5", "SINTER s t", "SINTER s nokey", "SINTER t", "SINTERSTORE dst s t", "SMEMBERS dst",
                    "SINTERSTORE dst s nokey", "SCARD dst", "SUNION s t nokey", "SUNIONSTORE u s t", "SMEMBERS u",
                    "SDIFF s t", "SDIFF nokey s", "SDIFF s s", "SDIFFSTORE df t s", "SMEMBERS df", "SDIFFSTORE df s s", "SCARD df",
                    "SINTERCARD 2 s t", "SINTERCARD 2 u s LIMIT 1", "SINTERCARD 2 u s limit 0", "SINTERCARD 1 nokey",
                    "SINTERCARD 0 s", "SINTERCARD x s", "SINTERCARD -1 s", "SINTERCARD 3 s", "SINTERCARD 1 s LIMIT -1",
                    "SINTERCARD 1 s LIMIT x", "SINTERCARD 1 s FOO", "SINTERCARD 1 s LIMIT", "SINTERCARD 9999999999999999999 s",
                    "SMOVE s t 3", "SMOVE s t 100000", "SMEMBERS t", "SMOVE s s 9223372036854775807", "SMOVE s s nope",
                    "SMOVE nokey t 1", "SMOVE s newset -5", "SMEMBERS newset", "SMOVE s t nope",
                    "SPOP s -1", "SPOP s x", "SPOP s 1 2", "SPOP nokey", "SPOP nokey 3", "SPOP s 0", "SPOP s 100", "SCARD s",
                    "SRANDMEMBER t -9223372036854775808", "SRANDMEMBER t x", "SRANDMEMBER t 1 2", "SRANDMEMBER nokey",
                    "SRANDMEMBER nokey 5", "SRANDMEMBER t 0", "SRANDMEMBER t 100", "SRANDMEMBER newset -3",
                    "SSCAN t x", "SSCAN t 0 COUNT 0", "SSCAN t 0 COUNT x", "SSCAN t 0 FOO", "SSCAN t -1", "SSCAN t 0 MATCH",
                    "SSCAN t 18446744073709551615", "SSCAN t 18446744073709551616", "SSCAN t 0 MATCH 1* COUNT 5", "SSCAN nokey 0",
                    "SSCAN nokey x", "SSCAN t 0 MATCH *",
                    "SADD", "SADD s", "SREM s", "SCARD", "SMOVE a b", "SINTERCARD 1", "SSCAN s");
            d.runAll("SET str v", "SADD str a", "SREM str a", "SCARD str", "SISMEMBER str a", "SMISMEMBER str a",
                    "SMEMBERS str", "SPOP str", "SPOP str 2", "SRANDMEMBER str", "SRANDMEMBER str 2", "SMOVE str t 3",
                    "SMOVE t str 3", "SMOVE nokey str 3", "SINTER t str", "SINTER nokey str", "SINTERSTORE x t str",
                    "SINTERCARD 2 t str", "SUNION t str", "SUNIONSTORE x t str", "SDIFF t str", "SDIFF nokey str",
                    "SDIFFSTORE x t str", "SSCAN str 0", "SSCAN str x", "SINTERSTORE str t t", "SMEMBERS str",
                    "SET str2 v", "SUNIONSTORE str2 nokey", "GET str2");
        }
    }

    @Test
    void resp3RepliesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.amdc().call("HELLO", "3");
            d.redis().call("HELLO", "3");
            d.runAll("SADD s 5 3 1", "SMEMBERS s", "SMEMBERS nokey", "SPOP nokey", "SPOP nokey 2", "SPOP s 0",
                    "SRANDMEMBER nokey 3", "SRANDMEMBER s 0", "SRANDMEMBER s 9", "SINTER s s", "SUNION s nokey",
                    "SDIFF s nokey", "SSCAN s 0", "SMISMEMBER s 1 2", "SPOP s 9", "SPOP s");
        }
    }

    /** Non-integer members: Redis 7.0 keeps these in a hashtable, so compare order-insensitively. */
    @Test
    void stringSetsMatchRedisIgnoringOrder() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            String[] script = {
                    "SADD a x y z 1 2", "SADD b y z w", "SMEMBERS a", "SINTER a b", "SUNION a b", "SDIFF a b",
                    "SINTERSTORE c a b", "SMEMBERS c", "SUNIONSTORE c a b", "SMEMBERS c", "SSCAN c 0", "SSCAN c 0 MATCH [wx]",
                    "SPOP c 100", "SRANDMEMBER a 100", "SMOVE a b x", "SMEMBERS b", "SREM a 1 2 x y z", "SCARD a",
            };
            for (String line : script) compareUnordered(d, line.split(" "));
        }
    }

    /** Random command sequences over a few keys; members mix integers (intset) and strings. */
    @Test
    void randomisedSequencesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        Random rnd = new Random(42);
        String[] keys = {"k1", "k2", "k3", "k4"};
        try (Differential d = new Differential("set-max-intset-entries 16", "set-max-listpack-entries 8")) {
            d.run("SET", "str", "x");
            for (int step = 0; step < 1500; step++) {
                List<String> cmd = new ArrayList<>();
                String k = keys[rnd.nextInt(keys.length)];
                String k2 = rnd.nextInt(20) == 0 ? "str" : keys[rnd.nextInt(keys.length)];
                switch (rnd.nextInt(14)) {
                    case 0, 1, 2 -> {
                        cmd.add("SADD");
                        cmd.add(k);
                        for (int i = rnd.nextInt(6); i >= 0; i--) cmd.add(member(rnd));
                    }
                    case 3 -> {
                        cmd.add("SREM");
                        cmd.add(k);
                        for (int i = rnd.nextInt(4); i >= 0; i--) cmd.add(member(rnd));
                    }
                    case 4 -> cmd.addAll(List.of("SISMEMBER", k, member(rnd)));
                    case 5 -> cmd.addAll(List.of("SMISMEMBER", k, member(rnd), member(rnd)));
                    case 6 -> cmd.addAll(List.of("SCARD", k2));
                    case 7 -> cmd.addAll(List.of("SMEMBERS", k));
                    case 8 -> cmd.addAll(List.of("SMOVE", k, k2, member(rnd)));
                    case 9 -> cmd.addAll(List.of(pick(rnd, "SINTER", "SUNION", "SDIFF"), k, k2, keys[rnd.nextInt(4)]));
                    case 10 -> cmd.addAll(List.of(pick(rnd, "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), keys[rnd.nextInt(4)], k, k2));
                    case 11 -> cmd.addAll(List.of("SINTERCARD", "2", k, k2, "LIMIT", String.valueOf(rnd.nextInt(4))));
                    case 12 -> cmd.addAll(List.of("SPOP", k, "1000"));
                    default -> cmd.addAll(List.of("SSCAN", k, "0", "COUNT", "1000"));
                }
                compareUnordered(d, cmd.toArray(new String[0]));
            }
            d.assertSame();
        }
    }

    /**
     * SADD presizes a new set for its argument count; 300k copies of three members must not leave
     * a table of 512k slots behind (as Redis's cron shrinks such a dict), and random picks on what
     * remains stay uniform.
     */
    @Test
    void aSetPresizedForDuplicatesShrinksToItsMembers() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            Object[] cmd = new Object[2 + 300_000];
            cmd[0] = "SADD";
            cmd[1] = "dups";
            for (int i = 2; i < cmd.length; i++) cmd[i] = "member-" + (char) ('a' + i % 3);
            assertThat(c.call(cmd)).isEqualTo("(integer) 3");
            assertThat(c.call("OBJECT", "ENCODING", "dups")).isEqualTo("hashtable");
            long usage = Long.parseLong(c.call("MEMORY", "USAGE", "dups").replace("(integer) ", ""));
            assertThat(usage).as("MEMORY USAGE of a 3-member set").isLessThan(1024);
            java.util.Map<String, Integer> seen = new java.util.HashMap<>();
            for (int i = 0; i < 300; i++) seen.merge(c.call("SRANDMEMBER", "dups"), 1, Integer::sum);
            assertThat(seen.keySet()).containsExactlyInAnyOrder("member-a", "member-b", "member-c");
        }
    }

    /** 100k keys holding 10 small integers each: AMDC's heap growth within 1.2x of Redis's used_memory growth. */
    @Test
    void smallIntegerSetsUseAtMostRedisMemoryTimesOnePointTwo() {
        assumeTrue(RedisServerProcess.available());
        int keys = 100_000;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < keys; i++) {
            Object[] cmd = new Object[12];
            cmd[0] = "SADD";
            cmd[1] = "set:" + i;
            for (int k = 0; k < 10; k++) cmd[2 + k] = String.valueOf((i * 7 + k * 13) % 1000);
            buf.writeBytes(RawClient.encode(cmd));
        }
        byte[] pipeline = buf.toByteArray();
        try (AmdcServer s = AmdcServer.start(); RawClient a = s.client();
             RedisServerProcess redis = RedisServerProcess.start(); RawClient r = redis.client()) {
            long redisBefore = usedMemory(r);
            r.send(pipeline);
            for (int i = 0; i < keys; i++) r.readRaw();
            long redisPerKey = (usedMemory(r) - redisBefore) / keys;

            a.call("SADD", "warmup", "1");
            long before = heapUsed();
            a.send(pipeline);
            for (int i = 0; i < keys; i++) a.readRaw();
            long amdcPerKey = (heapUsed() - before) / keys;
            assertThat(a.call("SCARD", "set:" + (keys - 1))).isEqualTo("(integer) 10");
            assertThat(pipeline.length).isPositive(); // keeps the pipeline buffer live across both heap samples
            assertThat(amdcPerKey).as("AMDC %d bytes/key vs Redis %d", amdcPerKey, redisPerKey)
                    .isLessThanOrEqualTo(redisPerKey * 12 / 10);
        }
    }

    private static long usedMemory(RawClient r) {
        String info = r.call("INFO", "memory");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("used_memory:")) return Long.parseLong(line.substring("used_memory:".length()).trim());
        }
        throw new IllegalStateException(info);
    }

    private static long heapUsed() {
        java.lang.management.MemoryMXBean m = java.lang.management.ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return m.getHeapMemoryUsage().getUsed();
    }

    private static String pick(Random rnd, String... options) {
        return options[rnd.nextInt(options.length)];
    }

    private static String member(Random rnd) {
        int r = rnd.nextInt(40);
        return r < 25 ? String.valueOf(r - 5) : "s" + (r % 12);
    }

    /** Sends to both servers and asserts equal replies with every aggregate's elements sorted. */
    private static void compareUnordered(Differential d, String[] cmd) {
        Object[] args = cmd;
        String a = normalise(d.amdc().callRaw(args));
        String r = normalise(d.redis().callRaw(args));
        assertThat(a).as(String.join(" ", cmd)).isEqualTo(r);
    }

    private static String normalise(byte[] raw) {
        int[] pos = {0};
        return parse(raw, pos).toString();
    }

    private static Object parse(byte[] raw, int[] pos) {
        char t = (char) raw[pos[0]++];
        int start = pos[0];
        while (raw[pos[0]] != '\r') pos[0]++;
        String line = new String(raw, start, pos[0] - start, StandardCharsets.UTF_8);
        pos[0] += 2;
        switch (t) {
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) return "(nil)";
                String s = new String(raw, pos[0], len, StandardCharsets.UTF_8);
                pos[0] += len + 2;
                return s;
            }
            case '*', '~': {
                int n = Integer.parseInt(line);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < n; i++) items.add(String.valueOf(parse(raw, pos)));
                // An SSCAN reply keeps its cursor first; everything else is a bag.
                if (n == 2 && items.get(1).startsWith("[")) return t + items.toString();
                items.sort(null);
                return t + items.toString();
            }
            default:
                return t + line;
        }
    }
}
