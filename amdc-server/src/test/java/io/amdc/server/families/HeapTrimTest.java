package io.amdc.server.families;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.amdc.core.memory.HeapTrimmer;
import io.amdc.server.testing.AmdcServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import java.lang.management.ManagementFactory;
import static org.assertj.core.api.Assertions.assertThat;

/** The background purge (jemalloc-bg-thread): after a burst once the server is quiet, never under load. */
class HeapTrimTest {

    @Test
    void aBurstFollowedByQuietIsPurgedInTheBackgroundAndTheRatiosComeBack() throws Exception {
        String min = option("MinHeapFreeRatio"), max = option("MaxHeapFreeRatio");
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            HeapTrimmer trimmer = s.engine().heapTrimmer();
            burst(j, 20_000);
            long deadline = System.currentTimeMillis() + 10_000;
            while (trimmer.purges() == 0 && System.currentTimeMillis() < deadline) Thread.sleep(50);
            assertThat(trimmer.purges()).isEqualTo(1);
            // Quiet with nothing new done: no further cycles.
            Thread.sleep(2_500);
            assertThat(trimmer.purges()).isEqualTo(1);
        }
        assertThat(option("MinHeapFreeRatio")).isEqualTo(min);
        assertThat(option("MaxHeapFreeRatio")).isEqualTo(max);
    }

    @Test
    void aBusyServerIsNotPurged() throws Exception {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            long until = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < until) burst(j, 2_000);
            assertThat(s.engine().heapTrimmer().purges()).isZero();
        }
    }

    @Test
    void jemallocBgThreadNoTurnsItOff() throws Exception {
        try (AmdcServer s = AmdcServer.start(); Jedis j = new Jedis(s.host(), s.port())) {
            assertThat(j.configSet("jemalloc-bg-thread", "no")).isEqualTo("OK");
            burst(j, 20_000);
            Thread.sleep(4_500);
            assertThat(s.engine().heapTrimmer().purges()).isZero();
            // MEMORY PURGE still works on demand.
            assertThat(j.memoryPurge()).isEqualTo("OK");
            assertThat(s.engine().heapTrimmer().purges()).isEqualTo(1);
        }
    }

    private static void burst(Jedis j, int n) {
        Pipeline p = j.pipelined();
        for (int i = 0; i < n; i++) p.set("trim:" + (i % 5_000), "v".repeat(64));
        p.sync();
    }

    private static String option(String name) {
        return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
    }
}
