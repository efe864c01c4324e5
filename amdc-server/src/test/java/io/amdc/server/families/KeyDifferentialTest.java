package io.amdc.server.families;

import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Generic key commands against redis-server: byte-identical replies and errors. */
class KeyDifferentialTest {
    @BeforeAll
    static void needRedis() {
        assumeTrue(RedisServerProcess.available());
    }

    @Test
    void delExistsTypeTouch() {
        try (Differential d = new Differential()) {
            d.runAll("SET a 1", "SET b 2", "EXISTS a a b c", "EXISTS c", "TYPE a", "TYPE c", "TOUCH a b c a",
                    "DEL a c a", "UNLINK b b", "EXISTS a b", "DEL", "EXISTS", "TYPE", "TYPE a b", "TOUCH", "UNLINK");
        }
    }

    @Test
    void renameAndRenamenx() {
        try (Differential d = new Differential()) {
            d.runAll("SET a 1", "RENAME a b", "GET b", "RENAME a b", "RENAME b b", "RENAME x x",
                    "EXPIRE b 100", "SET c 3", "RENAME b c", "TTL c", "GET c", "EXISTS b",
                    "SET d 4", "RENAMENX c d", "RENAMENX c c", "RENAMENX c e", "TTL e", "RENAMENX zz e",
                    "RENAME a", "RENAMENX a b c");
        }
    }

    @Test
    void moveCopySwapdb() {
        try (Differential d = new Differential()) {
            d.runAll("SET k v", "EXPIRE k 100", "MOVE k 0", "MOVE k x", "MOVE k 16", "MOVE k -1",
                    "MOVE k 4294967296", "MOVE k 1", "EXISTS k", "SELECT 1", "TTL k", "GET k", "MOVE nokey 0",
                    "SET k other", "SELECT 0", "SET k again", "MOVE k 1", "GET k",
                    "COPY k k", "COPY k k DB 0", "COPY k k DB 1", "COPY k k DB 1 REPLACE", "SELECT 1", "GET k",
                    "SELECT 0", "COPY k k2", "COPY k k2", "COPY k k2 replace", "COPY nokey k3", "COPY k k2 DB",
                    "COPY k k2 DB x", "COPY k k2 DB 99", "COPY k k2 DB -1", "COPY k k2 FOO", "COPY k k2 REPLACE REPLACE",
                    "EXPIRE k 200", "COPY k k4", "TTL k4", "COPY k",
                    "SWAPDB 0 1", "GET k", "SWAPDB 0 0", "SWAPDB x 1", "SWAPDB 1 x", "SWAPDB 0 16", "SWAPDB -1 0",
                    "SWAPDB 0 99999999999", "SWAPDB 1 0", "GET k", "SWAPDB 0");
        }
    }

    @Test
    void expireFamilyAndTtls() {
        long at = System.currentTimeMillis() / 1000 + 5000;
        try (Differential d = new Differential()) {
            d.runAll("SET k v", "TTL k", "PTTL k", "EXPIRETIME k", "PEXPIRETIME k", "TTL no", "PTTL no",
                    "EXPIRETIME no", "PEXPIRETIME no", "PERSIST k", "PERSIST no",
                    "EXPIRE k 100 XX", "EXPIRE k 100 GT", "EXPIRE k 100 LT", "TTL k", "EXPIRE k 200 NX",
                    "EXPIRE k 50 GT", "EXPIRE k 200 gt", "TTL k", "EXPIRE k 300 LT", "EXPIRE k 30 lt", "TTL k",
                    "EXPIRE k 40 XX", "TTL k", "EXPIRE k 10 NX XX", "EXPIRE k 10 NX GT", "EXPIRE k 10 NX LT",
                    "EXPIRE k 10 GT LT", "EXPIRE k 10 XX GT", "EXPIRE k 10 XX LT", "EXPIRE k 10 NX NX",
                    "EXPIRE k 10 foo", "EXPIRE k abc foo", "EXPIRE k abc NX XX", "EXPIRE k abc", "EXPIRE k 1.5",
                    "EXPIRE k 9223372036854775807", "EXPIRE k 9223372036854775", "EXPIRE k -9223372036854775808",
                    "PEXPIRE k 9223372036854775807", "EXPIREAT k 9223372036854775807",
                    "EXPIREAT k " + at, "EXPIRETIME k", "PEXPIRETIME k", "TTL k",
                    "PEXPIREAT k " + (at * 1000 + 999), "EXPIRETIME k", "PEXPIRETIME k",
                    "PERSIST k", "TTL k", "PERSIST k", "EXPIRE no 10", "PEXPIRE no 10 NX", "EXPIREAT no 1",
                    "PEXPIREAT k 9223372036854775807", "PEXPIRETIME k",
                    "EXPIRE k -1 GT", "EXISTS k", "EXPIRE k -1", "EXISTS k",
                    "SET k v", "PEXPIRE k 0", "EXISTS k", "SET k v", "EXPIREAT k 1", "EXISTS k",
                    "SET k v", "PEXPIREAT k -5", "EXISTS k", "SET k v", "PEXPIRE k -9223372036854775808", "EXISTS k",
                    "SET k v", "EXPIRE k 100", "SET k w", "TTL k", "SET k v EX 100", "TTL k",
                    "EXPIRE k", "TTL", "PERSIST", "EXPIRETIME a b");
        }
    }

    @Test
    void ttlRoundingMatches() throws Exception {
        try (Differential d = new Differential()) {
            for (String ms : List.of("1499", "1501", "2600", "400", "100000")) {
                d.run("SET", "k", "v", "PX", ms);
                d.run("TTL", "k");
            }
            d.assertSame();
        }
    }

    @Test
    void objectSubcommands() {
        try (Differential d = new Differential()) {
            d.runAll("SET i 12345", "SET small 5", "SET zero 0", "SET neg -5", "SET min -9223372036854775808",
                    "SET max 9223372036854775807", "SET over 9223372036854775808", "SET lead 0123", "SET negzero -0",
                    "SET plus +5", "SET sp 1_2", "SET e " + "x".repeat(44), "SET r " + "x".repeat(45),
                    "SET ints 123456789012345678901");
            for (String k : List.of("i", "small", "zero", "neg", "min", "max", "over", "lead", "negzero", "plus",
                    "sp", "e", "r", "ints", "missing")) {
                d.run("OBJECT", "ENCODING", k);
                d.run("OBJECT", "REFCOUNT", k);
                // IDLETIME of a live key depends on when each server's clock ticks: KeyCommandsTest covers it.
                if (k.equals("missing")) d.run("OBJECT", "IDLETIME", k);
                d.run("OBJECT", "FREQ", k);
            }
            d.run("SET", "9999", "9999");
            d.run("SET", "k", "10000");
            d.run("OBJECT", "REFCOUNT", "9999");
            d.run("OBJECT", "REFCOUNT", "k");
            d.runAll("OBJECT HELP", "object help", "OBJECT", "OBJECT foo", "OBJECT foo bar", "OBJECT ENCODING",
                    "OBJECT ENCODING a b", "OBJECT HELP x", "OBJECT FREQ", "OBJECT IDLETIME", "OBJECT REFCOUNT");
        }
    }

    @Test
    void resp3Replies() {
        try (Differential d = new Differential()) {
            d.amdc().call("HELLO", "3"); // versions and ids differ by design
            d.redis().call("HELLO", "3");
            d.runAll("SET k 12", "TYPE k", "TYPE nokey", "OBJECT ENCODING nokey", "OBJECT ENCODING k", "OBJECT HELP",
                    "OBJECT IDLETIME nokey", "RANDOMKEY", "DEL k", "RANDOMKEY", "SCAN 0", "KEYS *", "TTL k",
                    "EXPIRETIME k", "COPY k x", "RENAME k x");
        }
    }

    @Test
    void randomkeyOnEmptyAndSingleKeyDatabases() {
        try (Differential d = new Differential()) {
            d.runAll("RANDOMKEY", "SET only v", "RANDOMKEY", "RANDOMKEY", "DEL only", "RANDOMKEY", "RANDOMKEY x");
        }
    }

    @Test
    void scanAndKeysErrors() {
        try (Differential d = new Differential()) {
            d.runAll("SCAN abc", "SCAN 18446744073709551616", "SCAN 1.5", "SCAN 0 COUNT 0", "SCAN 0 COUNT -1",
                    "SCAN 0 COUNT x", "SCAN 0 MATCH", "SCAN 0 COUNT", "SCAN 0 TYPE", "SCAN 0 FOO bar", "SCAN 0 x",
                    "SCAN", "KEYS", "KEYS a b", "SCAN 0", "KEYS *");
        }
    }

    @Test
    void keysAndFullScansReturnTheSameSetsAsRedis() {
        try (Differential d = new Differential()) {
            Random rnd = new Random(42);
            String[] prefixes = {"user:", "item:", "a", "b{tag}", "x?y", "h[e]llo", "", "*"};
            for (int i = 0; i < 400; i++) {
                String k = prefixes[rnd.nextInt(prefixes.length)] + rnd.nextInt(1000);
                d.run("SET", k, "v");
            }
            d.assertSame();
            for (String pattern : List.of("*", "user:*", "a?", "a??", "*1*", "b\\{tag}*", "[ab]*", "[^u]*", "x\\?y*",
                    "h[e]llo*", "h\\[e\\]llo*", "\\**", "*[0-4]", "nomatch", "user:1[0-9][0-9]")) {
                assertThat(sorted(d.amdc(), "KEYS", pattern)).as("KEYS " + pattern)
                        .isEqualTo(sorted(d.redis(), "KEYS", pattern));
                assertThat(scanAll(d.amdc(), "MATCH", pattern, "COUNT", "17")).as("SCAN MATCH " + pattern)
                        .isEqualTo(scanAll(d.redis(), "MATCH", pattern, "COUNT", "17"));
            }
            assertThat(scanAll(d.amdc(), "TYPE", "string")).isEqualTo(scanAll(d.redis(), "TYPE", "string"));
            assertThat(scanAll(d.amdc(), "TYPE", "STRING")).isEqualTo(scanAll(d.redis(), "TYPE", "STRING"));
            assertThat(scanAll(d.amdc(), "TYPE", "hash")).isEqualTo(scanAll(d.redis(), "TYPE", "hash")).isEmpty();
            assertThat(scanAll(d.amdc(), "TYPE", "nosuch")).isEqualTo(scanAll(d.redis(), "TYPE", "nosuch")).isEmpty();
            assertThat(scanAll(d.amdc(), "COUNT", "1000", "MATCH", "a*", "TYPE", "string"))
                    .isEqualTo(scanAll(d.redis(), "COUNT", "1000", "MATCH", "a*", "TYPE", "string"));
        }
    }

    /** Random sequences of key commands on a small key set, so states collide often. */
    @Test
    void randomisedKeyCommandSequences() {
        String[] keys = {"a", "b", "c", "{a}x"};
        try (Differential d = new Differential()) {
            Random rnd = new Random(7);
            for (int i = 0; i < 1500; i++) {
                String k = keys[rnd.nextInt(keys.length)];
                String k2 = keys[rnd.nextInt(keys.length)];
                switch (rnd.nextInt(18)) {
                    case 0, 1 -> d.run("SET", k, "v" + rnd.nextInt(100));
                    case 2 -> d.run("DEL", k, k2);
                    case 3 -> d.run("EXISTS", k, k2, k);
                    case 4 -> d.run("TYPE", k);
                    case 5 -> d.run("RENAME", k, k2);
                    case 6 -> d.run("RENAMENX", k, k2);
                    case 7 -> d.run("MOVE", k, String.valueOf(rnd.nextInt(3)));
                    case 8 -> d.run("COPY", k, k2, "DB", String.valueOf(rnd.nextInt(3)), rnd.nextBoolean() ? "REPLACE" : "x");
                    case 9 -> d.run("COPY", k, k2);
                    case 10 -> d.run("SELECT", String.valueOf(rnd.nextInt(3)));
                    case 11 -> d.run("EXPIRE", k, String.valueOf(100 + rnd.nextInt(1000)),
                            List.of("NX", "XX", "GT", "LT").get(rnd.nextInt(4)));
                    case 12 -> d.run("TTL", k);
                    case 13 -> d.run("PERSIST", k);
                    case 14 -> d.run("EXPIRE", k, String.valueOf(rnd.nextInt(3) - 1));
                    case 15 -> d.run("GET", k);
                    case 16 -> d.run("SWAPDB", String.valueOf(rnd.nextInt(3)), String.valueOf(rnd.nextInt(3)));
                    default -> d.run("OBJECT", "ENCODING", k);
                }
            }
            d.assertSame();
            for (int db = 0; db < 3; db++) {
                d.run("SELECT", String.valueOf(db));
                assertThat(sorted(d.amdc(), "KEYS", "*")).isEqualTo(sorted(d.redis(), "KEYS", "*"));
            }
        }
    }

    private static Set<String> sorted(RawClient c, String... cmd) {
        return new TreeSet<>(items(c.call((Object[]) cmd)));
    }

    /** A whole SCAN iteration's keys (cursors differ between servers by design). */
    private static Set<String> scanAll(RawClient c, String... options) {
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        do {
            List<Object> args = new ArrayList<>(List.of("SCAN", cursor));
            args.addAll(List.of(options));
            String reply = c.call(args.toArray());
            // "[cursor, [k1, k2]]"
            int comma = reply.indexOf(',');
            cursor = reply.substring(1, comma);
            seen.addAll(items(reply.substring(comma + 2, reply.length() - 1)));
        } while (!cursor.equals("0"));
        return new TreeSet<>(seen);
    }

    /** Splits a rendered flat array "[a, b]"; keys in these tests contain no ", ". */
    private static List<String> items(String rendered) {
        String body = rendered.substring(1, rendered.length() - 1);
        return body.isEmpty() ? List.of() : List.of(body.split(", "));
    }
}
