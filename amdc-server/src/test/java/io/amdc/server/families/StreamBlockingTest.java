package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.amdc.server.testing.Blocked.awaitBlockedViaInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** XREAD BLOCK / XREADGROUP BLOCK on the shared blocking machinery. */
class StreamBlockingTest {

    private static CompletableFuture<String> async(Supplier<String> s) {
        return CompletableFuture.supplyAsync(s);
    }

    @Test
    void xreadBlockTimesOutWithNull() {
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            long t0 = System.nanoTime();
            assertThat(c.call("XREAD", "BLOCK", "200", "STREAMS", "st", "$")).isEqualTo("(nil)");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(150L, 2000L);
        }
    }

    @Test
    void xaddWakesXreadWithOnlyNewEntries() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 4"); RawClient w = s.client(); RawClient p = s.client()) {
            p.call("XADD", "st", "1-1", "old", "x");
            CompletableFuture<String> r = async(() -> w.call("XREAD", "BLOCK", "0", "STREAMS", "st", "other", "$", "$"));
            awaitBlockedViaInfo(p, 1);
            p.call("XADD", "st", "2-1", "f", "v");
            assertThat(r.get(5, TimeUnit.SECONDS)).isEqualTo("[[st, [[2-1, [f, v]]]]]");
            assertThat(p.call("INFO", "clients")).contains("blocked_clients:0");
        }
    }

    @Test
    void xreadgroupBlockServesNewEntriesIntoThePel() throws Exception {
        try (AmdcServer s = AmdcServer.start(); RawClient w = s.client(); RawClient p = s.client()) {
            p.call("XGROUP", "CREATE", "st", "g", "$", "MKSTREAM");
            CompletableFuture<String> r = async(() ->
                    w.call("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "COUNT", "10", "STREAMS", "st", ">"));
            awaitBlockedViaInfo(p, 1);
            p.call("XADD", "st", "5-1", "a", "1");
            assertThat(r.get(5, TimeUnit.SECONDS)).isEqualTo("[[st, [[5-1, [a, 1]]]]]");
            assertThat(p.call("XPENDING", "st", "g")).startsWith("[(integer) 1, 5-1, 5-1, [[alice, 1]]]");
        }
    }

    @Test
    void servedReplyMatchesRedisInResp2AndResp3() throws Exception {
        assumeTrue(RedisServerProcess.available());
        try (AmdcServer s = AmdcServer.start(); RedisServerProcess redis = RedisServerProcess.start()) {
            for (String proto : new String[]{"2", "3"}) {
                byte[] amdc = served(s.client(), s.client(), proto);
                byte[] real = served(redis.client(), redis.client(), proto);
                assertThat(new String(amdc)).isEqualTo(new String(real));
            }
        }
    }

    private static byte[] served(RawClient waiter, RawClient producer, String proto) throws Exception {
        try (waiter; producer) {
            producer.call("DEL", "bst");
            waiter.call("HELLO", proto);
            CompletableFuture<byte[]> r = CompletableFuture.supplyAsync(() ->
                    waiter.callRaw("XREAD", "COUNT", "5", "BLOCK", "3000", "STREAMS", "bst", "0-0"));
            Thread.sleep(200);
            producer.call("XADD", "bst", "7-3", "k", "v", "k2", "v2");
            return r.get(5, TimeUnit.SECONDS);
        }
    }
}
