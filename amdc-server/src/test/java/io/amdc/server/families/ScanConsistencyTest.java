package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SCAN's guarantee under concurrent writes: every key present for the whole iteration is
 * returned (and, with slot cursors, exactly once), while other keys come and go and slot
 * tables grow and shrink underneath.
 */
class ScanConsistencyTest {
    @Test
    void stableKeysAreReturnedExactlyOnceDespiteConcurrentChurn() throws Exception {
        int stable = 10_000;
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < stable; i++) p.set("stable:" + i, "v");
            p.sync();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            Thread[] churn = new Thread[1];
            for (int t = 0; t < churn.length; t++) {
                churn[t] = new Thread(() -> {
                    try (Jedis w = new Jedis(s.host(), s.port())) {
                        ThreadLocalRandom rnd = ThreadLocalRandom.current();
                        while (!stop.get()) {
                            Pipeline wp = w.pipelined();
                            for (int i = 0; i < 200; i++) {
                                String k = "churn:" + rnd.nextInt(50_000);
                                if (rnd.nextBoolean()) wp.set(k, "v");
                                else wp.del(k);
                            }
                            wp.sync();
                            writes.addAndGet(200);
                        }
                    }
                });
                churn[t].start();
            }
            try {
                for (int round = 0; round < 2; round++) {
                    Set<String> seen = new HashSet<>();
                    String cursor = "0";
                    int duplicates = 0;
                    do {
                        ScanResult<String> r = j.scan(cursor, new ScanParams().count(100));
                        for (String k : r.getResult()) {
                            if (!seen.add(k)) duplicates++;
                        }
                        cursor = r.getCursor();
                    } while (!cursor.equals("0"));
                    Set<String> missing = new HashSet<>();
                    for (int i = 0; i < stable; i++) {
                        if (!seen.contains("stable:" + i)) missing.add("stable:" + i);
                    }
                    assertThat(missing).as("round " + round).isEmpty();
                    assertThat(duplicates).isZero();
                }
            } finally {
                stop.set(true);
                for (Thread t : churn) t.join();
            }
            assertThat(writes.get()).as("churn ran during the scans").isPositive();
        }
    }
}
