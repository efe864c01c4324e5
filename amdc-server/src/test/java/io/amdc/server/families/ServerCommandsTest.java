package io.amdc.server.families;

import io.amdc.core.Engine;
import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ServerCommandsTest {
    @Test
    void infoDefaultHasRedisSectionsAndFields() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            j.set("a", "1");
            j.set("b", "2", new redis.clients.jedis.params.SetParams().ex(100));
            String info = j.info();
            assertThat(info).contains("# Server\r\n", "# Clients\r\n", "# Memory\r\n", "# Persistence\r\n",
                    "# Stats\r\n", "# Replication\r\n", "# CPU\r\n", "# Modules\r\n", "# Errorstats\r\n",
                    "# Keyspace\r\n");
            assertThat(info).doesNotContain("# Commandstats");
            assertThat(info).contains("redis_version:" + Engine.REDIS_VERSION + "\r\n", "amdc_version:",
                    "redis_mode:standalone\r\n", "arch_bits:64\r\n", "tcp_port:" + s.port() + "\r\n",
                    "process_id:" + ProcessHandle.current().pid() + "\r\n", "uptime_in_days:0\r\n",
                    "role:master\r\n", "connected_slaves:0\r\n", "master_repl_offset:0\r\n", "loading:0\r\n",
                    "rdb_changes_since_last_save:2\r\n", "maxmemory_policy:noeviction\r\n", "used_cpu_user:",
                    "connected_clients:1\r\n", "db0:keys=2,expires=1,avg_ttl=0\r\n");
            assertThat(info).matches("(?s).*run_id:[0-9a-f]{40}\r\n.*").matches("(?s).*master_replid:[0-9a-f]{40}\r\n.*");
            assertThat(info).matches("(?s).*used_memory_human:[0-9.]+[BKMG]\r\n.*");
            assertThat(info).matches("(?s).*used_memory_rss:[1-9][0-9]*\r\n.*");
            // Sections are separated by one blank line and the text ends with a field line.
            assertThat(info).contains("\r\n\r\n# Clients").endsWith("avg_ttl=0\r\n");
        }
    }

    @Test
    void infoSectionsSelection() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            String server = c.call("INFO", "server");
            assertThat(server).startsWith("# Server\r\n").doesNotContain("# Clients");
            String two = c.call("INFO", "KEYSPACE", "cpu");
            // Redis's section order, whatever the order asked.
            assertThat(two).startsWith("# CPU\r\n").contains("\r\n\r\n# Keyspace\r\n");
            assertThat(c.call("INFO", "nosuch")).isEmpty();
            assertThat(c.call("INFO", "all")).contains("# Commandstats\r\n", "# Keyspace");
            assertThat(c.call("INFO", "everything")).contains("# Commandstats\r\n");
            assertThat(c.call("INFO", "default")).doesNotContain("# Commandstats");
        }
    }

    @Test
    void infoIsVerbatimInResp3() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            c.call("HELLO", "3");
            String raw = new String(c.callRaw("INFO", "server"), StandardCharsets.UTF_8);
            assertThat(raw).startsWith("=").contains("\r\ntxt:# Server\r\n");
        }
    }

    @Test
    void commandstatsAndErrorstatsCount() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            c.call("SET", "k", "v");
            c.call("GET", "k");
            c.call("GET", "k");
            c.call("GET");                 // rejected: arity
            c.call("CLIENT", "ID");
            c.call("NOSUCH");
            String stats = c.call("INFO", "commandstats");
            assertThat(stats).startsWith("# Commandstats\r\n");
            assertThat(stats).containsPattern("cmdstat_get:calls=2,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,rejected_calls=1,failed_calls=0\r\n");
            assertThat(stats).containsPattern("cmdstat_client\\|id:calls=1,");
            assertThat(c.call("INFO", "errorstats")).isEqualTo("# Errorstats\r\nerrorstat_ERR:count=2\r\n");
            assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo("OK");
            assertThat(c.call("INFO", "commandstats")).doesNotContain("cmdstat_get");
            assertThat(c.call("INFO", "errorstats")).isEqualTo("# Errorstats\r\n");
        }
    }

    @Test
    void instantaneousOpsPerSecFollowsTraffic() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
            while (System.nanoTime() < end) c.call("PING");
            String stats = c.call("INFO", "stats");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("instantaneous_ops_per_sec:(\\d+)\r\n").matcher(stats);
            assertThat(m.find()).isTrue();
            assertThat(Long.parseLong(m.group(1))).isPositive();
            assertThat(stats).containsPattern("instantaneous_input_kbps:\\d+\\.\\d\\d\r\n");
        }
    }

    @Test
    void dbsizeFlushdbFlushallTime() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            j.set("a", "1");
            j.set("b", "1");
            j.select(1);
            j.set("c", "1");
            assertThat(j.dbSize()).isEqualTo(1);
            assertThat(j.flushDB()).isEqualTo("OK");
            assertThat(j.dbSize()).isZero();
            j.select(0);
            assertThat(j.dbSize()).isEqualTo(2);
            j.select(1);
            j.set("c", "1");
            assertThat(j.flushAll()).isEqualTo("OK");
            assertThat(j.dbSize()).isZero();
            j.select(0);
            assertThat(j.dbSize()).isZero();
            List<String> t = j.time();
            assertThat(Long.parseLong(t.get(0))).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
            assertThat(Long.parseLong(t.get(1))).isBetween(0L, 999_999L);
        }
    }

    @Test
    void lettuceInfoAndDbsize() {
        try (AmdcServer s = AmdcServer.start()) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + s.port());
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                conn.sync().set("x", "y");
                assertThat(conn.sync().dbsize()).isEqualTo(1);
                assertThat(conn.sync().info("server")).contains("redis_version:7.2.4");
                assertThat(conn.sync().flushall()).isEqualTo("OK");
                assertThat(conn.sync().dbsize()).isZero();
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void shutdownClosesTheServer() throws Exception {
        AmdcServer s = AmdcServer.start();
        try (RawClient c = s.client()) {
            assertThat(c.call("SHUTDOWN", "NOSAVE", "SAVE")).isEqualTo("!ERR syntax error");
            assertThat(c.call("SHUTDOWN", "ABORT")).isEqualTo("!ERR No shutdown in progress.");
            c.send(RawClient.encode("SHUTDOWN", "NOW", "FORCE"));
            assertThat(c.isClosedByServer()).isTrue();
        } finally {
            s.close();
        }
    }

    @Test
    void debugIsRefusedByDefault() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            assertThat(c.call("DEBUG", "DIGEST")).isEqualTo("!ERR DEBUG command not allowed. If the enable-debug-command "
                    + "option is set to \"local\", you can run it from a local connection, otherwise you need to set "
                    + "this option in the configuration file, and then restart the server.");
        }
        try (AmdcServer s = AmdcServer.start("enable-debug-command local"); RawClient c = s.client()) {
            assertThat(c.call("DEBUG", "DIGEST")).isEqualTo("0".repeat(40));
        }
    }

    @Test
    void debugPopulateObjectDigest() {
        try (AmdcServer s = AmdcServer.start("enable-debug-command yes"); RawClient c = s.client()) {
            assertThat(c.call("DEBUG", "POPULATE", "10")).isEqualTo("OK");
            assertThat(c.call("DBSIZE")).isEqualTo("(integer) 10");
            assertThat(c.call("GET", "key:3")).isEqualTo("value:3");
            c.call("DEBUG", "POPULATE", "3", "p", "10");
            assertThat(c.call("GET", "p:1")).isEqualTo("value:1\0\0\0");
            c.call("SET", "key:0", "mine");
            c.call("DEBUG", "POPULATE", "1");
            assertThat(c.call("GET", "key:0")).as("existing keys are kept").isEqualTo("mine");
            c.call("SET", "n", "12345");
            assertThat(c.call("DEBUG", "OBJECT", "n"))
                    .matches("Value at:0x[0-9a-f]+ refcount:1 encoding:int serializedlength:3 lru:\\d+ lru_seconds_idle:\\d+");
            assertThat(c.call("DEBUG", "OBJECT", "key:1")).contains("encoding:embstr serializedlength:8 ");
            assertThat(c.call("DEBUG", "OBJECT", "nokey")).isEqualTo("!ERR no such key");

            String d1 = c.call("DEBUG", "DIGEST");
            assertThat(d1).matches("[0-9a-f]{40}").isNotEqualTo("0".repeat(40));
            assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(d1);
            c.call("SET", "key:0", "changed");
            String d2 = c.call("DEBUG", "DIGEST");
            assertThat(d2).isNotEqualTo(d1);
            c.call("SET", "key:0", "mine");
            assertThat(c.call("DEBUG", "DIGEST")).isEqualTo(d1);
            c.call("SET", "key:0", "mine", "EX", "1000");
            assertThat(c.call("DEBUG", "DIGEST")).as("expiry is part of the digest").isNotEqualTo(d1);

            String v = c.call("DEBUG", "DIGEST-VALUE", "key:1", "nokey");
            assertThat(v).matches("\\[[0-9a-f]{40}, 0{40}\\]");
            c.call("SET", "copy", "value:1");
            assertThat(c.call("DEBUG", "DIGEST-VALUE", "copy")).isEqualTo("[" + v.substring(1, 41) + "]");

            c.call("FLUSHALL");
            assertThat(c.call("DEBUG", "DIGEST")).isEqualTo("0".repeat(40));
        }
    }

    @Test
    void debugSetActiveExpireAndSleep() {
        try (AmdcServer s = AmdcServer.start("enable-debug-command yes"); RawClient c = s.client()) {
            assertThat(c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")).isEqualTo("OK");
            assertThat(s.engine().keyspace().activeExpire()).isFalse();
            assertThat(c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1")).isEqualTo("OK");
            assertThat(s.engine().keyspace().activeExpire()).isTrue();
            long t0 = System.nanoTime();
            assertThat(c.call("DEBUG", "SLEEP", "0.2")).isEqualTo("OK");
            assertThat(System.nanoTime() - t0).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(190));
            assertThat(c.call("DEBUG", "LOG", "hello")).isEqualTo("OK");
            assertThat(c.call("DEBUG", "HELP")).startsWith("[DEBUG <subcommand>");
        }
    }

    @Test
    void differentialServerReplies() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential("enable-debug-command yes")) {
            d.runAll("FLUSHALL", "DBSIZE", "FLUSHDB foo", "FLUSHDB SYNC", "FLUSHALL ASYNC", "FLUSHALL ASYNC x",
                    "DBSIZE x", "TIME x", "INFO nosuch", "SHUTDOWN ABORT", "SHUTDOWN NOSAVE SAVE", "SHUTDOWN bogus",
                    "DEBUG", "DEBUG bogus", "DEBUG DIGEST", "DEBUG DIGEST-VALUE a", "DEBUG OBJECT a",
                    "DEBUG POPULATE -1", "DEBUG POPULATE abc", "DEBUG POPULATE 3", "DBSIZE", "GET key:2",
                    "DEBUG POPULATE 2 k 3", "GET k:1", "DEBUG SLEEP 0", "DEBUG SET-ACTIVE-EXPIRE 1",
                    "DEBUG SET-ACTIVE-EXPIRE", "DEBUG PROTOCOL bogus", "SET n 12345", "SET s hello");
            for (String t : List.of("string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib",
                    "push", "verbatim", "true", "false")) {
                d.run("DEBUG", "PROTOCOL", t);
            }
            d.amdc().call("HELLO", "3");
            d.redis().call("HELLO", "3");
            for (String t : List.of("string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib",
                    "push", "verbatim", "true", "false")) {
                d.run("DEBUG", "PROTOCOL", t);
            }
            d.assertSame();
            // DEBUG OBJECT's address and clock differ; the rest of the line matches.
            String a = d.amdc().call("DEBUG", "OBJECT", "s").replaceAll("0x[0-9a-f]+|lru:\\d+", "");
            String r = d.redis().call("DEBUG", "OBJECT", "s").replaceAll("0x[0-9a-f]+|lru:\\d+", "");
            assertThat(a).isEqualTo(r);
        }
    }

    @Test
    void redisCliInfoAndCommandDocs() throws Exception {
        assumeTrue(new File("/usr/bin/redis-cli").canExecute());
        try (AmdcServer s = AmdcServer.start()) {
            String info = run("/usr/bin/redis-cli", "-p", Integer.toString(s.port()), "INFO");
            assertThat(info).contains("# Server", "redis_version:7.2.4", "# Keyspace");
            String docs = run("/usr/bin/redis-cli", "-p", Integer.toString(s.port()), "--no-raw", "COMMAND", "DOCS", "get");
            assertThat(docs).contains("1) \"get\"", "\"summary\"", "\"since\"", "\"1.0.0\"", "\"group\"", "\"string\"",
                    "\"complexity\"", "\"O(1)\"");
            // Interactive mode fetches COMMAND DOCS for every command at start-up for its hints.
            String all = run("/usr/bin/redis-cli", "-p", Integer.toString(s.port()), "COMMAND", "DOCS");
            assertThat(all).contains("client|kill", "config|get");
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
