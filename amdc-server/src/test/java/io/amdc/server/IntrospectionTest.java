package io.amdc.server;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** MONITOR, SLOWLOG, LATENCY and INFO latencystats over the socket. */
class IntrospectionTest {
    @Test
    void monitorStreamsCommandsWithRedaction() {
        try (AmdcServer s = AmdcServer.start(); RawClient mon = s.client(); RawClient c = s.client()) {
            assertThat(mon.call("MONITOR")).isEqualTo("OK");
            c.call("SET", "k", "a b\"\\\n\u0001é");
            c.call("AUTH", "user", "secret");
            c.call("HELLO", "2", "AUTH", "default", "pw");
            c.call("CONFIG", "GET", "maxmemory"); // admin: not shown
            c.call("NOSUCH");                      // rejected: not shown
            c.call("GET", "k");
            String port = c.call("CLIENT", "INFO").replaceAll("(?s).*?\\baddr=127\\.0\\.0\\.1:(\\d+).*", "$1");
            String prefix = " [0 127.0.0.1:" + port + "] ";
            String l1 = mon.call("PING"); // the monitor's next bytes are lines, not the PING reply order
            assertThat(l1).matches("\\d+\\.\\d{6}" + java.util.regex.Pattern.quote(prefix + "\"SET\" \"k\" \"a b\\\"\\\\\\n\\x01\\xc3\\xa9\""));
            assertThat(RawClient.render(mon.readRaw())).endsWith(prefix + "\"AUTH\" \"(redacted)\" \"(redacted)\"");
            assertThat(RawClient.render(mon.readRaw()))
                    .endsWith(prefix + "\"HELLO\" \"2\" \"AUTH\" \"(redacted)\" \"(redacted)\"");
            assertThat(RawClient.render(mon.readRaw())).endsWith(prefix + "\"GET\" \"k\"");
        }
    }

    @Test
    void slowlogThresholdsAndTrimming() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port()); RawClient c = s.client()) {
            j.configSet("slowlog-log-slower-than", "-1");
            j.slowlogReset();
            j.set("a", "b");
            assertThat(j.slowlogLen()).isZero();
            j.configSet("slowlog-log-slower-than", "0");
            c.call("CLIENT", "SETNAME", "me");
            c.call("SET", "k", "x".repeat(200));
            Object[] rpush = new Object[42];
            rpush[0] = "RPUSH";
            rpush[1] = "l";
            for (int i = 2; i < 42; i++) rpush[i] = i - 1;
            c.call(rpush);
            c.call("AUTH", "u", "p");
            String all = c.call("SLOWLOG", "GET", "-1");
            assertThat(all).contains("[AUTH, (redacted), (redacted)]");
            assertThat(all).contains("x".repeat(128) + "... (72 more bytes)]");
            assertThat(all).contains("28, 29, ... (11 more arguments)]");
            assertThat(all).contains(", me]");
            assertThat(c.call("SLOWLOG", "GET", "1")).startsWith("[[").contains("SLOWLOG, GET, -1");
            j.configSet("slowlog-max-len", "2");
            j.ping();
            assertThat(j.slowlogLen()).isEqualTo(2);
            assertThat(c.call("SLOWLOG", "GET", "-2")).isEqualTo("!ERR count should be greater than or equal to -1");
        }
    }

    /**
     * Within a pipeline a command's clock starts where the previous one's stopped: a fast command
     * right behind a slow one must not be charged the slow one's time.
     */
    @Test
    void aCommandBehindASlowOneInAPipelineIsTimedOnItsOwn() {
        try (AmdcServer s = AmdcServer.start("enable-debug-command yes"); Jedis j = new Jedis(s.host(), s.port());
             RawClient c = s.client()) {
            j.configSet("slowlog-log-slower-than", "20000");
            j.slowlogReset();
            j.configResetStat();
            c.send("*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$4\r\n0.05\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(RawClient.render(c.readRaw())).isEqualTo("OK");
            assertThat(RawClient.render(c.readRaw())).isEqualTo("PONG");
            assertThat(RawClient.render(c.readRaw())).isEqualTo("x");
            String log = c.call("SLOWLOG", "GET", "-1");
            assertThat(log).contains("[DEBUG, SLEEP, 0.05]").doesNotContain("PING").doesNotContain("ECHO");
            String stats = j.info("commandstats");
            long debugUs = Long.parseLong(stats.replaceAll("(?s).*cmdstat_debug:calls=1,usec=(\\d+),.*", "$1"));
            long pingUs = Long.parseLong(stats.replaceAll("(?s).*cmdstat_ping:calls=1,usec=(\\d+),.*", "$1"));
            assertThat(debugUs).isGreaterThanOrEqualTo(50_000);
            assertThat(pingUs).isLessThan(20_000);
        }
    }

    @Test
    void slowlogRepliesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll("CONFIG SET slowlog-log-slower-than 100000000", "SLOWLOG RESET", "SLOWLOG LEN", "SLOWLOG GET",
                    "SLOWLOG GET 5", "SLOWLOG GET x", "SLOWLOG GET -2", "SLOWLOG GET 1 2", "SLOWLOG HELP", "SLOWLOG FOO",
                    "SLOWLOG", "SLOWLOG LEN x", "LATENCY RESET", "LATENCY LATEST", "LATENCY HISTORY command",
                    "LATENCY GRAPH command", "LATENCY DOCTOR", "LATENCY HELP", "LATENCY FOO", "LATENCY HISTORY",
                    "MONITOR x");
        }
    }

    @Test
    void latencyEventsFromDebugSleep() {
        try (AmdcServer s = AmdcServer.start("enable-debug-command yes", "latency-monitor-threshold 5");
             RawClient c = s.client()) {
            c.call("DEBUG", "SLEEP", "0.03");
            String latest = c.call("LATENCY", "LATEST");
            assertThat(latest).matches("\\[\\[command, \\(integer\\) \\d+, \\(integer\\) 3\\d, \\(integer\\) 3\\d\\]\\]");
            assertThat(c.call("LATENCY", "HISTORY", "command")).matches("\\[\\[\\(integer\\) \\d+, \\(integer\\) 3\\d\\]\\]");
            assertThat(c.call("LATENCY", "GRAPH", "command")).startsWith("command - high 3");
            assertThat(c.call("LATENCY", "DOCTOR")).contains("1. command: 1 latency spikes");
            assertThat(c.call("LATENCY", "RESET", "command", "nosuch")).isEqualTo("(integer) 1");
            assertThat(c.call("LATENCY", "LATEST")).isEqualTo("[]");
        }
    }

    @Test
    void latencyHistogramAndInfoLatencystats() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            c.call("SET", "k", "v");
            c.call("SET", "k", "v");
            c.call("CONFIG", "GET", "hz");
            assertThat(c.call("LATENCY", "HISTOGRAM", "set", "nosuch"))
                    .matches("\\[set, \\[calls, \\(integer\\) 2, histogram_usec, \\[(\\(integer\\) \\d+, \\(integer\\) [12](, )?)+\\]\\]\\]");
            assertThat(c.call("LATENCY", "HISTOGRAM", "config")).startsWith("[config|get, [calls, (integer) 1");
            String info = c.call("INFO", "latencystats");
            assertThat(info).startsWith("# Latencystats\r\n");
            assertThat(info).containsPattern("latency_percentiles_usec_set:p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}\r\n");
            assertThat(info).contains("latency_percentiles_usec_config|get:p50=");
            assertThat(c.call("INFO")).doesNotContain("Latencystats");
            assertThat(c.call("INFO", "everything")).contains("# Latencystats");
            c.call("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.99");
            assertThat(c.call("INFO", "latencystats")).containsPattern("usec_set:p50=[\\d.]+,p99\\.99=[\\d.]+\r\n");
            c.call("CONFIG", "RESETSTAT");
            assertThat(c.call("INFO", "latencystats")).doesNotContain("usec_set");
        }
    }

    @Test
    void latencyHistogramSumsEveryEventLoop() {
        // Each event loop records into its own histogram; readers see the sum.
        try (AmdcServer s = AmdcServer.start("io-threads 3"); RawClient a = s.client(); RawClient b = s.client();
             RawClient c = s.client(); RawClient d = s.client()) {
            for (RawClient x : new RawClient[] {a, b, c, d}) {
                for (int i = 0; i < 5; i++) x.call("INCR", "n");
            }
            assertThat(a.call("LATENCY", "HISTOGRAM", "incr")).startsWith("[incr, [calls, (integer) 20,");
            a.call("CONFIG", "RESETSTAT");
            b.call("INCR", "n");
            assertThat(a.call("LATENCY", "HISTOGRAM", "incr")).startsWith("[incr, [calls, (integer) 1,");
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
