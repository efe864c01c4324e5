package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HyperLogLogTest {

    /** PFADD key e1..en in batches of {@code batch}, each reply compared. */
    private static void addAll(Differential d, String key, List<String> elements, int batch) {
        for (int i = 0; i < elements.size(); i += batch) {
            List<Object> cmd = new ArrayList<>();
            cmd.add("PFADD");
            cmd.add(key);
            cmd.addAll(elements.subList(i, Math.min(elements.size(), i + batch)));
            d.run(cmd.toArray());
        }
    }

    private static List<String> randomElements(Random rnd, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = 1 + rnd.nextInt(20);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < len; k++) sb.append((char) ('!' + rnd.nextInt(90)));
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void jedisBasics() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            assertThat(j.pfadd("h", "a", "b", "c")).isEqualTo(1);
            assertThat(j.pfadd("h", "a")).isEqualTo(0);
            assertThat(j.pfcount("h")).isEqualTo(3);
            assertThat(j.pfadd("h2", "c", "d")).isEqualTo(1);
            assertThat(j.pfcount("h", "h2")).isEqualTo(4);
            assertThat(j.pfmerge("m", "h", "h2")).isEqualTo("OK");
            assertThat(j.pfcount("m")).isEqualTo(4);
            assertThat(j.pfcount("missing")).isZero();
            assertThat(j.get("h")).startsWith("HYLL");
            assertThat(j.pfadd("empty")).isEqualTo(1);
            assertThat(j.pfcount("empty")).isZero();
        }
    }

    @Test
    void sparseSketchesAreByteIdentical() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            Random rnd = new Random(1);
            for (int round = 0; round < 5; round++) {
                String key = "s" + round;
                List<String> els = randomElements(rnd, 50 + rnd.nextInt(400));
                addAll(d, key, els, 1 + rnd.nextInt(30));
                d.run("GET", key);
                d.run("PFDEBUG", "ENCODING", key);
                d.run("PFDEBUG", "DECODE", key);
                d.run("PFCOUNT", key);
                d.run("GET", key); // now with the cached count
                d.run("PFCOUNT", key);
            }
            d.run("PFCOUNT", "s0", "s1", "s2", "nosuch");
            d.run("PFMERGE", "m", "s0", "s1");
            d.run("GET", "m");
            d.run("PFCOUNT", "m");
            d.run("PFMERGE", "s2", "s3", "s4");
            d.run("GET", "s2");
            d.assertSame();
        }
    }

    @Test
    void denseSketchesAreByteIdentical() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            Random rnd = new Random(2);
            List<String> a = randomElements(rnd, 10_000);
            addAll(d, "a", a, 500);
            d.run("PFDEBUG", "ENCODING", "a");
            d.run("GET", "a");
            d.run("PFCOUNT", "a");
            d.run("GET", "a");
            List<String> b = randomElements(rnd, 100_000);
            addAll(d, "b", b, 1000);
            d.run("GET", "b");
            d.run("PFCOUNT", "b");
            d.run("PFCOUNT", "a", "b");
            addAll(d, "small", randomElements(rnd, 100), 10);
            d.run("PFMERGE", "small", "a");  // sparse destination merged with a dense source
            d.run("GET", "small");
            d.run("PFMERGE", "fresh", "b", "a");
            d.run("GET", "fresh");
            d.run("PFCOUNT", "fresh");
            d.run("PFADD", "tiny", "x");
            d.run("PFDEBUG", "TODENSE", "tiny");
            d.run("PFDEBUG", "TODENSE", "tiny");
            d.run("GET", "tiny");
            d.run("PFDEBUG", "GETREG", "tiny");
            d.assertSame();
        }
    }

    @Test
    void promotionAtSparseMaxBytesMatches() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential("hll-sparse-max-bytes 6000")) {
            d.redis().call("CONFIG", "SET", "hll-sparse-max-bytes", "6000");
            Random rnd = new Random(3);
            List<String> els = randomElements(rnd, 3000);
            for (int i = 0; i < els.size(); i += 100) {
                List<Object> cmd = new ArrayList<>(List.of("PFADD", "p"));
                cmd.addAll(els.subList(i, i + 100));
                d.run(cmd.toArray());
                d.run("PFDEBUG", "ENCODING", "p");
                d.run("GET", "p");
            }
            d.run("GET", "p");
            d.assertSame();
        }
    }

    @Test
    void errorsMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll("SET str hello", "PFADD str a", "PFCOUNT str", "PFCOUNT nosuch str", "PFMERGE dst str",
                    "PFDEBUG ENCODING str", "PFDEBUG ENCODING nosuch", "PFADD h a b", "PFDEBUG NOPE h",
                    "PFDEBUG ENCODING h", "PFADD", "PFCOUNT", "PFDEBUG GETREG", "HSET hh f v", "PFADD hh a",
                    "PFCOUNT hh", "PFMERGE hh h", "PFMERGE h hh", "SET num 123", "PFCOUNT num",
                    "PFSELFTEST", "PFMERGE onlydest", "GET onlydest");
            // A sparse stream that no longer covers 16384 registers.
            d.run("SET", "bad", new byte[] {'H', 'Y', 'L', 'L', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80, 0x7f, (byte) 0xf0});
            d.run("PFCOUNT", "bad");
            d.run("PFADD", "bad", "x", "y");
            d.run("PFMERGE", "d2", "bad");
            d.run("PFDEBUG", "GETREG", "bad");
            // Dense header with the wrong length is not an HLL at all.
            d.run("SET", "shortdense", new byte[] {'H', 'Y', 'L', 'L', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
            d.run("PFCOUNT", "shortdense");
            d.run("SET", "badenc", new byte[] {'H', 'Y', 'L', 'L', 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            d.run("PFADD", "badenc", "a");
            d.assertSame();
        }
    }

    @Test
    void cachedCardinalityIsReused() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            c.call("PFADD", "h", "a", "b");
            assertThat(c.call("PFCOUNT", "h")).isEqualTo("(integer) 2");
            byte[] v = bulkBytes(c.callRaw("GET", "h"));
            assertThat(v[8]).isEqualTo((byte) 2);
            assertThat(v[15] & 0x80).isZero();
            c.call("PFADD", "h", "c");
            v = bulkBytes(c.callRaw("GET", "h"));
            assertThat(v[15] & 0x80).isNotZero();
        }
    }

    private static byte[] bulkBytes(byte[] raw) {
        int nl = 0;
        while (raw[nl] != '\n') nl++;
        return java.util.Arrays.copyOfRange(raw, nl + 1, raw.length - 2);
    }
}
