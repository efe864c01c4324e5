package io.amdc.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters behind INFO stats / errorstats; reset by CONFIG RESETSTAT. */
public final class Stats {
    public final LongAdder commandsProcessed = new LongAdder();
    public final LongAdder connectionsReceived = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder keyspaceHits = new LongAdder();
    public final LongAdder keyspaceMisses = new LongAdder();
    public final LongAdder totalErrorReplies = new LongAdder();
    public final LongAdder unexpectedErrorReplies = new LongAdder();
    public final LongAdder clientQueryBufferLimitDisconnections = new LongAdder();
    public final LongAdder clientOutputBufferLimitDisconnections = new LongAdder();
    public final LongAdder evictedClients = new LongAdder();
    public final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    /** Redis's instantaneous_* metrics: the mean rate over the last 16 samples taken every 100 ms. */
    private static final int SAMPLES = 16;
    private final double[][] rates = new double[3][SAMPLES];
    private final long[] lastTotals = new long[3];
    private long lastSampleMs;
    private int sampleIndex;

    /** Called by the cron; takes a sample at most every 100 ms. */
    public synchronized void sample(long nowMs) {
        long elapsed = nowMs - lastSampleMs;
        if (elapsed < 100) return;
        long[] totals = {commandsProcessed.sum(), netInputBytes.sum(), netOutputBytes.sum()};
        if (lastSampleMs != 0) {
            for (int m = 0; m < 3; m++) {
                rates[m][sampleIndex] = Math.max(0, totals[m] - lastTotals[m]) * 1000.0 / elapsed;
            }
            sampleIndex = (sampleIndex + 1) % SAMPLES;
        }
        System.arraycopy(totals, 0, lastTotals, 0, 3);
        lastSampleMs = nowMs;
    }

    private synchronized double instantaneous(int metric) {
        double sum = 0;
        for (double r : rates[metric]) sum += r;
        return sum / SAMPLES;
    }

    public long instantaneousOpsPerSec() {
        return (long) instantaneous(0);
    }

    public double instantaneousInputKbps() {
        return instantaneous(1) / 1024;
    }

    public double instantaneousOutputKbps() {
        return instantaneous(2) / 1024;
    }

    public void error(String code) {
        totalErrorReplies.increment();
        if (errors.size() < 128 || errors.containsKey(code)) {
            errors.computeIfAbsent(code, k -> new LongAdder()).increment();
        }
    }

    public void reset() {
        for (LongAdder a : new LongAdder[]{commandsProcessed, connectionsReceived, rejectedConnections, netInputBytes,
                netOutputBytes, keyspaceHits, keyspaceMisses, totalErrorReplies, unexpectedErrorReplies,
                clientQueryBufferLimitDisconnections, clientOutputBufferLimitDisconnections, evictedClients}) {
            a.reset();
        }
        errors.clear();
    }
}
