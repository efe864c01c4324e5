package io.amdc.server;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SmokeTest {
    @Test
    void jedisRoundTrip() {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            assertThat(j.ping()).isEqualTo("PONG");
            assertThat(j.set("k", "v")).isEqualTo("OK");
            assertThat(j.get("k")).isEqualTo("v");
            assertThat(j.incr("n")).isEqualTo(1L);
        }
    }

    @Test
    void unknownCommandAndArityMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll("NOSUCH a b", "GET", "SET k", "SET k v", "GET k", "INCR k", "ECHO hi", "PING", "PING x");
        }
    }

    @Test
    void inlineCommandsWork() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            c.send("SET \"a b\" 'c d'\r\n".getBytes());
            assertThat(RawClient.render(c.readRaw())).isEqualTo("OK");
            assertThat(c.call("GET", "a b")).isEqualTo("c d");
        }
    }
}
