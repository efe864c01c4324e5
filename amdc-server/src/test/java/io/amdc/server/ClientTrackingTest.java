package io.amdc.server;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Client-side caching: CLIENT TRACKING / CACHING / GETREDIR / TRACKINGINFO over the socket. */
class ClientTrackingTest {
    @Test
    void resp3ReadThenForeignWriteIsInvalidatedOnce() {
        try (AmdcServer s = AmdcServer.start(); RawClient t = s.client(); RawClient w = s.client()) {
            t.call("HELLO", "3");
            assertThat(t.call("CLIENT", "TRACKING", "ON")).isEqualTo("OK");
            t.call("GET", "k1");
            t.call("MGET", "k2", "k3");
            assertThat(w.call("INFO", "clients")).contains("tracking_clients:1");
            w.call("SET", "k1", "v");
            assertThat(new String(t.readRaw())).isEqualTo(">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nk1\r\n");
            w.call("SET", "k1", "again"); // forgotten after the first invalidation
            w.call("DEL", "k3");
            assertThat(RawClient.render(t.readRaw())).isEqualTo("[invalidate, [k3]]");
            // The client's own write: the push follows its reply.
            t.send(RawClient.encode("SET", "k2", "x"));
            assertThat(RawClient.render(t.readRaw())).isEqualTo("OK");
            assertThat(RawClient.render(t.readRaw())).isEqualTo("[invalidate, [k2]]");
        }
    }

    @Test
    void flushSendsNullInvalidation() {
        try (AmdcServer s = AmdcServer.start(); RawClient t = s.client(); RawClient w = s.client()) {
            t.call("HELLO", "3");
            t.call("CLIENT", "TRACKING", "ON");
            t.call("GET", "a");
            w.call("FLUSHALL");
            assertThat(new String(t.readRaw())).isEqualTo(">2\r\n$10\r\ninvalidate\r\n_\r\n");
        }
    }

    @Test
    void expiryInvalidates() throws Exception {
        try (AmdcServer s = AmdcServer.start(); RawClient t = s.client(); RawClient w = s.client()) {
            w.call("SET", "e", "v", "PX", "30");
            t.call("HELLO", "3");
            t.call("CLIENT", "TRACKING", "ON");
            t.call("GET", "e");
            Thread.sleep(60);
            w.call("GET", "e"); // lazy expiry
            assertThat(RawClient.render(t.readRaw())).isEqualTo("[invalidate, [e]]");
        }
    }

    @Test
    void resp2RedirectGetsPubSubMessage() {
        try (AmdcServer s = AmdcServer.start(); RawClient r = s.client(); RawClient t = s.client(); RawClient w = s.client()) {
            String rid = r.call("CLIENT", "ID").replace("(integer) ", "");
            r.call("SUBSCRIBE", "__redis__:invalidate");
            assertThat(t.call("CLIENT", "TRACKING", "ON", "REDIRECT", rid)).isEqualTo("OK");
            assertThat(t.call("CLIENT", "GETREDIR")).isEqualTo("(integer) " + rid);
            t.call("GET", "foo");
            w.call("SET", "foo", "1");
            assertThat(new String(r.readRaw()))
                    .isEqualTo("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$3\r\nfoo\r\n");
            assertThat(t.call("CLIENT", "LIST", "ID", t.call("CLIENT", "ID").replace("(integer) ", "")))
                    .contains("flags=t ").contains("redir=" + rid);
        }
    }

    @Test
    void bcastPrefixesAndNoloop() {
        try (AmdcServer s = AmdcServer.start(); RawClient t = s.client(); RawClient w = s.client()) {
            t.call("HELLO", "3");
            assertThat(t.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "PREFIX", "obj:", "NOLOOP"))
                    .isEqualTo("OK");
            assertThat(t.call("CLIENT", "TRACKINGINFO"))
                    .isEqualTo("{flags, [on, bcast, noloop], redirect, (integer) 0, prefixes, [obj:, user:]}");
            t.call("SET", "user:self", "x"); // NOLOOP: no message for our own write
            w.call("MSET", "user:1", "a", "other", "b", "user:2", "c");
            // A push for user:self (NOLOOP broken) would arrive before this one.
            assertThat(RawClient.render(t.readRaw())).isEqualTo("[invalidate, [user:1, user:2]]");
            assertThat(w.call("INFO", "stats")).contains("tracking_total_prefixes:2");
        }
    }

    @Test
    void optinTracksOnlyAfterCachingYes() {
        try (AmdcServer s = AmdcServer.start(); RawClient t = s.client(); RawClient w = s.client()) {
            t.call("HELLO", "3");
            t.call("CLIENT", "TRACKING", "ON", "OPTIN");
            t.call("GET", "notcached");
            assertThat(t.call("CLIENT", "CACHING", "YES")).isEqualTo("OK");
            t.call("GET", "cached");
            w.call("SET", "notcached", "1");
            w.call("SET", "cached", "1");
            assertThat(RawClient.render(t.readRaw())).isEqualTo("[invalidate, [cached]]");
            assertThat(w.call("INFO", "stats")).contains("tracking_total_keys:0");
        }
    }

    @Test
    void errorTextsAndTrackingInfoMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.runAll("CLIENT TRACKINGINFO", "CLIENT GETREDIR", "CLIENT CACHING YES",
                    "CLIENT TRACKING ON PREFIX a", "CLIENT TRACKING ON REDIRECT 999999", "CLIENT TRACKING ON REDIRECT x",
                    "CLIENT TRACKING ON OPTIN OPTOUT", "CLIENT TRACKING ON BCAST OPTIN", "CLIENT TRACKING FOO",
                    "CLIENT TRACKING ON NOLOOP FOO", "CLIENT TRACKING ON PREFIX",
                    "CLIENT TRACKING ON BCAST PREFIX a PREFIX ab", "CLIENT TRACKING ON BCAST PREFIX ab PREFIX a",
                    "CLIENT TRACKING ON OPTIN", "CLIENT CACHING NO", "CLIENT CACHING maybe", "CLIENT CACHING YES",
                    "CLIENT TRACKINGINFO", "CLIENT GETREDIR", "CLIENT TRACKING ON OPTOUT", "CLIENT TRACKING ON BCAST",
                    "CLIENT TRACKING OFF", "CLIENT TRACKINGINFO", "CLIENT TRACKING ON BCAST", "CLIENT TRACKINGINFO",
                    "CLIENT TRACKING ON BCAST PREFIX x", "CLIENT TRACKING OFF", "CLIENT TRACKING ON BCAST PREFIX b PREFIX a",
                    "CLIENT TRACKING ON BCAST PREFIX abc", "CLIENT TRACKINGINFO", "CLIENT TRACKING ON",
                    "CLIENT TRACKING OFF", "CLIENT TRACKING ON OPTOUT NOLOOP", "CLIENT CACHING NO", "CLIENT TRACKINGINFO",
                    "CLIENT PAUSE abc", "CLIENT PAUSE -1", "CLIENT PAUSE 10 foo", "CLIENT PAUSE 10 write extra",
                    "CLIENT UNPAUSE x", "CLIENT PAUSE 0 WRITE", "CLIENT UNPAUSE");
        }
    }
}
