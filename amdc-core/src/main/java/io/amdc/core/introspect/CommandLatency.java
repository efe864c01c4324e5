package io.amdc.core.introspect;

import io.amdc.core.command.CommandSpec;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Per-command latency histograms (latency-tracking), behind INFO latencystats and LATENCY
 * HISTOGRAM. Like Redis: nanoseconds from 1 ns to 1 s at 2 significant digits. Each recording
 * thread has its own plain histogram per command (one shared atomic histogram made every command
 * on every event loop fight over the same counters' cache lines); readers merge them.
 */
public final class CommandLatency {
    static final long LOWEST = 1;
    static final long HIGHEST = 1_000_000_000L;

    private CommandLatency() {
    }

    /** A command's histograms, one per thread that ran it. */
    public static final class Cells {
        private final CopyOnWriteArrayList<Histogram> all = new CopyOnWriteArrayList<>();
        private final ThreadLocal<Histogram> mine = ThreadLocal.withInitial(() -> {
            Histogram h = new Histogram(LOWEST, HIGHEST, 2);
            all.add(h);
            return h;
        });

        /** A snapshot of every thread's counts (racy against writers, as statistics may be). */
        Histogram merged() {
            Histogram m = new Histogram(LOWEST, HIGHEST, 2);
            for (Histogram h : all) m.add(h);
            return m;
        }
    }

    public static void record(CommandSpec cmd, long nanos) {
        Cells c = cmd.latency;
        if (c == null) c = create(cmd);
        c.mine.get().recordValue(Math.max(LOWEST, Math.min(HIGHEST, nanos)));
    }

    private static Cells create(CommandSpec cmd) {
        synchronized (cmd) {
            if (cmd.latency == null) cmd.latency = new Cells();
            return cmd.latency;
        }
    }

    public static void reset(CommandSpec cmd) {
        cmd.latency = null;
    }

    private static Histogram merged(CommandSpec cmd) {
        Cells c = cmd.latency;
        return c == null ? null : c.merged();
    }

    /** One INFO latencystats line, or null when the command never ran. */
    public static String infoLine(CommandSpec cmd, double[] percentiles) {
        Histogram h = merged(cmd);
        if (h == null || h.getTotalCount() == 0) return null;
        StringBuilder sb = new StringBuilder("latency_percentiles_usec_").append(cmd.name).append(':');
        for (int i = 0; i < percentiles.length; i++) {
            if (i > 0) sb.append(',');
            sb.append('p').append(label(percentiles[i])).append('=')
                    .append(String.format(Locale.ROOT, "%.3f", h.getValueAtPercentile(percentiles[i]) / 1000.0));
        }
        return sb.toString();
    }

    /** "50", "99.9": the percentile as configured, without trailing zeros. */
    static String label(double p) {
        return BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
    }

    public static long calls(CommandSpec cmd) {
        Cells c = cmd.latency;
        if (c == null) return 0;
        long n = 0;
        for (Histogram h : c.all) n += h.getTotalCount();
        return n;
    }

    /**
     * LATENCY HISTOGRAM buckets: powers of two starting at 1024 ns, keyed by the bucket's upper
     * bound in µs, with cumulative counts; empty buckets are left out.
     */
    public static Map<Long, Long> cumulativeBuckets(CommandSpec cmd) {
        Map<Long, Long> out = new LinkedHashMap<>();
        Histogram h = merged(cmd);
        if (h == null) return out;
        int step = 0;
        for (HistogramIterationValue v : h.logarithmicBucketValues(1024, 2)) {
            if (v.getCountAddedInThisIterationStep() > 0) {
                out.put((1024L << step) / 1000, v.getTotalCountToThisValue());
            }
            step++;
        }
        return out;
    }
}
