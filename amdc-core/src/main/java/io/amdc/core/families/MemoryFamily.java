package io.amdc.core.families;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;
import io.amdc.resp.RespOut;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.Locale;

/**
 * MEMORY: USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP. Figures are AMDC's estimates of its
 * own layout (see docs/architecture.md), the same ones used_memory and maxmemory work with.
 */
final class MemoryFamily {
    private MemoryFamily() {
    }

    static void declare(CommandTable t) {
        CommandSpec memory = t.add("memory", -2, "", "", null)
                .doc("A container for memory diagnostics commands.", "4.0.0", "server", "Depends on subcommand.");
        memory.sub("usage", -3, "readonly", "", 2, 2, 1, MemoryFamily::usage)
                .doc("Estimates the memory usage of a key.", "4.0.0", "server", "O(N) where N is the number of samples.");
        memory.sub("stats", 2, "", "", MemoryFamily::stats)
                .doc("Returns details about memory usage.", "4.0.0", "server", "O(1)");
        memory.sub("doctor", 2, "", "", MemoryFamily::doctor)
                .doc("Outputs a memory problems report.", "4.0.0", "server", "O(1)");
        memory.sub("malloc-stats", 2, "", "", MemoryFamily::mallocStats)
                .doc("Returns the allocator statistics.", "4.0.0", "server",
                        "Depends on how much memory is allocated, could be slow");
        memory.sub("purge", 2, "", "", MemoryFamily::purge)
                .doc("Asks the allocator to release memory.", "4.0.0", "server",
                        "Depends on how much memory is allocated, could be slow");
        memory.sub("help", 2, "loading stale", "", MemoryFamily::help)
                .doc("Returns helpful text about the different subcommands.", "4.0.0", "server", "O(1)");
    }

    /**
     * MEMORY USAGE key [SAMPLES n]: the key's entry (a small string packed with its key, or key,
     * value and their pairing object) and its cells in the slot table (a reference and the access
     * word, plus the expiry when the key has a TTL). Aggregates report their size exactly, so
     * SAMPLES is validated but not needed.
     */
    static void usage(Client c, byte[][] argv) {
        for (int i = 3; i < argv.length; i += 2) {
            if (!Bytes.eqIgnoreCase(argv[i], "SAMPLES") || i + 1 >= argv.length) throw CommandError.syntax();
            if (Bytes.toLong(argv[i + 1]) < 0) throw CommandError.syntax();
        }
        long usage = c.db().usage(argv[2]);
        if (usage < 0) c.out().nullBulk();
        else c.out().integer(usage);
    }

    static void stats(Client c, byte[][] argv) {
        Engine e = c.engine();
        InfoSection.MemoryBreakdown m = InfoSection.memoryBreakdown(e);
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        long heapCommitted = rt.totalMemory();
        long rss = InfoSection.rssBytes();
        long keys = e.keyspace().totalKeys();
        int dbsShown = 0;
        for (long[] o : m.perDb()) if (o != null) dbsShown++;
        RespOut out = c.out();
        out.map(27 + dbsShown);
        entry(out, "peak.allocated", m.peak());
        entry(out, "total.allocated", m.used());
        entry(out, "startup.allocated", m.startup());
        entry(out, "replication.backlog", 0);
        entry(out, "clients.slaves", 0);
        entry(out, "clients.normal", m.clients());
        entry(out, "cluster.links", 0);
        entry(out, "aof.buffer", 0);
        entry(out, "lua.caches", 0);
        entry(out, "functions.caches", 0);
        for (int i = 0; i < m.perDb().length; i++) {
            long[] o = m.perDb()[i];
            if (o == null) continue;
            out.bulk("db." + i);
            out.map(3);
            entry(out, "overhead.hashtable.main", o[0]);
            entry(out, "overhead.hashtable.expires", o[1]);
            entry(out, "overhead.hashtable.slot-to-keys", 0);
        }
        entry(out, "overhead.total", m.overhead());
        entry(out, "keys.count", keys);
        entry(out, "keys.bytes-per-key", keys == 0 ? 0 : (m.used() - m.startup()) / keys);
        entry(out, "dataset.bytes", m.dataset());
        dbl(out, "dataset.percentage", m.datasetPerc());
        dbl(out, "peak.percentage", m.peak() == 0 ? 0 : 100.0 * m.used() / m.peak());
        entry(out, "allocator.allocated", heapUsed);
        entry(out, "allocator.active", heapCommitted);
        entry(out, "allocator.resident", rss);
        dbl(out, "allocator-fragmentation.ratio", ratio(heapCommitted, heapUsed));
        entry(out, "allocator-fragmentation.bytes", heapCommitted - heapUsed);
        dbl(out, "allocator-rss.ratio", ratio(rss, heapCommitted));
        entry(out, "allocator-rss.bytes", rss - heapCommitted);
        dbl(out, "rss-overhead.ratio", ratio(rss, heapCommitted));
        entry(out, "rss-overhead.bytes", rss - heapCommitted);
        dbl(out, "fragmentation", ratio(rss, m.used()));
        entry(out, "fragmentation.bytes", rss - m.used());
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static void entry(RespOut out, String name, long v) {
        out.bulk(name);
        out.integer(v);
    }

    private static void dbl(RespOut out, String name, double v) {
        out.bulk(name);
        out.dbl(v);
    }

    /** A short report in the spirit of Redis's: empty instance, peak far above now, heavy clients, GC load. */
    static void doctor(Client c, byte[][] argv) {
        Engine e = c.engine();
        InfoSection.MemoryBreakdown m = InfoSection.memoryBreakdown(e);
        if (m.used() < 5L * 1024 * 1024) {
            c.out().verbatim("Hi Sam, this instance is empty or is using very little memory, my issues detector can't "
                    + "be used in these conditions. Please, leave for your mission on Earth and fill it with some data. "
                    + "The new Sam and I will be back to our programming as soon as I finished rebooting.");
            return;
        }
        StringBuilder sb = new StringBuilder();
        if (m.peak() > m.used() * 3 / 2) {
            sb.append(" * Peak memory: in the past this instance used more than 150% the memory that is currently "
                    + "using. The JVM returns freed heap to the system only gradually (G1 periodic collections "
                    + "uncommit it), so the RSS may stay high for a while.\n\n");
        }
        long keys = e.keyspace().totalKeys();
        if (m.clients() > 200L * 1024 * e.clients().size() && e.clients().size() > 0) {
            sb.append(" * Big client buffers: the clients use on average more than 200 KB each for their query and "
                    + "output buffers. Check CLIENT LIST for slow readers or large pipelines.\n\n");
        }
        long uptimeMs = Math.max(1, System.currentTimeMillis() - e.startTimeMs());
        long gcMs = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) gcMs += Math.max(0, gc.getCollectionTime());
        if (gcMs * 20 > uptimeMs) {
            sb.append(" * Garbage collection: the JVM spent more than 5% of the uptime collecting (")
                    .append(gcMs).append(" ms). A larger heap (AMDC_HEAP) or a lower maxmemory lowers it.\n\n");
        }
        long max = e.config().getLong("maxmemory");
        long heapMax = Runtime.getRuntime().maxMemory();
        if (max == 0 && keys > 0 && m.used() > heapMax / 2) {
            sb.append(" * No maxmemory: the dataset estimate is over half of the JVM's maximum heap and no "
                    + "maxmemory is set; the process will fail with OutOfMemoryError instead of evicting.\n\n");
        }
        if (sb.length() == 0) {
            c.out().verbatim("Hi Sam, I can't find any memory issue in your instance. I can only account for what "
                    + "occurs on this base.");
            return;
        }
        c.out().verbatim("Sam, I detected a few issues in this AMDC instance memory implants:\n\n" + sb);
    }

    /** The JVM's memory pools take the place of the allocator's report. */
    static void mallocStats(Client c, byte[][] argv) {
        StringBuilder sb = new StringBuilder("___ Begin JVM memory pool statistics ___\n");
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            var u = p.getUsage();
            sb.append(String.format(Locale.ROOT, "%-32s %-8s used=%d committed=%d max=%d%n", p.getName(),
                    p.getType().name().toLowerCase(Locale.ROOT), u.getUsed(), u.getCommitted(), u.getMax()));
        }
        sb.append("--- End JVM memory pool statistics ---\n");
        c.out().verbatim(sb.toString());
    }

    /** The JVM's nearest equivalent of jemalloc's purge: see {@link io.amdc.core.memory.HeapTrimmer#purge()}. */
    static void purge(Client c, byte[][] argv) {
        c.engine().heapTrimmer().purge();
        c.out().ok();
    }

    static void help(Client c, byte[][] argv) {
        ServerFamily.help(c.out(), "MEMORY",
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all).");
    }

}
