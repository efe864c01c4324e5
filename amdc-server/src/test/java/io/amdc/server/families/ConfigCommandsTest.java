package io.amdc.server.families;

import io.amdc.core.Engine;
import io.amdc.core.config.Config;
import io.amdc.core.config.ConfigException;
import io.amdc.server.NettyServer;
import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ConfigCommandsTest {
    @Test
    void getWithSeveralPatternsAndAliases() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            Map<String, String> m = j.configGet("maxmemory", "timeout", "maxmemory");
            assertThat(m).containsExactly(Map.entry("maxmemory", "0"), Map.entry("timeout", "0"));
            assertThat(j.configGet("maxmemory-*")).containsKeys("maxmemory-policy", "maxmemory-samples",
                    "maxmemory-clients", "maxmemory-eviction-tenacity").doesNotContainKey("maxmemory");
            // An alias answers under the name asked for; a glob matches aliases too.
            assertThat(j.configGet("hash-max-ziplist-entries")).containsExactly(Map.entry("hash-max-ziplist-entries", "128"));
            assertThat(j.configGet("hash-max-*-entries")).containsOnlyKeys("hash-max-ziplist-entries", "hash-max-listpack-entries");
            assertThat(j.configGet("nosuch")).isEmpty();
        }
    }

    @Test
    void setIsAtomic() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            assertThat(c.call("CONFIG", "SET", "maxmemory", "10mb", "maxmemory-policy", "allkeys-lru")).isEqualTo("OK");
            assertThat(c.call("CONFIG", "GET", "maxmemory", "maxmemory-policy"))
                    .isEqualTo("[maxmemory, 10485760, maxmemory-policy, allkeys-lru]");
            // The second pair is bad: the first must not stick.
            assertThat(c.call("CONFIG", "SET", "maxmemory", "20mb", "maxmemory-policy", "bogus"))
                    .startsWith("!ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following:");
            assertThat(c.call("CONFIG", "GET", "maxmemory")).isEqualTo("[maxmemory, 10485760]");
            assertThat(c.call("CONFIG", "SET", "timeout", "5", "nosuch", "1"))
                    .isEqualTo("!ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
            assertThat(c.call("CONFIG", "GET", "timeout")).isEqualTo("[timeout, 0]");
            assertThat(c.call("CONFIG", "SET", "port", "1234"))
                    .isEqualTo("!ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config");
            assertThat(c.call("CONFIG", "SET", "MaxMemory", "1", "maxmemory", "2"))
                    .isEqualTo("!ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter");
            assertThat(c.call("CONFIG", "SET", "hz", "20")).isEqualTo("OK");
            assertThat(s.engine().config().getLong("hz")).isEqualTo(20);
            assertThat(c.call("CONFIG", "HELP")).startsWith("[CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
            assertThat(c.call("CONFIG", "REWRITE")).isEqualTo("!ERR The server is running without a config file");
        }
    }

    @Test
    void encodingThresholdsSetAtRunTimeApplyToTheNextWrite() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            j.sadd("ints", "1", "2");
            j.sadd("strs", "a", "b");
            j.hset("h", Map.of("f1", "v", "f2", "v"));
            j.zadd("z", Map.of("a", 1.0, "b", 2.0));
            assertThat(j.objectEncoding("ints")).isEqualTo("intset");
            assertThat(j.objectEncoding("strs")).isEqualTo("listpack");
            assertThat(j.objectEncoding("h")).isEqualTo("listpack");
            assertThat(j.objectEncoding("z")).isEqualTo("listpack");
            j.configSet("set-max-intset-entries", "2");
            j.configSet("set-max-listpack-entries", "2");
            j.configSet("hash-max-listpack-entries", "2");
            j.configSet("zset-max-listpack-entries", "2");
            j.sadd("ints", "3");
            j.sadd("strs", "c");
            j.hset("h", "f3", "v");
            j.zadd("z", 3.0, "c");
            assertThat(j.objectEncoding("ints")).isEqualTo("hashtable");
            assertThat(j.objectEncoding("strs")).isEqualTo("hashtable");
            assertThat(j.objectEncoding("h")).isEqualTo("hashtable");
            assertThat(j.objectEncoding("z")).isEqualTo("skiplist");
            j.configSet("set-max-listpack-value", "3");
            j.sadd("short", "a", "toolong");
            assertThat(j.objectEncoding("short")).isEqualTo("hashtable");
        }
    }

    @Test
    void rewriteUpdatesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("amdc.conf");
        Files.write(file, List.of("# my settings", "bind 127.0.0.1", "port 0", "maxmemory 1mb", "loglevel warning"));
        Config config = new Config();
        config.load(file);
        Engine engine = new Engine(config);
        NettyServer server = new NettyServer(engine);
        int port = server.start();
        try (RawClient c = new RawClient("127.0.0.1", port)) {
            assertThat(c.call("CONFIG", "SET", "maxmemory", "2mb", "timeout", "30")).isEqualTo("OK");
            assertThat(c.call("CONFIG", "REWRITE")).isEqualTo("OK");
        } finally {
            server.close();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).contains("# my settings", "maxmemory 2097152", "timeout 30").doesNotContain("maxmemory 1mb");
        Config reread = new Config();
        reread.load(file);
        assertThat(reread.getLong("maxmemory")).isEqualTo(2 * 1024 * 1024);
        assertThat(reread.getLong("timeout")).isEqualTo(30);
    }

    @Test
    void startupParserNamesTheBadLine() {
        Config config = new Config();
        assertThatThrownBy(() -> config.loadLines(List.of("port 7000", "# fine", "maxmemory lots"), "test.conf"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("at line 3")
                .hasMessageContaining(">>> 'maxmemory lots'")
                .hasMessageContaining("argument must be a memory value");
        assertThatThrownBy(() -> new Config().loadLines(List.of("bogus-directive yes"), "x.conf"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("at line 1")
                .hasMessageContaining("Bad directive or wrong number of arguments");
        assertThatThrownBy(() -> new Config().loadLines(List.of("", "requirepass \"unterminated"), "x.conf"))
                .hasMessageContaining("at line 2")
                .hasMessageContaining("Unbalanced quotes");
    }

    @Test
    void differentialConfigReplies() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll("CONFIG GET maxmemory", "CONFIG GET MAXMEMORY", "CONFIG GET timeout", "CONFIG GET databases",
                    "CONFIG GET maxmemory-policy", "CONFIG GET nosuch", "CONFIG GET appendonly",
                    "CONFIG SET nosuch 1", "CONFIG SET maxmemory", "CONFIG SET maxmemory abc",
                    "CONFIG SET maxmemory 1 maxmemory 2", "CONFIG SET timeout 0 foo", "CONFIG SET daemonize yes",
                    "CONFIG SET protected-mode maybe", "CONFIG SET hz abc", "CONFIG SET timeout 10 maxmemory abc",
                    "CONFIG GET timeout", "CONFIG SET maxmemory 1mb", "CONFIG SET dir /tmp", "CONFIG SET dbfilename x.rdb", "CONFIG GET maxmemory", "CONFIG SET maxmemory 0",
                    "CONFIG SET MAXMEMORY-SAMPLES 7", "CONFIG GET maxmemory-samples", "CONFIG SET Maxmemory-Samples 5",
                    "CONFIG GET maxmemory-samples",
                    "CONFIG", "CONFIG bogus", "CONFIG RESETSTAT", "CONFIG RESETSTAT x", "CONFIG HELP");
        }
    }
}
