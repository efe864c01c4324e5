package io.amdc.server;

import io.amdc.server.testing.Differential;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** HELLO and protocol switching compared with redis-server. */
class Resp3Test {

    /** HELLO's map: same keys in the same order and the same proto; server-specific values may differ. */
    @Test
    void helloReplyHasRedisStructure() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            for (String[] hello : new String[][]{{"HELLO", "3"}, {"HELLO"}, {"HELLO", "2"}, {"HELLO", "3", "SETNAME", "x"}}) {
                byte[] a = d.amdc().callRaw((Object[]) hello);
                byte[] r = d.redis().callRaw((Object[]) hello);
                assertThat(a[0]).as(String.join(" ", hello)).isEqualTo(r[0]); // '%' or '*'
                assertThat(keysAndProto(a)).as(String.join(" ", hello)).isEqualTo(keysAndProto(r));
            }
        }
    }

    /** The map's keys, plus the value of "proto", from a HELLO reply in either protocol. */
    private static List<String> keysAndProto(byte[] raw) {
        String s = RawClient.render(raw);
        String[] items = s.substring(1, s.length() - 1).split(", ");
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < items.length; i += 2) {
            out.add(items[i]);
            if (items[i].equals("proto")) out.add(items[i + 1]);
        }
        return out;
    }

    @Test
    void resp3RepliesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (Differential d = new Differential()) {
            d.amdc().callRaw("HELLO", "3");
            d.redis().callRaw("HELLO", "3");
            d.runAll("GET missing", "SET k v", "GET k", "MGET k missing k", "INCR n", "ECHO x", "PING", "PING hi",
                    "SET k v GET", "NOSUCH x", "SELECT 99", "SELECT 1", "GET k");
            d.amdc().callRaw("HELLO", "2");
            d.redis().callRaw("HELLO", "2");
            d.runAll("GET missing", "MGET missing", "SELECT 0", "GET k");
        }
    }

    @Test
    void resetReturnsToResp2() {
        try (io.amdc.server.testing.AmdcServer s = io.amdc.server.testing.AmdcServer.start(); RawClient c = s.client()) {
            c.callRaw("HELLO", "3");
            assertThat(new String(c.callRaw("GET", "nope"), StandardCharsets.US_ASCII)).isEqualTo("_\r\n");
            assertThat(c.call("RESET")).isEqualTo("RESET");
            assertThat(new String(c.callRaw("GET", "nope"), StandardCharsets.US_ASCII)).isEqualTo("$-1\r\n");
        }
    }
}
