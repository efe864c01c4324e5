package io.amdc.server.families;

import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.Flag;
import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LCSParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.LCSMatchResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** String commands through Jedis, plus the command declarations checked against redis-server. */
class StringCommandsTest {
    private static AmdcServer server;
    private Jedis j;

    @BeforeAll
    static void start() {
        server = AmdcServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void connect() {
        j = new Jedis(server.host(), server.port());
    }

    @org.junit.jupiter.api.AfterEach
    void disconnect() {
        j.close();
    }

    private long ttlMs(String key) {
        return server.engine().keyspace().db(0).expireTime(key.getBytes());
    }

    @Test
    void setOptionsAndGetex() {
        assertThat(j.set("s1", "a", SetParams.setParams().nx())).isEqualTo("OK");
        assertThat(j.set("s1", "b", SetParams.setParams().nx())).isNull();
        assertThat(j.setGet("s1", "c")).isEqualTo("a");
        assertThat(j.set("s1", "d", SetParams.setParams().ex(100))).isEqualTo("OK");
        assertThat(ttlMs("s1")).isGreaterThan(System.currentTimeMillis());
        assertThat(j.set("s1", "e", SetParams.setParams().keepTtl())).isEqualTo("OK");
        assertThat(ttlMs("s1")).isGreaterThan(0);
        assertThat(j.getEx("s1", GetExParams.getExParams().persist())).isEqualTo("e");
        assertThat(ttlMs("s1")).isZero();
        assertThat(j.getEx("s1", GetExParams.getExParams().px(50_000))).isEqualTo("e");
        assertThat(ttlMs("s1")).isGreaterThan(System.currentTimeMillis() + 40_000);
        assertThat(j.getEx("s1", GetExParams.getExParams().pxAt(1))).isEqualTo("e");
        assertThat(j.get("s1")).isNull();
        assertThatThrownBy(() -> j.set("s1", "v", SetParams.setParams().ex(0)))
                .isInstanceOf(JedisDataException.class).hasMessage("ERR invalid expire time in 'set' command");
    }

    @Test
    void getdelGetsetSetnxSetex() {
        j.set("g1", "v");
        assertThat(j.getDel("g1")).isEqualTo("v");
        assertThat(j.getDel("g1")).isNull();
        assertThat(j.setnx("g2", "1")).isEqualTo(1L);
        assertThat(j.setnx("g2", "2")).isEqualTo(0L);
        j.setex("g2", 100, "x");
        assertThat(ttlMs("g2")).isGreaterThan(0);
        assertThat(j.getSet("g2", "y")).isEqualTo("x");
        assertThat(ttlMs("g2")).isZero();
        j.psetex("g3", 100_000, "z");
        assertThat(j.get("g3")).isEqualTo("z");
        assertThatThrownBy(() -> j.setex("g3", -1, "z")).hasMessage("ERR invalid expire time in 'setex' command");
        assertThat(j.msetnx("m1", "a", "m2", "b")).isEqualTo(1L);
        assertThat(j.msetnx("m2", "c", "m3", "d")).isEqualTo(0L);
        assertThat(j.mget("m1", "m2", "m3")).containsExactly("a", "b", null);
    }

    @Test
    void incrementsAndFloats() {
        assertThat(j.incr("n1")).isEqualTo(1L);
        assertThat(j.incrBy("n1", 41)).isEqualTo(42L);
        assertThat(j.decrBy("n1", 2)).isEqualTo(40L);
        assertThat(j.decr("n1")).isEqualTo(39L);
        assertThat(j.incrByFloat("f1", 0.1)).isEqualTo(0.1);
        assertThat(j.incrByFloat("f1", 0.2)).isEqualTo(0.3);
        assertThat(j.get("f1")).isEqualTo("0.3");
        j.set("f2", "10.50");
        assertThat(j.incrByFloat("f2", 0.1)).isEqualTo(10.6);
        assertThat(j.get("f2")).isEqualTo("10.6");
        j.set("f3", "5.0e3");
        assertThat(j.incrByFloat("f3", 2.0e2)).isEqualTo(5200);
        assertThat(j.get("f3")).isEqualTo("5200");
        assertThatThrownBy(() -> j.incrByFloat("f3", Double.POSITIVE_INFINITY))
                .hasMessage("ERR increment would produce NaN or Infinity");
        j.set("f4", "abc");
        assertThatThrownBy(() -> j.incrByFloat("f4", 1)).hasMessage("ERR value is not a valid float");
        j.set("n2", "9223372036854775807");
        assertThatThrownBy(() -> j.incr("n2")).hasMessage("ERR increment or decrement would overflow");
    }

    @Test
    void appendRangesLcs() {
        assertThat(j.append("a1", "Hello")).isEqualTo(5L);
        assertThat(j.append("a1", " World")).isEqualTo(11L);
        assertThat(j.strlen("a1")).isEqualTo(11L);
        assertThat(j.strlen("nothing")).isZero();
        assertThat(j.getrange("a1", 0, 4)).isEqualTo("Hello");
        assertThat(j.getrange("a1", -5, -1)).isEqualTo("World");
        assertThat(j.substr("a1", 6, 100)).isEqualTo("World");
        assertThat(j.setrange("a1", 6, "Redis")).isEqualTo(11L);
        assertThat(j.get("a1")).isEqualTo("Hello Redis");
        assertThat(j.setrange("a2", 3, "x")).isEqualTo(4L);
        assertThat(j.get("a2")).isEqualTo("\0\0\0x");
        assertThatThrownBy(() -> j.setrange("a2", 536870912, "x"))
                .hasMessage("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        assertThatThrownBy(() -> j.setrange("a2", -1, "x")).hasMessage("ERR offset is out of range");

        j.mset("l1", "ohmytext", "l2", "mynewtext");
        assertThat(j.lcs("l1", "l2", LCSParams.LCSParams()).getMatchString()).isEqualTo("mytext");
        assertThat(j.lcs("l1", "l2", LCSParams.LCSParams().len()).getLen()).isEqualTo(6);
        LCSMatchResult r = j.lcs("l1", "l2", LCSParams.LCSParams().idx().withMatchLen());
        assertThat(r.getLen()).isEqualTo(6);
        assertThat(r.getMatches()).hasSize(2);
        assertThat(r.getMatches().get(0).getA().getStart()).isEqualTo(4);
        assertThat(r.getMatches().get(0).getA().getEnd()).isEqualTo(7);
        assertThat(r.getMatches().get(0).getB().getStart()).isEqualTo(5);
        assertThat(r.getMatches().get(0).getMatchLen()).isEqualTo(4);
        assertThat(j.lcs("l1", "l2", LCSParams.LCSParams().idx().minMatchLen(4)).getMatches()).hasSize(1);
    }

    @Test
    void largeValuesRoundTrip() {
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 'x');
        j.set("big".getBytes(), big);
        assertThat(j.append("big".getBytes(), "yz".getBytes())).isEqualTo(big.length + 2L);
        assertThat(j.getrange("big", big.length, -1)).isEqualTo("yz");
    }

    /** Arity, flags, key positions and ACL categories equal redis-server's COMMAND INFO. */
    @Test
    void declarationsMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        String[] names = {"get", "set", "incr", "decr", "incrby", "decrby", "mset", "mget", "getex", "getdel",
                "getset", "msetnx", "setnx", "setex", "psetex", "append", "strlen", "incrbyfloat", "getrange",
                "setrange", "substr", "lcs", "setbit", "getbit", "bitcount", "bitpos", "bitop", "bitfield", "bitfield_ro"};
        try (RedisServerProcess redis = RedisServerProcess.start(); RawClient rc = redis.client()) {
            for (String name : names) {
                String info = rc.call("COMMAND", "INFO", name);
                CommandSpec s = server.engine().commands().lookup(name);
                assertThat(s).as(name).isNotNull();
                List<String> flags = new ArrayList<>();
                for (Flag f : Flag.values()) {
                    if (s.has(f)) flags.add(f.wire);
                }
                String expectedHead = "[[" + name + ", (integer) " + s.arity + ", " + flags + ", (integer) " + s.firstKey
                        + ", (integer) " + s.lastKey + ", (integer) " + s.keyStep + ", ";
                assertThat(info).as(name).startsWith(expectedHead);
                String acl = info.substring(expectedHead.length(), info.indexOf(']', expectedHead.length()) + 1);
                Set<String> redisAcl = new HashSet<>(Arrays.asList(acl.substring(1, acl.length() - 1).split(", ")));
                assertThat(new HashSet<>(s.aclCategories)).as(name).isEqualTo(redisAcl);
                assertThat(s.summary()).as(name).isNotEmpty();
            }
        }
    }
}
