package io.amdc.server.families;

import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.types.TypedValue;
import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generic key commands over the socket with Jedis: every command and option of KeyFamily. */
class KeyCommandsTest {
    private static AmdcServer server;
    private Jedis j;

    /** A stand-in aggregate so TYPE, SCAN TYPE, OBJECT ENCODING and COPY see a non-string value. */
    static final class FakeList extends io.amdc.core.types.AccountedValue {
        final List<String> items;

        FakeList(List<String> items) {
            this.items = items;
        }

        @Override
        public String typeName() {
            return "list";
        }

        @Override
        public String encoding() {
            return "listpack";
        }

        @Override
        public long memoryUsage() {
            return 16L * items.size();
        }

        @Override
        public TypedValue copy() {
            return new FakeList(new ArrayList<>(items));
        }
    }

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
        // No FLUSHALL in this family: clear the databases directly.
        Keyspace ks = server.engine().keyspace();
        ks.lockAll();
        try {
            for (int i = 0; i < ks.databases(); i++) ks.flush(i);
        } finally {
            ks.unlockAll();
        }
    }

    @org.junit.jupiter.api.AfterEach
    void disconnect() {
        j.close();
    }

    private static void putValue(int db, String key, Object value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        Keyspace ks = server.engine().keyspace();
        int slot = Slots.slot(k);
        ks.lock(slot);
        try {
            ks.db(db).set(k, value);
        } finally {
            ks.unlock(slot);
        }
    }

    private static Object valueOf(int db, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        Keyspace ks = server.engine().keyspace();
        int slot = Slots.slot(k);
        ks.lock(slot);
        try {
            return ks.db(db).peek(k);
        } finally {
            ks.unlock(slot);
        }
    }

    @Test
    void delAndUnlinkCountRemovedKeys() {
        j.set("a", "1");
        j.set("b", "2");
        j.set("c", "3");
        assertThat(j.del("a", "b", "nope", "a")).isEqualTo(2);
        assertThat(j.unlink("c", "nope")).isEqualTo(1);
        assertThat(j.exists("a", "b", "c")).isZero();
    }

    @Test
    void existsCountsDuplicates() {
        j.set("k", "v");
        assertThat(j.exists("k", "k", "k", "missing")).isEqualTo(3);
        assertThat(j.exists("k")).isTrue();
        assertThat(j.exists("missing")).isFalse();
    }

    @Test
    void typeOfStringsAggregatesAndMissingKeys() {
        j.set("s", "v");
        putValue(0, "l", new FakeList(List.of("a")));
        assertThat(j.type("s")).isEqualTo("string");
        assertThat(j.type("l")).isEqualTo("list");
        assertThat(j.type("none")).isEqualTo("none");
    }

    @Test
    void touchCountsExistingKeys() {
        j.set("a", "1");
        assertThat(j.touch("a", "a", "b")).isEqualTo(2);
    }

    @Test
    void idleTimeIsKeptByReadsThatDoNotTouchAndByRenameAndMove() throws Exception {
        for (String k : List.of("touched", "peeked", "renamed", "moved", "copied")) j.set(k, "v");
        Thread.sleep(2100);
        assertThat(j.touch("touched")).isEqualTo(1);
        j.type("peeked");
        j.exists("peeked");
        j.ttl("peeked");
        j.objectEncoding("peeked");
        j.rename("renamed", "renamed2");
        j.move("moved", 1);
        j.copy("copied", "copy", false);
        assertThat(j.objectIdletime("touched")).isZero();
        assertThat(j.objectIdletime("peeked")).isGreaterThanOrEqualTo(2);
        assertThat(j.objectIdletime("renamed2")).isGreaterThanOrEqualTo(2);
        assertThat(j.objectIdletime("copy")).isZero();
        j.select(1);
        assertThat(j.objectIdletime("moved")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void renameMovesValueAndTtl() {
        j.set("src", "v");
        j.expire("src", 100);
        j.set("dst", "old");
        assertThat(j.rename("src", "dst")).isEqualTo("OK");
        assertThat(j.get("dst")).isEqualTo("v");
        assertThat(j.ttl("dst")).isEqualTo(100);
        assertThat(j.exists("src")).isFalse();
        assertThat(j.rename("dst", "dst")).isEqualTo("OK");
        assertThatThrownBy(() -> j.rename("missing", "x")).hasMessage("ERR no such key");
        assertThatThrownBy(() -> j.rename("missing", "missing")).hasMessage("ERR no such key");
    }

    @Test
    void renameClearsDestinationTtlWhenSourceHasNone() {
        j.set("src", "v");
        j.set("dst", "old");
        j.expire("dst", 100);
        j.rename("src", "dst");
        assertThat(j.ttl("dst")).isEqualTo(-1);
    }

    @Test
    void renamenxOnlyWhenDestinationMissing() {
        j.set("a", "1");
        j.set("b", "2");
        assertThat(j.renamenx("a", "b")).isZero();
        assertThat(j.renamenx("a", "a")).isZero();
        assertThat(j.renamenx("a", "c")).isEqualTo(1);
        assertThat(j.get("c")).isEqualTo("1");
        assertThatThrownBy(() -> j.renamenx("a", "d")).hasMessage("ERR no such key");
    }

    @Test
    void moveToAnotherDatabaseKeepsTtl() {
        j.set("k", "v");
        j.expire("k", 50);
        assertThat(j.move("k", 3)).isEqualTo(1);
        assertThat(j.exists("k")).isFalse();
        j.select(3);
        assertThat(j.get("k")).isEqualTo("v");
        assertThat(j.ttl("k")).isEqualTo(50);
        j.select(0);
        j.set("k", "again");
        assertThat(j.move("k", 3)).as("target exists").isZero();
        assertThat(j.move("missing", 3)).isZero();
        assertThatThrownBy(() -> j.move("k", 0)).hasMessage("ERR source and destination objects are the same");
        assertThatThrownBy(() -> j.move("k", 16)).hasMessage("ERR DB index is out of range");
    }

    @Test
    void copyWithinAndAcrossDatabases() {
        j.set("s", "v");
        j.expire("s", 100);
        assertThat(j.copy("s", "d", false)).isTrue();
        assertThat(j.get("d")).isEqualTo("v");
        assertThat(j.ttl("d")).isEqualTo(100);
        j.set("d", "other");
        assertThat(j.copy("s", "d", false)).isFalse();
        assertThat(j.copy("s", "d", true)).isTrue();
        assertThat(j.get("d")).isEqualTo("v");
        assertThat(j.copy("s", "s", 2, false)).isTrue();
        j.select(2);
        assertThat(j.get("s")).isEqualTo("v");
        j.select(0);
        assertThat(j.copy("missing", "x", false)).isFalse();
        assertThatThrownBy(() -> j.copy("s", "s", false)).hasMessage("ERR source and destination objects are the same");
        assertThatThrownBy(() -> j.copy("s", "s", 0, false)).hasMessage("ERR source and destination objects are the same");
        assertThatThrownBy(() -> j.copy("s", "x", 99, false)).hasMessage("ERR DB index is out of range");
    }

    @Test
    void copyOfAnAggregateIsDeep() {
        FakeList src = new FakeList(new ArrayList<>(List.of("a", "b")));
        putValue(0, "l", src);
        assertThat(j.copy("l", "l2", false)).isTrue();
        Object copy = valueOf(0, "l2");
        assertThat(copy).isInstanceOf(FakeList.class).isNotSameAs(src);
        src.items.add("c");
        assertThat(((FakeList) copy).items).containsExactly("a", "b");
        assertThat(j.type("l2")).isEqualTo("list");
    }

    @Test
    void swapdbExchangesContentsForConnectedClients() {
        j.set("in0", "a");
        try (Jedis other = new Jedis(server.host(), server.port())) {
            other.select(1);
            other.set("in1", "b");
            assertThat(j.swapDB(0, 1)).isEqualTo("OK");
            assertThat(j.get("in1")).isEqualTo("b");
            assertThat(j.exists("in0")).isFalse();
            assertThat(other.get("in0")).isEqualTo("a");
            assertThat(j.swapDB(0, 0)).isEqualTo("OK");
        }
        assertThatThrownBy(() -> j.swapDB(0, 16)).hasMessage("ERR DB index is out of range");
        try (RawClient c = server.client()) {
            assertThat(c.call("SWAPDB", "x", "1")).isEqualTo("!ERR invalid first DB index");
            assertThat(c.call("SWAPDB", "1", "x")).isEqualTo("!ERR invalid second DB index");
        }
    }

    @Test
    void keysMatchesGlobPatterns() {
        for (String k : List.of("hello", "hallo", "hxllo", "hllo", "heeeello", "other")) j.set(k, "v");
        assertThat(j.keys("h?llo")).containsExactlyInAnyOrder("hello", "hallo", "hxllo");
        assertThat(j.keys("h*llo")).containsExactlyInAnyOrder("hello", "hallo", "hxllo", "hllo", "heeeello");
        assertThat(j.keys("h[ae]llo")).containsExactlyInAnyOrder("hello", "hallo");
        assertThat(j.keys("h[^e]llo")).containsExactlyInAnyOrder("hallo", "hxllo");
        assertThat(j.keys("*")).hasSize(6);
        assertThat(j.keys("nomatch*")).isEmpty();
    }

    @Test
    void scanVisitsEveryKeyWithMatchCountAndType() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            j.set("key:" + i, "v");
            expected.add("key:" + i);
        }
        putValue(0, "list:1", new FakeList(List.of("x")));
        assertThat(scanAll(new ScanParams().count(7), null)).hasSize(501);
        assertThat(scanAll(new ScanParams().match("key:*").count(100), null)).isEqualTo(expected);
        assertThat(scanAll(new ScanParams(), "list")).containsExactly("list:1");
        assertThat(scanAll(new ScanParams(), "string")).isEqualTo(expected);
        assertThat(scanAll(new ScanParams().match("key:1?"), null)).hasSize(10);
        assertThat(scanAll(new ScanParams(), "nosuchtype")).isEmpty();
    }

    @Test
    void scanReturnsAtLeastCountKeysPerCallUntilDone() {
        for (int i = 0; i < 1000; i++) j.set("k" + i, "v");
        ScanResult<String> r = j.scan("0", new ScanParams().count(50));
        assertThat(r.getResult().size()).isGreaterThanOrEqualTo(50);
        assertThat(r.getCursor()).isNotEqualTo("0");
    }

    @Test
    void scanErrors() {
        try (RawClient c = server.client()) {
            assertThat(c.call("SCAN", "abc")).isEqualTo("!ERR invalid cursor");
            assertThat(c.call("SCAN", "18446744073709551616")).isEqualTo("!ERR invalid cursor");
            assertThat(c.call("SCAN", "0", "COUNT", "0")).isEqualTo("!ERR syntax error");
            assertThat(c.call("SCAN", "0", "COUNT", "x")).isEqualTo("!ERR value is not an integer or out of range");
            assertThat(c.call("SCAN", "0", "MATCH")).isEqualTo("!ERR syntax error");
            assertThat(c.call("SCAN", "0", "FOO", "bar")).isEqualTo("!ERR syntax error");
            assertThat(c.call("SCAN", "18446744073709551615")).isEqualTo("[0, []]");
        }
    }

    private Set<String> scanAll(ScanParams params, String type) {
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        do {
            ScanResult<String> r = type == null ? j.scan(cursor, params) : j.scan(cursor, params, type);
            seen.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        return seen;
    }

    @Test
    void randomkeyReturnsExistingKeysOrNil() {
        assertThat(j.randomKey()).isNull();
        Set<String> all = Set.of("a", "b", "c", "d");
        for (String k : all) j.set(k, "v");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) seen.add(j.randomKey());
        assertThat(seen).isEqualTo(all);
    }

    @Test
    void randomkeySkipsExpiredKeys() throws Exception {
        Keyspace ks = server.engine().keyspace();
        ks.activeExpire(false);
        try {
            j.set("gone", "v", SetParams.setParams().px(1));
            Thread.sleep(5);
            assertThat(j.randomKey()).isNull();
            assertThat(j.keys("*")).isEmpty();
            assertThat(j.scan("0").getResult()).isEmpty();
        } finally {
            ks.activeExpire(true);
        }
    }

    @Test
    void objectEncodingOfStringsAndAggregates() {
        j.set("i", "12345");
        j.set("neg", "-9223372036854775808");
        j.set("lead0", "0123");
        j.set("e", "x".repeat(44));
        j.set("r", "x".repeat(45));
        putValue(0, "l", new FakeList(List.of("x")));
        assertThat(j.objectEncoding("i")).isEqualTo("int");
        assertThat(j.objectEncoding("neg")).isEqualTo("int");
        assertThat(j.objectEncoding("lead0")).isEqualTo("embstr");
        assertThat(j.objectEncoding("e")).isEqualTo("embstr");
        assertThat(j.objectEncoding("r")).isEqualTo("raw");
        assertThat(j.objectEncoding("l")).isEqualTo("listpack");
        assertThat(j.objectEncoding("missing")).isNull();
    }

    @Test
    void objectRefcountIdletimeAndHelp() {
        j.set("small", "100");
        j.set("big", "10000");
        j.set("s", "abc");
        assertThat(j.objectRefcount("small")).isEqualTo(Integer.MAX_VALUE);
        assertThat(j.objectRefcount("big")).isEqualTo(1);
        assertThat(j.objectRefcount("s")).isEqualTo(1);
        assertThat(j.objectRefcount("missing")).isNull();
        assertThat(j.objectIdletime("s")).isBetween(0L, 1L);
        assertThat(j.objectIdletime("missing")).isNull();
        assertThat(j.objectHelp()).first().asString().startsWith("OBJECT <subcommand>");
        assertThatThrownBy(() -> j.objectFreq("s")).isInstanceOf(JedisDataException.class)
                .hasMessageStartingWith("ERR An LFU maxmemory policy is not selected");
        assertThat(j.objectFreq("missing")).isNull();
    }

    @Test
    void objectFreqUnderAnLfuPolicy() {
        try (AmdcServer lfu = AmdcServer.start("maxmemory-policy allkeys-lfu");
             Jedis c = new Jedis(lfu.host(), lfu.port())) {
            c.set("k", "v");
            assertThat(c.objectFreq("k")).isBetween(0L, 255L);
            assertThatThrownBy(() -> c.objectIdletime("k"))
                    .hasMessageStartingWith("ERR An LFU maxmemory policy is selected, idle time not tracked.");
        }
    }

    @Test
    void sharedIntegersAreNotReportedUnderAnLruMaxmemoryPolicy() {
        try (AmdcServer lru = AmdcServer.start("maxmemory 100mb", "maxmemory-policy allkeys-lru");
             Jedis c = new Jedis(lru.host(), lru.port())) {
            c.set("k", "5");
            assertThat(c.objectRefcount("k")).isEqualTo(1);
        }
    }

    @Test
    void expireFamilySetsTtls() {
        j.set("k", "v");
        assertThat(j.expire("k", 100)).isEqualTo(1);
        assertThat(j.ttl("k")).isEqualTo(100);
        assertThat(j.pexpire("k", 5000)).isEqualTo(1);
        assertThat(j.pttl("k")).isBetween(4900L, 5000L);
        long at = System.currentTimeMillis() / 1000 + 1000;
        assertThat(j.expireAt("k", at)).isEqualTo(1);
        assertThat(j.expireTime("k")).isEqualTo(at);
        assertThat(j.pexpireTime("k")).isEqualTo(at * 1000);
        assertThat(j.pexpireAt("k", at * 1000 + 123)).isEqualTo(1);
        assertThat(j.pexpireTime("k")).isEqualTo(at * 1000 + 123);
        assertThat(j.expireTime("k")).isEqualTo(at);
        j.pexpireAt("k", at * 1000 + 600);
        assertThat(j.expireTime("k")).as("rounded to the nearest second").isEqualTo(at + 1);
        assertThat(j.expire("missing", 100)).isZero();
        assertThat(j.ttl("missing")).isEqualTo(-2);
        assertThat(j.pttl("missing")).isEqualTo(-2);
        assertThat(j.expireTime("missing")).isEqualTo(-2);
        assertThat(j.pexpireTime("missing")).isEqualTo(-2);
    }

    @Test
    void expireOptions() {
        j.set("k", "v");
        assertThat(j.expire("k", 100, ExpiryOption.XX)).as("XX without ttl").isZero();
        assertThat(j.expire("k", 100, ExpiryOption.GT)).as("GT: no ttl is infinite").isZero();
        assertThat(j.expire("k", 100, ExpiryOption.LT)).as("LT: no ttl is infinite").isEqualTo(1);
        assertThat(j.expire("k", 200, ExpiryOption.NX)).isZero();
        assertThat(j.expire("k", 50, ExpiryOption.GT)).isZero();
        assertThat(j.expire("k", 200, ExpiryOption.GT)).isEqualTo(1);
        assertThat(j.ttl("k")).isEqualTo(200);
        assertThat(j.expire("k", 300, ExpiryOption.LT)).isZero();
        assertThat(j.expire("k", 30, ExpiryOption.LT)).isEqualTo(1);
        assertThat(j.expire("k", 40, ExpiryOption.XX)).isEqualTo(1);
        assertThat(j.ttl("k")).isEqualTo(40);
        assertThat(j.persist("k")).isEqualTo(1);
        assertThat(j.expire("k", 40, ExpiryOption.NX)).isEqualTo(1);
        assertThat(j.pexpire("k", 1_000_000, ExpiryOption.GT)).isEqualTo(1);
        assertThat(j.pexpireAt("k", 1, ExpiryOption.LT)).as("past time deletes").isEqualTo(1);
        assertThat(j.exists("k")).isFalse();
        try (RawClient c = server.client()) {
            c.call("SET", "k", "v");
            assertThat(c.call("EXPIRE", "k", "10", "NX", "XX"))
                    .isEqualTo("!ERR NX and XX, GT or LT options at the same time are not compatible");
            assertThat(c.call("EXPIRE", "k", "10", "NX", "GT"))
                    .isEqualTo("!ERR NX and XX, GT or LT options at the same time are not compatible");
            assertThat(c.call("EXPIRE", "k", "10", "GT", "LT"))
                    .isEqualTo("!ERR GT and LT options at the same time are not compatible");
            assertThat(c.call("EXPIRE", "k", "10", "XX", "GT")).isEqualTo("(integer) 0");
            assertThat(c.call("EXPIRE", "k", "abc", "foo")).isEqualTo("!ERR Unsupported option foo");
            assertThat(c.call("EXPIRE", "k", "abc")).isEqualTo("!ERR value is not an integer or out of range");
            assertThat(c.call("EXPIRE", "k", "9223372036854775807")).isEqualTo("!ERR invalid expire time in 'expire' command");
            assertThat(c.call("PEXPIRE", "k", "9223372036854775807")).isEqualTo("!ERR invalid expire time in 'pexpire' command");
            assertThat(c.call("EXPIREAT", "k", "9223372036854775807")).isEqualTo("!ERR invalid expire time in 'expireat' command");
            assertThat(c.call("expire", "k", "-9223372036854775808")).isEqualTo("!ERR invalid expire time in 'expire' command");
            assertThat(c.call("MOVE", "k", "4294967296"))
                    .isEqualTo("!ERR value is out of range, value must between -2147483648 and 2147483647");
            assertThat(c.call("GET", "k")).isEqualTo("v");
        }
    }

    @Test
    void pastExpiryDeletesTheKey() {
        j.set("a", "v");
        j.set("b", "v");
        j.set("c", "v");
        j.set("d", "v");
        assertThat(j.expire("a", -1)).isEqualTo(1);
        assertThat(j.pexpire("b", 0)).isEqualTo(1);
        assertThat(j.expireAt("c", 1)).isEqualTo(1);
        assertThat(j.pexpireAt("d", System.currentTimeMillis() - 1000)).isEqualTo(1);
        assertThat(j.exists("a", "b", "c", "d")).isZero();
    }

    @Test
    void ttlRoundsToTheNearestSecond() {
        j.set("k", "v");
        j.pexpire("k", 1499);
        assertThat(j.ttl("k")).isEqualTo(1);
        j.pexpire("k", 1700);
        assertThat(j.ttl("k")).isEqualTo(2);
        j.pexpire("k", 400);
        assertThat(j.ttl("k")).isEqualTo(0);
        j.persist("k");
        assertThat(j.ttl("k")).isEqualTo(-1);
        assertThat(j.pttl("k")).isEqualTo(-1);
        assertThat(j.expireTime("k")).isEqualTo(-1);
        assertThat(j.pexpireTime("k")).isEqualTo(-1);
    }

    @Test
    void persistRemovesTtl() {
        j.set("k", "v");
        assertThat(j.persist("k")).isZero();
        assertThat(j.persist("missing")).isZero();
        j.expire("k", 100);
        assertThat(j.persist("k")).isEqualTo(1);
        assertThat(j.ttl("k")).isEqualTo(-1);
        assertThat(j.persist("k")).isZero();
    }

    @Test
    void setClearsTtlAndKeysInOtherDbsAreSeparate() {
        j.set("k", "v");
        j.expire("k", 100);
        j.set("k", "w");
        assertThat(j.ttl("k")).isEqualTo(-1);
        j.select(1);
        assertThat(j.exists("k")).isFalse();
        assertThat(j.keys("*")).isEmpty();
    }

    @Test
    void objectSubcommandErrors() {
        try (RawClient c = server.client()) {
            assertThat(c.call("OBJECT")).isEqualTo("!ERR wrong number of arguments for 'object' command");
            assertThat(c.call("OBJECT", "foo", "k")).isEqualTo("!ERR unknown subcommand 'foo'. Try OBJECT HELP.");
            assertThat(c.call("OBJECT", "ENCODING")).isEqualTo("!ERR wrong number of arguments for 'object|encoding' command");
        }
    }
}
