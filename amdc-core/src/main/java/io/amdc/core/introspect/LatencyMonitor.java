package io.amdc.core.introspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LATENCY's event time series: per event, the worst latency (ms) of each second over the last
 * 160 recorded seconds, plus the all-time maximum. Fed when a command takes at least
 * latency-monitor-threshold ms ("command", or "fast-command" for commands flagged fast).
 */
public final class LatencyMonitor {
    static final int SAMPLES = 160;

    /** One sample: the second it was taken and the worst latency seen in it. */
    public record Sample(long time, long latency) {
    }

    static final class Series {
        final long[] time = new long[SAMPLES];
        final long[] latency = new long[SAMPLES];
        int next;
        long max;
    }

    private final Map<String, Series> events = new LinkedHashMap<>();

    public synchronized void add(String event, long ms) {
        long now = System.currentTimeMillis() / 1000;
        Series s = events.computeIfAbsent(event, k -> new Series());
        int prev = (s.next + SAMPLES - 1) % SAMPLES;
        if (s.time[prev] == now) {
            s.latency[prev] = Math.max(s.latency[prev], ms);
        } else {
            s.time[s.next] = now;
            s.latency[s.next] = ms;
            s.next = (s.next + 1) % SAMPLES;
        }
        s.max = Math.max(s.max, ms);
    }

    /** Oldest first. */
    public synchronized List<Sample> history(String event) {
        Series s = events.get(event);
        List<Sample> out = new ArrayList<>();
        if (s == null) return out;
        for (int i = 0; i < SAMPLES; i++) {
            int j = (s.next + i) % SAMPLES;
            if (s.time[j] != 0) out.add(new Sample(s.time[j], s.latency[j]));
        }
        return out;
    }

    /** Event name to {time, latest, all-time max}. */
    public synchronized Map<String, long[]> latest() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Series> e : events.entrySet()) {
            Series s = e.getValue();
            int prev = (s.next + SAMPLES - 1) % SAMPLES;
            out.put(e.getKey(), new long[] {s.time[prev], s.latency[prev], s.max});
        }
        return out;
    }

    public synchronized long max(String event) {
        Series s = events.get(event);
        return s == null ? 0 : s.max;
    }

    /** Resets the named events (all when empty); returns how many existed. */
    public synchronized int reset(List<String> names) {
        if (names.isEmpty()) {
            int n = events.size();
            events.clear();
            return n;
        }
        int n = 0;
        for (String name : names) {
            if (events.remove(name) != null) n++;
        }
        return n;
    }

    static final String NO_SPIKES = "Dave, no latency spike was observed during the lifetime of this Redis instance, "
            + "not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, "
            + "and think things over.\n";

    /** LATENCY DOCTOR: per event statistics and advice, in the style of Redis's report. */
    public String doctor(long slowlogThresholdUs) {
        Map<String, long[]> latest = latest();
        if (latest.isEmpty()) return NO_SPIKES;
        StringBuilder sb = new StringBuilder("Dave, I have observed latency spikes in this Redis instance. "
                + "You don't mind talking about it, do you Dave?\n\n");
        int i = 1;
        boolean fast = false;
        for (String event : latest.keySet()) {
            List<Sample> h = history(event);
            if (h.isEmpty()) continue;
            double avg = 0;
            for (Sample s : h) avg += s.latency();
            avg /= h.size();
            double dev = 0;
            for (Sample s : h) dev += Math.abs(s.latency() - avg);
            dev /= h.size();
            double period = h.size() > 1 ? (double) (h.get(h.size() - 1).time() - h.get(0).time()) / (h.size() - 1) : 1;
            sb.append(String.format(Locale.ROOT,
                    "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.\n",
                    i++, event, h.size(), (long) avg, (long) dev, period, max(event)));
            if (event.equals("fast-command")) fast = true;
        }
        sb.append("\nI have a few advices for you:\n\n");
        if (slowlogThresholdUs < 0) {
            sb.append("- The slow log is disabled, enable it with CONFIG SET slowlog-log-slower-than <microseconds> "
                    + "to find out which commands are slow.\n");
        } else {
            sb.append("- Check your Slow Log to understand what are the commands you are running which are too slow "
                    + "to execute. Please check https://redis.io/commands/slowlog for more information.\n");
        }
        if (fast) {
            sb.append("- Commands flagged fast took long: the host may not give the server enough CPU time. Lower "
                    + "the system load, avoid noisy neighbours, and check the JVM's garbage collection pauses.\n");
        } else {
            sb.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking "
                    + "operation. If you have very large objects that are often deleted, expired, or evicted, try to "
                    + "fragment those objects into multiple smaller objects.\n");
        }
        return sb.toString();
    }

    /**
     * LATENCY GRAPH: a header with the high/low of the samples, then one column per sample whose
     * height is its latency scaled between low and high, and the sample's age written vertically.
     */
    public String graph(String event) {
        List<Sample> h = history(event);
        long hi = 0;
        long lo = Long.MAX_VALUE;
        for (Sample s : h) {
            hi = Math.max(hi, s.latency());
            lo = Math.min(lo, s.latency());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(event).append(" - high ").append(hi).append(" ms, low ").append(lo)
                .append(" ms (all time high ").append(max(event)).append(" ms)\n");
        sb.append("-".repeat(80)).append('\n');
        final int rows = 4;
        char[][] grid = new char[rows][h.size()];
        long now = System.currentTimeMillis() / 1000;
        String[] ages = new String[h.size()];
        int ageRows = 0;
        for (int x = 0; x < h.size(); x++) {
            long l = h.get(x).latency();
            int height = hi == lo ? rows : 1 + (int) ((l - lo) * (rows - 1) / (hi - lo));
            for (int y = 0; y < rows; y++) {
                int fromBottom = rows - 1 - y;
                grid[y][x] = fromBottom < height - 1 ? '|' : fromBottom == height - 1 ? (height == rows ? '#' : '_') : ' ';
            }
            ages[x] = age(now - h.get(x).time());
            ageRows = Math.max(ageRows, ages[x].length());
        }
        for (char[] row : grid) sb.append(new String(row)).append('\n');
        for (int y = 0; y < ageRows; y++) {
            for (String a : ages) sb.append(y < a.length() ? a.charAt(y) : ' ');
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String age(long sec) {
        if (sec < 60) return sec + "s";
        if (sec < 3600) return sec / 60 + "m";
        return sec / 3600 + "h";
    }
}
