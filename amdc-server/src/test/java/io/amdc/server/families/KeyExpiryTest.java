package io.amdc.server.families;

import io.amdc.core.keyspace.Keyspace;
import io.amdc.server.testing.AmdcServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

import static org.assertj.core.api.Assertions.assertThat;

/** Lazy expiry (on access) and active expiry (the cron's cycle) of keys with TTLs. */
class KeyExpiryTest {
    @Test
    void activeExpiryRemovesUntouchedKeys() throws Exception {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            Keyspace ks = s.engine().keyspace();
            Pipeline p = j.pipelined();
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                p.set("k:" + i, "v", SetParams.setParams().px(100 + i % 201));
            }
            p.sync();
            j.set("forever", "v");
            j.set("later", "v", SetParams.setParams().ex(100));
            long deadline = System.currentTimeMillis() + 5000;
            while (ks.db(0).size() > 2 && System.currentTimeMillis() < deadline) Thread.sleep(50);
            assertThat(ks.db(0).size()).as("keys left without being touched").isEqualTo(2);
            assertThat(ks.expiredKeys()).isGreaterThanOrEqualTo(n);
            assertThat(j.exists("forever", "later")).isEqualTo(2);
        }
    }

    @Test
    void expireCommandTtlsAreActivelyExpiredToo() throws Exception {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            for (int i = 0; i < 1000; i++) {
                j.set("k" + i, "v");
                j.pexpire("k" + i, 50);
            }
            j.select(5);
            j.set("in5", "v");
            j.pexpireAt("in5", System.currentTimeMillis() + 50);
            Keyspace ks = s.engine().keyspace();
            long deadline = System.currentTimeMillis() + 3000;
            while (ks.totalKeys() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
            assertThat(ks.totalKeys()).isZero();
        }
    }

    @Test
    void lazyExpiryOnAccessWithActiveExpiryOff() throws Exception {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            Keyspace ks = s.engine().keyspace();
            ks.activeExpire(false);
            for (String k : new String[] {"a", "b", "c", "d", "e", "f"}) j.set(k, "v", SetParams.setParams().px(30));
            j.set("keep", "v");
            Thread.sleep(60);
            assertThat(ks.db(0).size()).as("nothing removes them until accessed").isEqualTo(7);
            assertThat(j.get("a")).isNull();
            assertThat(j.exists("b")).isFalse();
            assertThat(j.ttl("c")).isEqualTo(-2);
            assertThat(j.type("d")).isEqualTo("none");
            assertThat(ks.db(0).size()).isEqualTo(3);
            assertThat(j.keys("*")).containsExactly("keep");
            assertThat(j.expire("e", 100)).as("an expired key cannot get a new TTL").isZero();
            assertThat(j.persist("f")).isZero();
            assertThat(ks.db(0).size()).isEqualTo(1);
        }
    }
}
