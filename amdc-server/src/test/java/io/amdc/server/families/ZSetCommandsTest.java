package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ZSetCommandsTest {
    @Test
    void jedisBasics() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            assertThat(j.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0))).isEqualTo(3);
            assertThat(j.zadd("z", 5.0, "a", ZAddParams.zAddParams().xx().ch())).isEqualTo(1);
            assertThat(j.zcard("z")).isEqualTo(3);
            assertThat(j.zscore("z", "a")).isEqualTo(5.0);
            assertThat(j.zrange("z", 0, -1)).containsExactly("b", "c", "a");
            assertThat(j.zrevrange("z", 0, 0)).containsExactly("a");
            assertThat(j.zrank("z", "c")).isEqualTo(1);
            assertThat(j.zrevrank("z", "c")).isEqualTo(1);
            assertThat(j.zincrby("z", 0.5, "b")).isEqualTo(2.5);
            assertThat(j.zcount("z", "(2.5", "+inf")).isEqualTo(2);
            assertThat(j.zrangeByScore("z", 2.5, 3)).containsExactly("b", "c");
            assertThat(j.zrangeWithScores("z", 0, 0)).containsExactly(new Tuple("b", 2.5));
            assertThat(j.zmscore("z", "a", "nope")).containsExactly(5.0, null);
            assertThat(j.zpopmin("z")).isEqualTo(new Tuple("b", 2.5));
            assertThat(j.zpopmax("z", 5)).containsExactly(new Tuple("a", 5.0), new Tuple("c", 3.0));
            assertThat(j.zcard("z")).isZero();
            j.zadd("l", Map.of("a", 0.0, "b", 0.0, "c", 0.0));
            assertThat(j.zrangeByLex("l", "[b", "+")).containsExactly("b", "c");
            assertThat(j.zlexcount("l", "-", "(c")).isEqualTo(2);
            assertThat(j.zremrangeByLex("l", "[a", "[b")).isEqualTo(2);
            assertThat(j.zrandmember("l")).isEqualTo("c");
            j.set("s", "x");
            assertThat(j.zrem("nokey", "a")).isZero();
        }
    }

    @Test
    void commandsMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll(
                    "ZADD z 1 a 2 b 3 c 0.1 d 1e-5 e 1e20 f 123456789.123 g -0.0 h 3.0000000000000004 i",
                    "ZRANGE z 0 -1 WITHSCORES", "ZSCORE z h", "ZSCORE z d",
                    "ZADD z NX XX 1 a", "ZADD z GT LT 1 a", "ZADD z NX GT 1 a", "ZADD z INCR 1 a 2 b",
                    "ZADD z abc a", "ZADD z 1", "ZADD z", "ZADD z NX", "ZADD z INCR 1 a", "ZADD z INCR inf a",
                    "ZADD z INCR -inf a", "ZSCORE z a", "ZADD z GT CH 10 b 1 c 5 new", "ZADD z LT INCR 5 b",
                    "ZADD z XX 1 nothere", "ZADD z NX INCR 1 b",
                    "ZADD z CH 1 dup 2 dup 2 dup", "ZADD z CH 2 dup 7 b -0 zero 0 zero", "ZADD z 5 dup 5 dup",
                    "ZRANGE z 0 -1 WITHSCORES", "ZADD nokey XX 1 a", "ZADD nokey XX INCR 1 a", "ZCARD nokey",
                    "ZINCRBY z 1.5 c", "ZINCRBY z abc c", "ZINCRBY z 1 brandnew", "ZINCRBY z inf a", "ZINCRBY z -inf f",
                    "ZCARD z", "ZCARD nokey", "ZCOUNT z -inf +inf", "ZCOUNT z (1 3", "ZCOUNT z x 3", "ZCOUNT nokey 1 2",
                    "ZRANK z b", "ZRANK z nope", "ZREVRANK z b", "ZRANK nokey a", "ZMSCORE z a nope b", "ZMSCORE nokey a",
                    "ZRANGE z 0 2", "ZRANGE z -3 -1 WITHSCORES", "ZRANGE z 5 2", "ZRANGE z 100 200", "ZRANGE z 0 -1 REV WITHSCORES",
                    "ZRANGE z (1 +inf BYSCORE", "ZRANGE z +inf (1 BYSCORE REV LIMIT 1 2 WITHSCORES",
                    "ZRANGE z 0 -1 LIMIT 0 1", "ZRANGE z - + BYLEX WITHSCORES", "ZRANGE z a b BYSCORE", "ZRANGE z a b BYLEX",
                    "ZRANGE z 0 1 FOO", "ZRANGE z x 1", "ZRANGE z 0 1 BYSCORE BYLEX",
                    "ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 2 3", "ZRANGEBYSCORE z 1 3 LIMIT -1 2", "ZRANGEBYSCORE z 1 3 LIMIT 0 -1",
                    "ZRANGEBYSCORE z 1 3 REV", "ZREVRANGEBYSCORE z 3 1 WITHSCORES", "ZREVRANGEBYSCORE z +inf -inf LIMIT 1 1",
                    "ZREVRANGE z 0 2 WITHSCORES", "ZREVRANGE z 0 2 BYSCORE",
                    "ZADD lex 0 a 0 b 0 c 0 d 0 e 0 f", "ZRANGEBYLEX lex - +", "ZRANGEBYLEX lex [b (e", "ZRANGEBYLEX lex (b [e LIMIT 1 2",
                    "ZREVRANGEBYLEX lex + - LIMIT 0 2", "ZREVRANGEBYLEX lex [e (a", "ZRANGEBYLEX lex b e", "ZRANGEBYLEX lex + -",
                    "ZLEXCOUNT lex - +", "ZLEXCOUNT lex [c +", "ZLEXCOUNT lex x y", "ZRANGEBYLEX lex - + WITHSCORES",
                    "ZRANGESTORE dst z 0 2", "ZRANGE dst 0 -1 WITHSCORES", "ZRANGESTORE dst z 5 2", "ZCARD dst",
                    "ZRANGESTORE dst lex [b [d BYLEX", "ZRANGE dst 0 -1", "ZRANGESTORE dst z 0 1 WITHSCORES",
                    "ZREMRANGEBYRANK lex 0 1", "ZREMRANGEBYLEX lex [e +", "ZRANGE lex 0 -1", "ZREMRANGEBYSCORE z (1 3", "ZRANGE z 0 -1",
                    "ZREMRANGEBYRANK z x 1", "ZREMRANGEBYSCORE z a 1", "ZREMRANGEBYLEX z a b", "ZREMRANGEBYRANK lex 0 -1", "ZCARD lex",
                    "ZPOPMIN z", "ZPOPMAX z 2", "ZPOPMIN z 0", "ZPOPMIN z -1", "ZPOPMIN nokey", "ZPOPMAX nokey 3", "ZPOPMIN z 1 2",
                    "ZADD p 1 a 2 b 3 c", "ZMPOP 2 nokey p MIN", "ZMPOP 1 p MAX COUNT 10", "ZMPOP 1 p MIN", "ZMPOP 0 p MIN",
                    "ZMPOP 1 p MIN COUNT 0", "ZMPOP 1 p FOO", "ZMPOP 3 p MIN", "ZMPOP 1 p",
                    "ZADD p 1 a", "BZPOPMIN nokey p 0", "BZPOPMIN p x", "BZPOPMIN p -1",
                    "ZADD p 1 a 2 b", "BZMPOP 0 1 p MAX COUNT 5", "BZMPOP 0 0 p MIN",
                    "ZRANDMEMBER nokey", "ZRANDMEMBER nokey 5", "ZRANDMEMBER z 0", "ZRANDMEMBER z 1 x", "ZRANDMEMBER z x",
                    "SET str v", "ZADD str 1 a", "ZRANGE str 0 -1", "ZSCORE str a", "ZCARD str", "ZINCRBY str 1 a",
                    "ZUNION 2 str z", "ZPOPMIN str", "ZRANDMEMBER str", "ZMPOP 1 str MIN", "ZSCAN str 0", "ZREM str a",
                    "ZCOUNT str 1 2", "ZRANGESTORE z str 0 1", "ZRANGESTORE str z 0 1");
            d.amdc().call("HELLO", "3");
            d.redis().call("HELLO", "3");
            d.runAll(
                    "ZADD r 1.5 a 2 b 0.1 c inf d -inf e",
                    "ZSCORE r a", "ZRANGE r 0 -1 WITHSCORES", "ZRANGE r 0 -1", "ZMSCORE r a x", "ZINCRBY r 1 a",
                    "ZADD r INCR 1 b", "ZPOPMIN r", "ZPOPMIN r 2", "ZPOPMAX r 1", "ZRANGEBYSCORE r -inf +inf WITHSCORES",
                    "ZADD q 1 a 2 b", "ZMPOP 1 q MIN", "ZUNION 2 r q WITHSCORES", "ZSCAN q 0", "ZRANK nokey a", "ZADD r XX INCR 1 nope",
                    "BZPOPMIN q 0", "ZMPOP 1 nokey MIN");
        }
    }

    @Test
    void setAlgebraMatchesRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll("ZADD a 1 x 2 y 3 z", "ZADD b 10 y 20 z 30 w", "ZADD c inf x -inf y",
                    "ZUNION 2 a b", "ZUNION 2 a b WITHSCORES", "ZUNION 2 a b WEIGHTS 2 0.5 WITHSCORES",
                    "ZUNION 2 a b AGGREGATE MIN WITHSCORES", "ZUNION 2 a b AGGREGATE MAX WITHSCORES",
                    "ZUNION 3 a b c WITHSCORES", "ZUNION 2 c c WEIGHTS 0 1 WITHSCORES", "ZUNION 2 c c WEIGHTS -1 1 WITHSCORES",
                    "ZINTER 2 a b WITHSCORES", "ZINTER 2 a b AGGREGATE MAX", "ZINTER 2 a nokey", "ZINTER 3 a b c WITHSCORES",
                    "ZDIFF 2 a b WITHSCORES", "ZDIFF 1 a", "ZDIFF 2 nokey a", "ZDIFF 2 a b WEIGHTS 1 1",
                    "ZUNION 0 a", "ZUNION 3 a b", "ZUNION 2 a b WEIGHTS 1", "ZUNION 2 a b WEIGHTS 1 x", "ZUNION 2 a b AGGREGATE AVG",
                    "ZUNIONSTORE d 2 a b", "ZRANGE d 0 -1 WITHSCORES", "ZINTERSTORE d 2 a b WEIGHTS 1 2",
                    "ZRANGE d 0 -1 WITHSCORES", "ZDIFFSTORE d 2 a b", "ZRANGE d 0 -1 WITHSCORES", "ZINTERSTORE d 2 a nokey",
                    "ZCARD d", "ZUNIONSTORE d 2 a b WITHSCORES", "ZUNIONSTORE d 0 a", "ZDIFFSTORE d 0 a",
                    "ZINTERCARD 2 a b", "ZINTERCARD 2 a b LIMIT 1", "ZINTERCARD 2 a b LIMIT -1", "ZINTERCARD 0 a",
                    "ZINTERCARD 3 a b", "ZINTERCARD 1 nokey", "ZINTERCARD 2 a b FOO");
        }
    }

    @Test
    void encodingsFollowTheConfig() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential("zset-max-listpack-entries 4", "zset-max-listpack-value 8")) {
            d.redis().call("CONFIG", "SET", "zset-max-listpack-entries", "4");
            d.redis().call("CONFIG", "SET", "zset-max-listpack-value", "8");
            d.runAll("ZADD e 1 a 2 b 3 c 4 d", "ZADD e 5 e", "ZREM e a b c", "ZADD v 1 aaaaaaaaaaaaa",
                    "ZADD w 1 a", "ZADD w 2 aaaaaaaaaaaaa", "ZADD x 1 a 2 b",
                    "ZUNIONSTORE u 2 e x", "ZUNIONSTORE u 1 x", "ZRANGESTORE u e 0 1", "ZADD n -0.0 m", "ZSCORE n m",
                    "ZADD sk 1 a 2 b 3 c 4 d 5 e 6 f", "ZADD sk -0.0 z", "ZSCORE sk z", "ZRANGE sk 0 -1 WITHSCORES",
                    "ZRANK sk d", "ZREVRANK sk d", "ZRANGEBYSCORE sk (2 5", "ZSCAN x 0 MATCH a*", "ZSCAN x 0 COUNT 0",
                    "ZSCAN x x");
        }
    }

    @Test
    void encodingNamesFollowRedisThresholds() {
        try (AmdcServer s = AmdcServer.start("zset-max-listpack-entries 4", "zset-max-listpack-value 8");
             Jedis j = new Jedis(s.host(), s.port())) {
            j.zadd("e", Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0));
            assertThat(encoding(s, "e")).isEqualTo("listpack");
            j.zadd("e", 5, "e");
            assertThat(encoding(s, "e")).isEqualTo("skiplist");
            j.zrem("e", "a", "b", "c");
            assertThat(encoding(s, "e")).isEqualTo("skiplist");
            j.zadd("v", 1, "aaaaaaaaaaaaa");
            assertThat(encoding(s, "v")).isEqualTo("skiplist");
            j.zadd("x", Map.of("a", 1.0, "b", 2.0));
            j.zunionstore("u", "e", "x");
            assertThat(encoding(s, "u")).isEqualTo("listpack");
            j.zrangestore("u", "v", redis.clients.jedis.params.ZRangeParams.zrangeParams(0, -1));
            assertThat(encoding(s, "u")).isEqualTo("skiplist");
        }
    }

    private static String encoding(AmdcServer s, String key) {
        return ((io.amdc.core.types.TypedValue) s.engine().keyspace().db(0).peek(key.getBytes())).encoding();
    }

    @Test
    void doublesFormatLikeRedis() {
        assumeTrue(RedisServerProcess.available());
        Random r = new Random(7);
        try (Differential d = new Differential()) {
            for (int i = 0; i < 300; i++) {
                double v = switch (i % 4) {
                    case 0 -> r.nextDouble();
                    case 1 -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(60) - 30);
                    case 2 -> Double.longBitsToDouble(r.nextLong());
                    default -> r.nextInt(100000) / 1000.0;
                };
                if (Double.isNaN(v) || Double.isInfinite(v)) continue;
                d.run("ZADD", "f", Double.toString(v), "m" + i);
                d.run("ZSCORE", "f", "m" + i);
            }
            d.run("ZINCRBY", "f", "0.1", "m1");
            d.amdc().call("HELLO", "3");
            d.redis().call("HELLO", "3");
            d.run("ZRANGE", "f", "0", "-1", "WITHSCORES");
            d.assertSame();
        }
    }

    /** Random command sequences on a few small keys, with small and large encodings. */
    @Test
    void randomSequencesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        Random r = new Random(42);
        String[] members = {"a", "b", "c", "d", "e", "f", "g", "h"};
        String[] scores = {"0", "1", "2", "2.5", "-1", "inf", "-inf", "(1", "(2", "3"};
        String[] lex = {"-", "+", "[a", "(c", "[e", "(h"};
        try (Differential d = new Differential("zset-max-listpack-entries 5")) {
            d.redis().call("CONFIG", "SET", "zset-max-listpack-entries", "5");
            for (int i = 0; i < 600; i++) {
                String k = "k" + r.nextInt(3);
                String m = members[r.nextInt(members.length)];
                String s = scores[r.nextInt(6)];
                switch (r.nextInt(16)) {
                    case 0, 1 -> d.run("ZADD", k, s, m, scores[r.nextInt(6)], members[r.nextInt(8)]);
                    case 2 -> d.run("ZADD", k, r.nextBoolean() ? "GT" : "LT", "CH", s, m);
                    case 3 -> d.run("ZINCRBY", k, scores[r.nextInt(5)], m);
                    case 4 -> d.run("ZREM", k, m);
                    case 5 -> d.run("ZRANGE", k, "" + (r.nextInt(8) - 4), "" + (r.nextInt(8) - 4), "WITHSCORES");
                    case 6 -> d.run("ZRANGEBYSCORE", k, scores[r.nextInt(scores.length)], scores[r.nextInt(scores.length)], "WITHSCORES");
                    case 7 -> d.run("ZREVRANGEBYSCORE", k, scores[r.nextInt(scores.length)], scores[r.nextInt(scores.length)], "LIMIT", "" + r.nextInt(3), "" + (r.nextInt(4) - 1));
                    case 8 -> d.run("ZRANGEBYLEX", k, lex[r.nextInt(lex.length)], lex[r.nextInt(lex.length)]);
                    case 9 -> d.run("ZCOUNT", k, scores[r.nextInt(scores.length)], scores[r.nextInt(scores.length)]);
                    case 10 -> d.run("ZRANK", k, m);
                    case 11 -> d.run(r.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", k, "" + r.nextInt(3));
                    case 12 -> d.run("ZREMRANGEBYSCORE", k, scores[r.nextInt(scores.length)], scores[r.nextInt(scores.length)]);
                    case 13 -> d.run("ZUNIONSTORE", "k" + r.nextInt(3), "2", k, "k" + r.nextInt(3), "AGGREGATE", r.nextBoolean() ? "MIN" : "MAX");
                    case 14 -> d.run("ZINTER", "2", k, "k" + r.nextInt(3), "WITHSCORES");
                    default -> d.run("ZCARD", k);
                }
                if (i % 50 == 0) d.run("ZRANGE", k, "0", "-1", "WITHSCORES");
            }
            d.assertSame();
        }
    }

    /**
     * Sets of thousands of members, so the large encoding's tree has many leaves and inner nodes
     * that split and merge; ranks, windows, score and lex ranges and removals compared with Redis.
     */
    @Test
    void largeSetsMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        Random r = new Random(11);
        try (Differential d = new Differential()) {
            for (int b = 0; b < 40; b++) {
                List<String> big = new ArrayList<>(List.of("ZADD", "big"));
                List<String> lex = new ArrayList<>(List.of("ZADD", "lex"));
                for (int i = 0; i < 100; i++) {
                    big.add(Integer.toString(r.nextInt(500)));
                    big.add("m" + r.nextInt(5000));
                    lex.add("0");
                    lex.add(Integer.toString(r.nextInt(100_000), 36));
                }
                d.run(big.toArray(new String[0]));
                d.run(lex.toArray(new String[0]));
            }
            for (int i = 0; i < 1500; i++) {
                String m = "m" + r.nextInt(5000);
                int a = r.nextInt(4000) - 200, len = r.nextInt(30);
                String lo = Integer.toString(r.nextInt(520) - 10), hi = Integer.toString(r.nextInt(520) - 10);
                String lx = "[" + Integer.toString(r.nextInt(100_000), 36), ly = "(" + Integer.toString(r.nextInt(100_000), 36);
                switch (r.nextInt(14)) {
                    case 0, 1, 2 -> d.run("ZADD", "big", Integer.toString(r.nextInt(500)), m);
                    case 3 -> d.run("ZINCRBY", "big", Integer.toString(r.nextInt(21) - 10), m);
                    case 4 -> d.run("ZREM", "big", m, "m" + r.nextInt(5000));
                    case 5 -> d.run("ZRANGE", "big", "" + a, "" + (a + len), "WITHSCORES");
                    case 6 -> d.run("ZREVRANGE", "big", "" + a, "" + (a + len));
                    case 7 -> d.run(r.nextBoolean() ? "ZRANK" : "ZREVRANK", "big", m);
                    case 8 -> d.run("ZCOUNT", "big", lo, "(" + hi);
                    case 9 -> d.run("ZRANGEBYSCORE", "big", lo, hi, "WITHSCORES", "LIMIT", "" + r.nextInt(50), "" + len);
                    case 10 -> d.run("ZLEXCOUNT", "lex", lx, ly);
                    case 11 -> d.run("ZRANGEBYLEX", "lex", lx, "+", "LIMIT", "0", "" + len);
                    case 12 -> d.run("ZREMRANGEBYRANK", "big", "" + a, "" + (a + r.nextInt(5)));
                    default -> d.run(r.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", "big", "" + r.nextInt(3));
                }
                if (i % 300 == 0) d.run("ZRANGE", "big", "0", "-1", "WITHSCORES");
            }
            d.run("ZRANGE", "big", "0", "-1", "WITHSCORES");
            d.run("ZRANGE", "lex", "0", "-1");
            d.run("OBJECT", "ENCODING", "big");
            d.assertSame();
        }
    }

    /** A score as a client would send it: integers, short decimals, shortest repr of any double, extremes. */
    private static String randomScore(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> Integer.toString(r.nextInt(2001) - 1000);
            case 1 -> (r.nextInt(200_001) - 100_000) / 100.0 + "";
            case 2 -> Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20));
            case 3 -> {
                double d;
                do d = Double.longBitsToDouble(r.nextLong()); while (Double.isNaN(d));
                yield Double.toString(d);
            }
            case 4 -> Long.toString(r.nextLong() >> r.nextInt(64));
            case 5 -> List.of("inf", "-inf", "+inf", "-0", "0.0", "1e-300", "-1.5e300", "4.9e-324", "9007199254740993",
                    "0.1", "0.30000000000000004", "123456789.123456789").get(r.nextInt(12));
            default -> r.nextInt(50) * 1.5 + "";
        };
    }

    @Test
    void listpackScoresRoundTripLikeRedis() {
        assumeTrue(RedisServerProcess.available());
        Random r = new Random(20261122);
        try (Differential d = new Differential("enable-debug-command yes")) {
            for (int k = 0; k < 60; k++) {
                String key = "z" + k;
                int n = 1 + r.nextInt(20);
                List<Object> zadd = new ArrayList<>(List.of("ZADD", key));
                for (int i = 0; i < n; i++) {
                    zadd.add(randomScore(r));
                    zadd.add("m" + r.nextInt(25));
                }
                d.run(zadd.toArray());
                d.run("ZINCRBY", key, randomScore(r), "m" + r.nextInt(25));
                d.run("ZREM", key, "m" + r.nextInt(25));
                d.run("OBJECT", "ENCODING", key);
                d.run("ZRANGE", key, "0", "-1", "WITHSCORES");
                d.run("ZRANGE", key, "0", "-1", "REV", "WITHSCORES");
                for (int i = 0; i < 25; i++) d.run("ZSCORE", key, "m" + i);
                String lo = randomScore(r);
                d.run("ZRANGEBYSCORE", key, lo, "+inf", "WITHSCORES");
                d.run("ZCOUNT", key, "(" + lo, "+inf");
                d.run("ZRANK", key, "m" + r.nextInt(25));
            }
            // Every score survives the RDB writer and reader (and DUMP/RESTORE) bit for bit.
            d.run("DEBUG", "RELOAD");
            for (int k = 0; k < 60; k++) {
                d.run("ZRANGE", "z" + k, "0", "-1", "WITHSCORES");
                d.run("OBJECT", "ENCODING", "z" + k);
                byte[] raw = d.amdc().callRaw("DUMP", "z" + k);
                String head = new String(raw, 0, Math.min(raw.length, 16), StandardCharsets.US_ASCII);
                if (head.startsWith("$-1")) continue;
                int crlf = head.indexOf("\r\n");
                int len = Integer.parseInt(head.substring(1, crlf));
                byte[] payload = Arrays.copyOfRange(raw, crlf + 2, crlf + 2 + len);
                // AMDC's payload restored into both servers must read back as the original.
                d.run("RESTORE", "copy" + k, "0", payload);
                d.run("ZRANGE", "copy" + k, "0", "-1", "WITHSCORES");
            }
            d.assertSame();
        }
    }
}
