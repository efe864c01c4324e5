package io.amdc.server.persist;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Function libraries through RDB, and deterministic AOF records of SPOP, XADD and HINCRBYFLOAT. */
class PersistenceGapsTest {
    @TempDir
    Path tmp;

    private static final String LIB = "#!lua name=mylib\nredis.register_function('twice', function(keys, args) return args[1] * 2 end)";

    @Test
    void functionsSurviveDebugReloadAndRestart() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("fn"));
        try (AmdcServer a = AmdcServer.start("dir " + dir, "enable-debug-command yes"); RawClient c = a.client()) {
            assertThat(c.call("FUNCTION", "LOAD", LIB)).isEqualTo("mylib");
            assertThat(c.call("DEBUG", "RELOAD")).isEqualTo("OK");
            assertThat(c.call("FCALL", "twice", 0, 21)).isEqualTo("(integer) 42");
            assertThat(c.call("SAVE")).isEqualTo("OK");
        }
        try (AmdcServer a = AmdcServer.start("dir " + dir); RawClient c = a.client()) {
            assertThat(c.call("FCALL", "twice", 0, 5)).isEqualTo("(integer) 10");
        }
    }

    @Test
    void aofRecordsAreDeterministicAndThePreambleBaseSurvivesRestart() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("aof"));
        String xrange;
        try (AmdcServer a = AmdcServer.start("dir " + dir, "appendonly yes"); RawClient c = a.client()) {
            c.call("FUNCTION", "LOAD", LIB);
            c.call("SADD", "s", "a", "b", "c", "d", "e");
            c.call("SPOP", "s");
            c.call("SPOP", "s", "2");
            c.call("XADD", "x", "*", "f", "v");
            c.call("XADD", "x", "MAXLEN", "~", "1", "9999999999999-*", "f", "w");
            c.call("HINCRBYFLOAT", "h", "f", "1.5");
            assertThat(c.call("BGREWRITEAOF")).startsWith("Background");
            long deadline = System.currentTimeMillis() + 5000;
            while (c.call("INFO", "persistence").contains("aof_rewrite_in_progress:1") && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            c.call("SPOP", "s");
            c.call("XADD", "x", "*", "g", "1");
            String incr;
            try (var files = Files.list(dir.resolve("appendonlydir"))) {
                Path inc = files.filter(p -> p.toString().endsWith(".incr.aof")).sorted().reduce((x, y) -> y).orElseThrow();
                incr = Files.readString(inc, StandardCharsets.ISO_8859_1);
            }
            assertThat(incr).contains("SREM").doesNotContain("SPOP").doesNotContain("*\r\n$1\r\n*");
            assertThat(Files.list(dir.resolve("appendonlydir")).anyMatch(p -> p.toString().endsWith(".base.rdb"))).isTrue();
            xrange = c.call("XRANGE", "x", "-", "+");
        }
        try (AmdcServer a = AmdcServer.start("dir " + dir, "appendonly yes"); RawClient c = a.client()) {
            assertThat(c.call("SCARD", "s")).isEqualTo("(integer) 1");
            assertThat(c.call("XRANGE", "x", "-", "+")).isEqualTo(xrange);
            assertThat(c.call("HGET", "h", "f")).isEqualTo("1.5");
            assertThat(c.call("FCALL", "twice", 0, 1)).isEqualTo("(integer) 2");
        }
    }

    @Test
    void firstRecordsBeforeARewriteAreRewritten() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("rec"));
        try (AmdcServer a = AmdcServer.start("dir " + dir, "appendonly yes"); RawClient c = a.client()) {
            c.call("SADD", "s", "a", "b", "c");
            c.call("SPOP", "s", "2");
            c.call("XADD", "x", "5-*", "f", "v");
            c.call("HINCRBYFLOAT", "h", "f", "0.1");
            c.call("HINCRBYFLOAT", "h", "f", "0.2");
            String incr;
            try (var files = Files.list(dir.resolve("appendonlydir"))) {
                Path inc = files.filter(p -> p.toString().endsWith(".incr.aof")).findFirst().orElseThrow();
                incr = Files.readString(inc, StandardCharsets.ISO_8859_1);
            }
            assertThat(incr).contains("$4\r\nSREM\r\n$1\r\ns\r\n").doesNotContain("SPOP");
            assertThat(incr).contains("$3\r\n5-0\r\n").doesNotContain("5-*");
            assertThat(incr).contains("$4\r\nHSET\r\n$1\r\nh\r\n$1\r\nf\r\n$3\r\n0.3\r\n").doesNotContain("HINCRBYFLOAT");
        }
    }

    @Test
    void aTransactionReplaysAsOneUnit() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tx"));
        try (AmdcServer a = AmdcServer.start("dir " + dir, "appendonly yes"); RawClient c = a.client()) {
            c.call("MULTI");
            c.call("SET", "a", "1");
            c.call("GET", "a");
            c.call("INCR", "b");
            assertThat(c.call("EXEC")).isEqualTo("[OK, 1, (integer) 1]");
            c.call("MULTI");
            c.call("GET", "a");
            c.call("EXEC"); // read-only: no MULTI/EXEC in the file
            String incr;
            try (var files = Files.list(dir.resolve("appendonlydir"))) {
                Path inc = files.filter(p -> p.toString().endsWith(".incr.aof")).findFirst().orElseThrow();
                incr = Files.readString(inc, StandardCharsets.ISO_8859_1);
            }
            assertThat(incr).contains("*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n"
                    + "*2\r\n$4\r\nINCR\r\n$1\r\nb\r\n*1\r\n$4\r\nEXEC\r\n");
            assertThat(incr.split("MULTI", -1)).hasSize(2);
        }
    }

    @Test
    void aScriptsWritesReplayAsOneUnit() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("script"));
        try (AmdcServer a = AmdcServer.start("dir " + dir, "appendonly yes"); RawClient c = a.client()) {
            assertThat(c.call("EVAL", "redis.call('set', KEYS[1], 'v') redis.call('incr', KEYS[2]) return 1",
                    "2", "{t}a", "{t}b")).isEqualTo("(integer) 1");
            assertThat(c.call("EVAL", "return redis.call('set', KEYS[1], 'w')", "1", "one")).isEqualTo("OK");
            String incr;
            try (var files = Files.list(dir.resolve("appendonlydir"))) {
                Path inc = files.filter(p -> p.toString().endsWith(".incr.aof")).findFirst().orElseThrow();
                incr = Files.readString(inc, StandardCharsets.ISO_8859_1);
            }
            assertThat(incr).contains("*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nset\r\n$4\r\n{t}a\r\n$1\r\nv\r\n"
                    + "*2\r\n$4\r\nincr\r\n$4\r\n{t}b\r\n*1\r\n$4\r\nEXEC\r\n");
            // A single write needs no wrapping.
            assertThat(incr).contains("*3\r\n$3\r\nset\r\n$3\r\none\r\n$1\r\nw\r\n");
            assertThat(incr.split("MULTI", -1)).hasSize(2);
        }
    }
}
