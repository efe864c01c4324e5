package io.amdc.server.families;

import io.amdc.core.types.ListValue;
import io.amdc.core.types.TypedValue;
import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.params.LPosParams;
import redis.clients.jedis.util.KeyValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ListCommandsTest {

    @Test
    void jedisCoversEveryCommand() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            assertThat(j.rpush("l", "a", "b", "c")).isEqualTo(3);
            assertThat(j.lpush("l", "z")).isEqualTo(4);
            assertThat(j.lpushx("nope", "x")).isEqualTo(0);
            assertThat(j.rpushx("l", "d")).isEqualTo(5);
            assertThat(j.lrange("l", 0, -1)).containsExactly("z", "a", "b", "c", "d");
            assertThat(j.llen("l")).isEqualTo(5);
            assertThat(j.lindex("l", -1)).isEqualTo("d");
            assertThat(j.lset("l", 1, "A")).isEqualTo("OK");
            assertThat(j.linsert("l", ListPosition.BEFORE, "b", "x")).isEqualTo(6);
            assertThat(j.linsert("l", ListPosition.AFTER, "missing", "x")).isEqualTo(-1);
            assertThat(j.lpos("l", "x")).isEqualTo(2);
            assertThat(j.lpos("l", "x", LPosParams.lPosParams().rank(-1))).isEqualTo(2);
            assertThat(j.lpos("l", "x", LPosParams.lPosParams(), 0)).containsExactly(2L);
            assertThat(j.lrem("l", 0, "x")).isEqualTo(1);
            assertThat(j.ltrim("l", 1, -2)).isEqualTo("OK");
            assertThat(j.lrange("l", 0, -1)).containsExactly("A", "b", "c");
            assertThat(j.lpop("l")).isEqualTo("A");
            assertThat(j.rpop("l", 5)).containsExactly("c", "b");
            assertThat(j.llen("l")).isZero();
            j.rpush("s", "1", "2", "3");
            assertThat(j.lmove("s", "d", ListDirection.LEFT, ListDirection.RIGHT)).isEqualTo("1");
            assertThat(j.rpoplpush("s", "d")).isEqualTo("3");
            assertThat(j.lrange("d", 0, -1)).containsExactly("3", "1");
            KeyValue<String, List<String>> kv = j.lmpop(ListDirection.RIGHT, 2, "none", "d");
            assertThat(kv.getKey()).isEqualTo("d");
            assertThat(kv.getValue()).containsExactly("1", "3");
            j.set("str", "v");
            assertThatThrownBy(() -> j.lpush("str", "x")).hasMessageContaining("WRONGTYPE");
        }
    }

    @Test
    void repliesAndErrorsMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll(
                    "RPUSH l a b c d e f a b a", "LPUSH l x y", "LPUSHX nokey a", "RPUSHX nokey a", "LPUSHX l q", "RPUSHX l r",
                    "LRANGE l 0 -1", "LRANGE l -100 100", "LRANGE l 5 2", "LRANGE l 20 30", "LRANGE l -3 -1", "LRANGE l x 1",
                    "LRANGE nokey 0 -1", "LLEN l", "LLEN nokey",
                    "LINDEX l 0", "LINDEX l -1", "LINDEX l 100", "LINDEX l -100", "LINDEX l x", "LINDEX nokey x",
                    "LSET l 0 first", "LSET l -1 last", "LSET l 100 x", "LSET nokey 0 x", "LSET l x y",
                    "LINSERT l BEFORE a A", "LINSERT l AFTER a B", "LINSERT l AFTER nothere B", "LINSERT l MIDDLE a B",
                    "LINSERT nokey BEFORE a b",
                    "LPOS l a", "LPOS l a RANK 2", "LPOS l a RANK -1", "LPOS l a RANK -2 COUNT 0", "LPOS l a COUNT 0",
                    "LPOS l a COUNT 2 MAXLEN 5", "LPOS l a MAXLEN 3", "LPOS l zz", "LPOS l zz COUNT 3", "LPOS nokey a",
                    "LPOS nokey a COUNT 1", "LPOS l a COUNT -1", "LPOS l a MAXLEN -1",
                    "LPOS l a RANK", "LPOS l a FOO 1", "LPOS l a RANK x",
                    "LREM l 1 a", "LREM l -1 a", "LREM l 0 b", "LREM l x a", "LREM nokey 0 a", "LRANGE l 0 -1",
                    "LPOP l", "RPOP l", "LPOP l 2", "RPOP l 0", "LPOP l -1", "LPOP l x", "LPOP l 1 2", "LPOP nokey",
                    "LPOP nokey 2", "RPOP nokey 0", "RPOP l 100", "LLEN l",
                    "RPUSH t 0 1 2 3 4 5 6 7 8 9", "LTRIM t 2 -3", "LRANGE t 0 -1", "LTRIM t -100 100", "LTRIM t x 1",
                    "LTRIM t 5 1", "LLEN t", "LTRIM nokey 0 1",
                    "RPUSH s 1 2 3", "LMOVE s s LEFT RIGHT", "LRANGE s 0 -1", "LMOVE s d RIGHT LEFT", "LMOVE s d UP LEFT",
                    "LMOVE nokey d LEFT LEFT", "RPOPLPUSH s d", "RPOPLPUSH s d", "LLEN s", "LRANGE d 0 -1", "RPOPLPUSH nokey d",
                    "LMPOP 2 nokey d LEFT", "LMPOP 1 d RIGHT COUNT 10", "LMPOP 1 d LEFT", "LMPOP 0 d LEFT", "LMPOP -1 d LEFT",
                    "LMPOP x d LEFT", "LMPOP 3 d LEFT", "LMPOP 1 d MIDDLE", "LMPOP 1 d LEFT COUNT 0", "LMPOP 1 d LEFT COUNT x",
                    "LMPOP 1 d LEFT COUNT 1 COUNT 1", "LMPOP 1 d LEFT FOO", "LMPOP 1 d",
                    "LPUSH", "LPUSH k", "LINDEX k", "LMOVE a b LEFT", "LMPOP 1");
        }
    }

    @Test
    void wrongTypeMatchesRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll("SET str v", "RPUSH l a",
                    "LPUSH str a", "RPUSH str a", "LPUSHX str a", "RPUSHX str a", "LPOP str", "RPOP str 2", "LLEN str",
                    "LRANGE str 0 -1", "LINDEX str 0", "LSET str 0 a", "LINSERT str BEFORE a b", "LREM str 0 a",
                    "LTRIM str 0 1", "LPOS str a", "LMOVE str l LEFT LEFT", "LMOVE l str LEFT LEFT", "RPOPLPUSH l str",
                    "RPOPLPUSH str l", "LMPOP 2 nokey str LEFT", "BLPOP str 0", "BRPOP nokey str 0",
                    "BLMOVE str l LEFT LEFT 0", "BLMOVE l str LEFT LEFT 0", "BLMPOP 0 1 str LEFT", "LRANGE l 0 -1");
        }
    }

    @Test
    void resp3NullsMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.run("HELLO", "3");
            d.mismatches().clear(); // HELLO's server info differs by design
            d.runAll("LPOP nokey", "LPOP nokey 1", "RPOP nokey 3", "LINDEX nokey 0", "LPOS nokey a", "LMPOP 1 nokey LEFT",
                    "RPOPLPUSH nokey d", "BLPOP nokey 0.01", "BLMOVE nokey d LEFT LEFT 0.01", "BLMPOP 0.01 1 nokey LEFT",
                    "RPUSH l a b", "LPOP l 0", "LRANGE l 0 -1");
        }
    }

    @Test
    void randomisedSequencesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        Random rnd = new Random(7);
        String[] vals = {"a", "b", "c", "1", "-7", "300", "long-" + "x".repeat(70), "mid"};
        try (Differential d = new Differential("list-max-listpack-size 4")) {
            d.run("CONFIG", "SET", "list-max-listpack-size", "4");
            d.mismatches().clear();
            for (int i = 0; i < 2500; i++) {
                String k = "k" + rnd.nextInt(3);
                String k2 = "k" + rnd.nextInt(3);
                String v = vals[rnd.nextInt(vals.length)];
                String idx = String.valueOf(rnd.nextInt(14) - 7);
                String idx2 = String.valueOf(rnd.nextInt(14) - 7);
                String lr = rnd.nextBoolean() ? "LEFT" : "RIGHT";
                String lr2 = rnd.nextBoolean() ? "LEFT" : "RIGHT";
                switch (rnd.nextInt(17)) {
                    case 0 -> d.run("LPUSH", k, v, vals[rnd.nextInt(vals.length)]);
                    case 1 -> d.run("RPUSH", k, v);
                    case 2 -> d.run("LPOP", k);
                    case 3 -> d.run("RPOP", k, String.valueOf(rnd.nextInt(4)));
                    case 4 -> d.run("LRANGE", k, idx, idx2);
                    case 5 -> d.run("LINDEX", k, idx);
                    case 6 -> d.run("LSET", k, idx, v);
                    case 7 -> d.run("LINSERT", k, rnd.nextBoolean() ? "BEFORE" : "AFTER", vals[rnd.nextInt(vals.length)], v);
                    case 8 -> d.run("LREM", k, String.valueOf(rnd.nextInt(5) - 2), v);
                    case 9 -> d.run("LTRIM", k, idx, idx2);
                    case 10 -> d.run("LPOS", k, v, "RANK", String.valueOf(rnd.nextBoolean() ? 1 + rnd.nextInt(2) : -1 - rnd.nextInt(2)),
                            "COUNT", String.valueOf(rnd.nextInt(3)), "MAXLEN", String.valueOf(rnd.nextInt(6)));
                    case 11 -> d.run("LMOVE", k, k2, lr, lr2);
                    case 12 -> d.run("RPOPLPUSH", k, k2);
                    case 13 -> d.run("LMPOP", "2", k, k2, lr, "COUNT", String.valueOf(1 + rnd.nextInt(3)));
                    case 14 -> d.run("LLEN", k);
                    case 15 -> d.run("RPUSH", k, v, v, v, v, v);
                    default -> d.run("LRANGE", k, "0", "-1");
                }
            }
            for (int i = 0; i < 3; i++) d.run("LRANGE", "k" + i, "0", "-1");
            d.assertSame();
        }
    }

    /** Redis 7.2's LPOS errors (Debian's 7.0 words RANK 0 differently and accepts LONG_MIN). */
    @Test
    void lposRankErrorsAreRedis72s() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            c.call("RPUSH", "l", "a");
            assertThat(c.call("LPOS", "l", "a", "RANK", "0")).isEqualTo("!ERR RANK can't be zero: use 1 to start from the first match, "
                    + "2 from the second ... or -1 to start from the last match, -2 from the second last ...");
            assertThat(c.call("LPOS", "l", "a", "RANK", "-9223372036854775808")).isEqualTo(
                    "!ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
    }

    /**
     * Redis 7.2's listpack/quicklist conversions (Debian's 7.0 always says quicklist, so these are
     * worked out from 7.2's rules): 10-byte strings take 12 listpack bytes, a listpack has 7 bytes
     * of header, the default limit is 8192 bytes, and shrinking converts back at half the limit.
     */
    @Test
    void encodingConversionsFollowRedis72() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            for (int i = 0; i < 682; i++) c.call("RPUSH", "l", "abcdefghi" + (i % 10));
            assertThat(encoding(s, "l")).isEqualTo("listpack");
            c.call("RPUSH", "l", "abcdefghij");
            assertThat(encoding(s, "l")).isEqualTo("quicklist");
            c.call("RPOP", "l", String.valueOf(683 - 341));
            assertThat(encoding(s, "l")).isEqualTo("quicklist");
            c.call("RPOP", "l");
            assertThat(encoding(s, "l")).isEqualTo("listpack");
        }
        // A positive size counts entries.
        try (AmdcServer s = AmdcServer.start("list-max-listpack-size 4"); RawClient c = s.client()) {
            c.call("RPUSH", "n", "1", "2", "3", "4");
            assertThat(encoding(s, "n")).isEqualTo("listpack");
            c.call("RPUSH", "n", "5");
            assertThat(encoding(s, "n")).isEqualTo("quicklist");
            c.call("RPOP", "n", "3");
            assertThat(encoding(s, "n")).isEqualTo("listpack");
        }
        // One element over the size limit converts at once.
        try (AmdcServer s = AmdcServer.start("list-max-listpack-size -1"); RawClient c = s.client()) {
            c.call("RPUSH", "big", "x".repeat(5000));
            assertThat(encoding(s, "big")).isEqualTo("quicklist");
        }
    }

    private static String encoding(AmdcServer s, String key) {
        Object v = s.engine().keyspace().db(0).peek(key.getBytes(StandardCharsets.UTF_8));
        return ((TypedValue) v).encoding();
    }

    /** A million short strings stay packed: within 1.2x of Redis's ~13 bytes per element. */
    @Test
    void millionElementListIsCompact() {
        ListValue l = new ListValue(-2);
        long before = usedHeap();
        for (int i = 0; i < 1_000_000; i++) {
            byte[] v = ("item:" + (i % 100000)).getBytes(StandardCharsets.US_ASCII);
            l.growing(v.length, 1);
            l.push(v, true);
        }
        long after = usedHeap();
        assertThat(l.encoding()).isEqualTo("quicklist");
        // Redis: 1 header + ~10 data + 1 backlen per element, plus node overhead.
        double perElement = l.memoryUsage() / 1_000_000.0;
        assertThat(perElement).isLessThan(12 * 1.2 + 1);
        assertThat((after - before) / 1_000_000.0).isLessThan(12 * 1.2 + 1);
        assertThat(new String(l.get(999_999), StandardCharsets.US_ASCII)).isEqualTo("item:0");
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void lrangeOfLargeListMatchesModel() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            List<String> model = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                String v = "e" + i;
                if (i % 2 == 0) {
                    j.rpush("big", v);
                    model.add(v);
                } else {
                    j.lpush("big", v);
                    model.add(0, v);
                }
            }
            assertThat(j.lrange("big", 0, -1)).isEqualTo(model);
            assertThat(j.lrange("big", 2500, 2510)).isEqualTo(model.subList(2500, 2511));
            assertThat(j.lindex("big", 3333)).isEqualTo(model.get(3333));
            assertThat(j.lpos("big", "e4999")).isEqualTo(model.indexOf("e4999"));
        }
    }
}
