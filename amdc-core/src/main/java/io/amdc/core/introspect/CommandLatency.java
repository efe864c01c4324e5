package io.amdc.core.introspect;

import io.amdc.core.command.CommandSpec;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.HistogramIterationValue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Per-command latency histograms (latency-tracking), behind INFO latencystats and LATENCY
 * HISTOGRAM. Like Redis: nanoseconds from 1 ns to 1 s at 2 significant digits. The histogram is
 * lock-free (atomic counters), created on a command's first call.
 */
public final class CommandLatency {
    static final long LOWEST = 1;
    static final long HIGHEST = 1_000_000_000L;

    private CommandLatency() {
    }

    public static void record(CommandSpec cmd, long nanos) {
        AtomicHistogram h = cmd.latencyHistogram;
        if (h == null) h = create(cmd);
        h.recordValue(Math.max(LOWEST, Math.min(HIGHEST, nanos)));
    }

    private static AtomicHistogram create(CommandSpec cmd) {
        synchronized (cmd) {
            if (cmd.latencyHistogram == null) cmd.latencyHistogram = new AtomicHistogram(LOWEST, HIGHEST, 2);
            return cmd.latencyHistogram;
        }
    }

    public static void reset(CommandSpec cmd) {
        cmd.latencyHistogram = null;
    }

    /** One INFO latencystats line, or null when the command never ran. */
    public static String infoLine(CommandSpec cmd, double[] percentiles) {
        AtomicHistogram h = cmd.latencyHistogram;
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
        AtomicHistogram h = cmd.latencyHistogram;
        return h == null ? 0 : h.getTotalCount();
    }

    /**
     * LATENCY HISTOGRAM buckets: powers of two starting at 1024 ns, keyed by the bucket's upper
     * bound in µs, with cumulative counts; empty buckets are left out.
     */
    public static Map<Long, Long> cumulativeBuckets(CommandSpec cmd) {
        Map<Long, Long> out = new LinkedHashMap<>();
        AtomicHistogram h = cmd.latencyHistogram;
        if (h == null) return out;
        int step = 0;
        for (HistogramIterationValue v : h.copy().logarithmicBucketValues(1024, 2)) {
            if (v.getCountAddedInThisIterationStep() > 0) {
                out.put((1024L << step) / 1000, v.getTotalCountToThisValue());
            }
            step++;
        }
        return out;
    }
}
