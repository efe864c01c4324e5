package io.amdc.server;

import io.amdc.core.Engine;
import io.amdc.core.config.ConfigParam;
import io.amdc.core.config.OutputBufferLimits;
import io.amdc.core.session.Client;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides how many of the {@code io-threads} event loops serve clients, by measuring
 * ({@code io-threads-adaptive}). More loops are not always faster: when the clients share the
 * machine's cores (or anything else does), a second busy loop takes CPU the clients need, and
 * every request pays wake-ups and run-queue waits. Measured here with redis-benchmark on 2 cores:
 * one loop matched Redis at -P 1 (p99 equal) where two gave 0.7-0.85x and a 3 ms p99, while at
 * -P 16 two loops gave 1.4-1.6x Redis on SET and one 1.2-1.4x (0.55-0.75x before replies were
 * flushed once per loop iteration), with a p99 twice Redis's. So the balancer hill-climbs on
 * throughput: under sustained load it periodically tries one loop more or fewer, keeps the change
 * if the command rate did not drop and moves the connections back if it did, backing off while
 * probes keep failing. A quiet server goes back to one loop. New connections go to the active
 * loops; connections move between loops only between commands (see {@link Connection#migrate}).
 */
final class LoopBalancer implements EventExecutorChooserFactory, Engine.IoLoops {
    /** Below this rate (commands/s) the loop count does not matter and nothing is probed. */
    static final long BUSY_RATE = 20_000;
    /**
     * A measuring window ends after this many commands or WINDOW_NS, whichever comes first (but
     * not before MIN_WINDOW_NS): the rate's noise depends on the count, so a fast load is judged
     * as surely as a slow one, and a probe of a worse setting costs it less.
     */
    static final long WINDOW_COMMANDS = 200_000;
    static final long WINDOW_NS = 250_000_000L;
    static final long MIN_WINDOW_NS = 40_000_000L;
    /** After a change, the first part of the load runs on loops still warming their queues. */
    static final long SETTLE_NS = 50_000_000L;
    static final long PROBE_INTERVAL_NS = 10_000_000_000L;
    /**
     * A failed probe runs a window or so on the worse loop count, and its requests pay for it in
     * the tail (at -P 1 on 2 cores two loops have a 3-4 ms p99): on a load that keeps proving its
     * loop count right, probes back off to one every 160 s, under 0.2% of the time. A load shift
     * still probes at once.
     */
    static final long MAX_PROBE_INTERVAL_NS = 160_000_000_000L;
    /** Two windows this close make a steady load worth probing (a changing one would fool the comparison). */
    static final double STEADY_SPREAD = 0.08;
    /** Even a changed load waits this long after the last decision (a load that keeps changing). */
    static final long MIN_PROBE_GAP_NS = 1_000_000_000L;
    /** A steady rate this far from the one the last decision saw is a different load. */
    static final double LOAD_SHIFT = 0.3;
    /** A probe of fewer loops is undone when the rate fell by more than this fraction. */
    static final double TOLERANCE = 0.02;
    /**
     * A probe of more loops is kept only when the rate rose by at least this fraction: a loop
     * that adds nothing still costs CPU and tail. ZRANGE on one key at -P 16 (both loops taking
     * turns on one slot lock) ran 1.34M requests/s on one loop and 1.20M on the two a probe had
     * kept within the 2% tolerance, on a warming-up window.
     */
    static final double GAIN = 0.03;
    /**
     * A probe is undone before its window is over when the rate already fell by more than this
     * (well above the noise of the shortest window).
     */
    static final double EARLY_UNDO = 0.10;

    private enum Phase { STEADY, SETTLING, MEASURING }

    private final Engine engine;
    private final ConfigParam adaptive;
    private volatile EventExecutor[] loops = new EventExecutor[0];
    private volatile int active;
    private final AtomicInteger next = new AtomicInteger();

    // Controller state: only the cron thread touches it.
    private Phase phase = Phase.STEADY;
    /** What follows a settle: measuring a probe, or (after undoing one) steady running. */
    private Phase afterSettle = Phase.MEASURING;
    private long windowStartNs = -1, windowStartCommands;
    private int busyWindows;
    private double lastRate;
    /** The rate of the setting the last probe left in place (0: none yet, so the first load is probed). */
    private double decidedRate;
    private long decidedAtNs;
    private long nextProbeNs;
    private long probeInterval = PROBE_INTERVAL_NS;
    private int previousActive;
    private double previousRate;
    private volatile long probes, reverts;

    LoopBalancer(Engine engine) {
        this.engine = engine;
        this.adaptive = engine.config().param("io-threads-adaptive");
        adaptive.onChange(p -> {
            if (!p.asBool()) apply(loops.length);
        });
    }

    @Override
    public EventExecutorChooser newChooser(EventExecutor[] executors) {
        loops = executors.clone();
        active = executors.length;
        return () -> {
            EventExecutor[] l = loops;
            return l[Math.floorMod(next.getAndIncrement(), Math.max(1, Math.min(active, l.length)))];
        };
    }

    EventExecutor loop(int i) {
        return loops[i];
    }

    @Override
    public int activeLoops() {
        return active;
    }

    @Override
    public long loopProbes() {
        return probes;
    }

    @Override
    public long loopReverts() {
        return reverts;
    }

    /** Called by the server cron every few tens of milliseconds. */
    void tick(long nowNs) {
        if (loops.length < 2 || !adaptive.asBool()) {
            phase = Phase.STEADY;
            windowStartNs = -1;
            return;
        }
        long commands = engine.stats().commandsProcessed.sum();
        if (windowStartNs < 0) {
            windowStartNs = nowNs;
            windowStartCommands = commands;
            return;
        }
        long elapsed = nowNs - windowStartNs;
        if (phase == Phase.SETTLING) {
            if (elapsed < SETTLE_NS) return;
            phase = afterSettle;
            windowStartNs = nowNs;
            windowStartCommands = commands;
            return;
        }
        if (elapsed < MIN_WINDOW_NS) return;
        double rate = (commands - windowStartCommands) * 1e9 / elapsed;
        // A probe already far worse is judged at once: its requests pay the worse setting's tail
        // (a whole window of two loops at -P 1 is ~4% of a 7 s benchmark run, over its p99).
        boolean clearlyWorse = phase == Phase.MEASURING && rate < previousRate * (1 - EARLY_UNDO);
        if (!clearlyWorse && elapsed < WINDOW_NS && commands - windowStartCommands < WINDOW_COMMANDS) return;
        windowStartNs = nowNs;
        windowStartCommands = commands;
        if (phase == Phase.MEASURING) {
            judgeProbe(rate, nowNs);
            return;
        }
        double before = lastRate;
        lastRate = rate;
        busyWindows = rate >= BUSY_RATE ? busyWindows + 1 : 0;
        if (rate < BUSY_RATE && active > 1) {
            // Gone quiet: the next load starts on one loop, the setting with the shorter tail on
            // a machine it shares, and probes upward if it is busy enough to gain. Inheriting two
            // loops from a pipelined load gave the next -P 1 load a 3 ms p99 until its probe.
            apply(1);
            decidedRate = 0;
            return;
        }
        if (busyWindows < 2) return;
        boolean steady = Math.abs(rate - before) <= STEADY_SPREAD * Math.max(rate, before);
        if (!steady) return;
        double current = (rate + before) / 2;
        // A load unlike the one the last decision was made for is probed at once.
        boolean shifted = Math.abs(current - decidedRate) > LOAD_SHIFT * Math.max(current, decidedRate);
        if ((shifted && nowNs - decidedAtNs >= MIN_PROBE_GAP_NS) || nowNs - nextProbeNs >= 0) startProbe(current);
    }

    private void startProbe(double rate) {
        int n = loops.length;
        int k = active;
        int candidate = k >= n ? k - 1 : k + 1;
        previousActive = k;
        previousRate = rate;
        probes++;
        apply(candidate);
        phase = Phase.SETTLING;
        afterSettle = Phase.MEASURING;
    }

    private void judgeProbe(double rate, long nowNs) {
        phase = Phase.STEADY;
        if (rate < BUSY_RATE) {
            // The load ended under the probe: nothing learned, back to what was measured before.
            apply(previousActive);
            busyWindows = 0;
            return;
        }
        // Ties go to fewer loops.
        boolean worse = active > previousActive ? rate < previousRate * (1 + GAIN) : rate < previousRate * (1 - TOLERANCE);
        io.amdc.core.util.Log.verbose(String.format(java.util.Locale.ROOT,
                "io loops %d -> %d: %.0f -> %.0f commands/s, %s", previousActive, active, previousRate, rate,
                worse ? "undone" : "kept"));
        if (worse) {
            reverts++;
            apply(previousActive);
            decidedRate = previousRate;
            probeInterval = Math.min(MAX_PROBE_INTERVAL_NS, probeInterval * 2);
            // The revert itself settles before the next window counts.
            phase = Phase.SETTLING;
            afterSettle = Phase.STEADY;
        } else {
            decidedRate = rate;
            probeInterval = PROBE_INTERVAL_NS;
        }
        nextProbeNs = nowNs + probeInterval;
        decidedAtNs = nowNs;
        busyWindows = 0;
    }

    /** Makes {@code k} loops active and moves connections so each active loop has a fair share. */
    synchronized void apply(int k) {
        EventExecutor[] l = loops;
        if (l.length == 0) return;
        k = Math.max(1, Math.min(k, l.length));
        active = k;
        List<List<NetClient>> byLoop = new ArrayList<>();
        for (int i = 0; i < l.length; i++) byLoop.add(new ArrayList<>());
        int total = 0;
        for (Client c : engine.clients().values()) {
            if (!(c instanceof NetClient nc) || nc.outputLimitClass() != OutputBufferLimits.NORMAL) continue;
            int i = indexOf(l, nc.loop());
            if (i < 0) continue;
            byLoop.get(i).add(nc);
            total++;
        }
        int quota = (total + k - 1) / k;
        List<NetClient> moving = new ArrayList<>();
        for (int i = 0; i < l.length; i++) {
            List<NetClient> on = byLoop.get(i);
            int keep = i < k ? Math.min(on.size(), quota) : 0;
            moving.addAll(on.subList(keep, on.size()));
            on.subList(keep, on.size()).clear();
        }
        int target = 0;
        for (NetClient c : moving) {
            while (byLoop.get(target).size() >= quota) target++;
            byLoop.get(target).add(c);
            c.moveTo((EventLoop) l[target]);
        }
    }

    private static int indexOf(EventExecutor[] l, EventLoop loop) {
        for (int i = 0; i < l.length; i++) if (l[i] == loop) return i;
        return -1;
    }
}
