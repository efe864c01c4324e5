package io.amdc.server;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** CLIENT PAUSE holds commands (not rejects them) until the pause ends. */
class ClientPauseTest {
    @Test
    void writePauseLetsReadsThroughAndHoldsWrites() {
        try (AmdcServer s = AmdcServer.start(); RawClient admin = s.client(); RawClient c = s.client()) {
            admin.call("SET", "k", "old");
            assertThat(admin.call("CLIENT", "PAUSE", "300", "WRITE")).isEqualTo("OK");
            long start = System.nanoTime();
            assertThat(c.call("GET", "k")).isEqualTo("old");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(200);
            // A held write also holds what is pipelined behind it, in order.
            c.send(RawClient.encode("SET", "k", "new"));
            c.send(RawClient.encode("GET", "k"));
            assertThat(RawClient.render(c.readRaw())).isEqualTo("OK");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
            assertThat(RawClient.render(c.readRaw())).isEqualTo("new");
        }
    }

    @Test
    void unpauseReleasesHeldCommands() throws Exception {
        try (AmdcServer s = AmdcServer.start(); RawClient admin = s.client(); RawClient c = s.client()) {
            admin.call("CLIENT", "PAUSE", "100000", "WRITE");
            c.send(RawClient.encode("INCR", "n"));
            Thread.sleep(100);
            assertThat(admin.call("GET", "n")).isEqualTo("(nil)");
            assertThat(admin.call("CLIENT", "UNPAUSE")).isEqualTo("OK");
            assertThat(RawClient.render(c.readRaw())).isEqualTo("(integer) 1");
        }
    }

    @Test
    void allModeHoldsReads() {
        try (AmdcServer s = AmdcServer.start(); RawClient admin = s.client(); RawClient c = s.client()) {
            admin.call("CLIENT", "PAUSE", "200");
            long start = System.nanoTime();
            assertThat(c.call("PING")).isEqualTo("PONG");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(150);
        }
    }
}
