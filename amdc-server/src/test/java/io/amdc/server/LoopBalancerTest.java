package io.amdc.server;

import io.amdc.core.Engine;
import io.amdc.core.config.Config;
import io.amdc.core.session.Client;
import io.amdc.server.testing.AmdcServer;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** io-threads-adaptive: connections moving between event loops, and the hill-climbing that moves them. */
class LoopBalancerTest {

    @Test
    void connectionsMoveBetweenLoopsWithoutLosingOrReorderingAnything() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 4", "io-threads-adaptive no");
             Jedis blocked = new Jedis(s.host(), s.port(), 20_000);
             Jedis subscriber = new Jedis(s.host(), s.port(), 20_000);
             Jedis control = new Jedis(s.host(), s.port())) {
            LoopBalancer balancer = s.server().balancer();
            ExecutorService pool = Executors.newCachedThreadPool();
            try {
                Future<List<String>> popped = pool.submit(() -> blocked.blpop(0, "moving:list"));
                List<String> messages = new CopyOnWriteArrayList<>();
                JedisPubSub sub = new JedisPubSub() {
                    @Override
                    public void onMessage(String channel, String message) {
                        messages.add(message);
                        if (message.equals("last")) unsubscribe();
                    }
                };
                Future<?> subscribed = pool.submit(() -> subscriber.subscribe(sub, "moving:chan"));
                int writers = 8, rounds = 200, batch = 50;
                List<Future<?>> work = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    String own = "moving:own:" + w;
                    work.add(pool.submit(() -> {
                        try (Jedis j = new Jedis(s.host(), s.port())) {
                            for (int r = 0; r < rounds; r++) {
                                Pipeline p = j.pipelined();
                                List<Response<Long>> rs = new ArrayList<>();
                                for (int i = 0; i < batch; i++) {
                                    p.incr("moving:shared");
                                    rs.add(p.incr(own));
                                }
                                p.sync();
                                // Replies come back in order on every loop the connection visits.
                                for (int i = 0; i < batch; i++) {
                                    assertThat(rs.get(i).get()).isEqualTo((long) r * batch + i + 1);
                                }
                                Transaction t = j.multi();
                                t.get(own);
                                assertThat(t.exec()).containsExactly(String.valueOf((long) (r + 1) * batch));
                            }
                        }
                        return null;
                    }));
                }
                // Move everything around while the writers run.
                int step = 0;
                while (work.stream().anyMatch(f -> !f.isDone())) {
                    balancer.apply(1 + step++ % 4);
                    if (step % 10 == 0) control.publish("moving:chan", "m" + step);
                    Thread.sleep(5);
                }
                for (Future<?> f : work) f.get(60, TimeUnit.SECONDS);
                assertThat(step).isGreaterThan(4);
                assertThat(control.get("moving:shared")).isEqualTo(String.valueOf((long) writers * rounds * batch));

                // Everything that can move ends on the one active loop.
                balancer.apply(1);
                EventExecutor first = balancer.loop(0);
                long deadline = System.currentTimeMillis() + 5_000;
                while (!allMovableOn(s.engine(), first) && System.currentTimeMillis() < deadline) Thread.sleep(10);
                assertThat(allMovableOn(s.engine(), first)).isTrue();
                assertThat(control.ping()).isEqualTo("PONG");
                assertThat(control.info("amdc")).contains("io_loops:4\r\n", "io_loops_active:1\r\n");

                // The blocked client and the subscriber are still served after all the moves.
                control.rpush("moving:list", "v");
                assertThat(popped.get(10, TimeUnit.SECONDS)).containsExactly("moving:list", "v");
                control.publish("moving:chan", "last");
                subscribed.get(10, TimeUnit.SECONDS);
                assertThat(messages).contains("last");
                assertThat(messages).isSortedAccordingTo((a, b) -> a.equals("last") ? 1 : b.equals("last") ? -1
                        : Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static boolean allMovableOn(Engine engine, EventExecutor loop) {
        for (Client c : engine.clients().values()) {
            if (c instanceof NetClient nc && !nc.blocked() && nc.outputLimitClass() == io.amdc.core.config.OutputBufferLimits.NORMAL && nc.loop() != loop) return false;
        }
        return true;
    }

    @Test
    void keepsTheLoopCountThatServesMoreCommands() {
        // Clients sharing the cores: one loop serves more (as at -P 1 on a 2-core box).
        assertThat(settle(k -> k == 1 ? 150_000 : 110_000)).isEqualTo(1);
        // The server is the bottleneck: two loops serve more (as at -P 16).
        assertThat(settle(k -> k == 1 ? 500_000 : 800_000)).isEqualTo(2);
        // Too little load to tell: nothing is probed, and a quiet server runs on one loop.
        assertThat(settle(k -> 5_000)).isEqualTo(1);
    }

    @Test
    void aSecondLoopThatGainsNothingIsNotKept() {
        // One hot key: both loops take turns on its slot lock, so two serve no more than one.
        Simulation sim = new Simulation(k -> k == 1 ? 1_000_000 : 1_010_000);
        try {
            sim.run(30_000);
            // It starts on both loops: the probe down to one is kept, every probe back up undone.
            assertThat(sim.balancer.loopReverts()).isGreaterThanOrEqualTo(1).isEqualTo(sim.balancer.loopProbes() - 1);
            assertThat(sim.balancer.activeLoops()).isEqualTo(1);
            assertThat(sim.mostUsed()).isEqualTo(1);
        } finally {
            sim.close();
        }
        // A real gain is kept.
        assertThat(settle(k -> k == 1 ? 1_000_000 : 1_060_000)).isEqualTo(2);
    }

    @Test
    void aQuietSpellReturnsToOneLoopSoTheNextLoadStartsThere() {
        int[] load = {0};
        Simulation sim = new Simulation(k -> switch (load[0]) {
            case 0 -> k == 1 ? 500_000 : 800_000; // pipelined: two loops serve more
            case 1 -> 0;                           // quiet
            default -> k == 1 ? 150_000 : 110_000; // one request per client: one loop serves more
        });
        try {
            sim.run(5_000);
            assertThat(sim.balancer.activeLoops()).isEqualTo(2);
            load[0] = 1;
            sim.run(1_000);
            assertThat(sim.balancer.activeLoops()).isEqualTo(1);
            load[0] = 2;
            long onTwo = sim.timeOn[2];
            sim.run(5_000);
            // Only its probe (a settle and one window) runs on two loops, not the windows before it.
            assertThat(sim.timeOn[2] - onTwo).isLessThanOrEqualTo(LoopBalancer.SETTLE_NS / 1_000_000 + LoopBalancer.WINDOW_NS / 1_000_000 + 40);
            assertThat(sim.balancer.activeLoops()).isEqualTo(1);
        } finally {
            sim.close();
        }
    }

    @Test
    void aProbeThatIsClearlyWorseIsUndoneBeforeItsWindowEnds() {
        int[] load = {0};
        Simulation sim = new Simulation(k -> load[0] == 0 ? 0 : k == 1 ? 150_000 : 110_000);
        try {
            sim.run(1_000); // quiet: one loop
            assertThat(sim.balancer.activeLoops()).isEqualTo(1);
            long onTwo = sim.timeOn[2];
            load[0] = 1;
            sim.run(3_000);
            assertThat(sim.balancer.loopProbes()).isEqualTo(1);
            assertThat(sim.balancer.loopReverts()).isEqualTo(1);
            assertThat(sim.balancer.activeLoops()).isEqualTo(1);
            // Two loops for the settle and the shortest window (plus a tick), not a whole window.
            long shortest = (LoopBalancer.SETTLE_NS + LoopBalancer.MIN_WINDOW_NS) / 1_000_000 + 20;
            assertThat(sim.timeOn[2] - onTwo).isLessThanOrEqualTo(shortest);
        } finally {
            sim.close();
        }
    }

    @Test
    void failedProbesBackOff() {
        Simulation sim = new Simulation(k -> k == 1 ? 150_000 : 110_000);
        sim.run(400_000);
        // A probe every 10 s would be 40 in 400 s; failed ones double the interval (10, 20, 40,
        // 80, 160 s: probes near 10, 30, 70, 150 and 310 s). A 40 s cap would give 11.
        assertThat(sim.balancer.loopReverts()).isBetween(4L, 6L);
        assertThat(sim.balancer.activeLoops()).isEqualTo(1);
        sim.close();
    }

    private static int settle(IntToLongFunction rate) {
        Simulation sim = new Simulation(rate);
        try {
            sim.run(10_000);
            // Most of the time is spent on the better count, whatever the probe schedule.
            return sim.mostUsed();
        } finally {
            sim.close();
        }
    }

    private static Config adaptiveConfig() {
        Config c = new Config();
        c.loadLines(List.of("io-threads-adaptive yes"), "(test)");
        return c;
    }

    /** The controller fed with a command rate that depends on how many loops are active. */
    private static final class Simulation {
        final Engine engine = new Engine(adaptiveConfig());
        final LoopBalancer balancer = new LoopBalancer(engine);
        final EventExecutor[] loops = {new DefaultEventLoop(), new DefaultEventLoop()};
        final IntToLongFunction rate;
        final long[] timeOn = new long[3];

        Simulation(IntToLongFunction rate) {
            this.rate = rate;
            balancer.newChooser(loops);
        }

        long now = 1_000_000_000L;

        void run(long ms) {
            for (long t = 0; t < ms; t += 20) {
                int k = balancer.activeLoops();
                timeOn[k] += 20;
                engine.stats().commandsProcessed.add(rate.applyAsLong(k) / 50);
                now += 20_000_000L;
                balancer.tick(now);
            }
        }

        int mostUsed() {
            return timeOn[1] > timeOn[2] ? 1 : 2;
        }

        void close() {
            for (EventExecutor e : loops) e.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }
}
