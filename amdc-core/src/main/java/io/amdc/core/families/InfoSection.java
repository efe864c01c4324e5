package io.amdc.core.families;

import io.amdc.core.Engine;
import io.amdc.core.Stats;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.config.Config;
import io.amdc.core.keyspace.Db;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** INFO [section ...]: Redis 7.2's sections, field names and text layout. */
final class InfoSection {
    /** What INFO with no argument (or "default") shows. */
    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");
    /** Every section in output order; "all" adds these (but amdc) to the default sections. */
    private static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace", "amdc");

    private static final AtomicLong PEAK_MEMORY = new AtomicLong();
    private static final String REPL_ID = randomHex();
    private static final long PAGE_SIZE = 4096;

    private InfoSection() {
    }

    static void info(Client c, byte[][] argv) {
        Set<String> wanted = new LinkedHashSet<>();
        if (argv.length == 1) {
            wanted.addAll(DEFAULT);
        } else {
            for (int i = 1; i < argv.length; i++) {
                String s = Bytes.str(argv[i]).toLowerCase(Locale.ROOT);
                switch (s) {
                    case "default" -> wanted.addAll(DEFAULT);
                    case "everything" -> wanted.addAll(ALL);
                    // Like a module's section, # Amdc is left out of "all".
                    case "all" -> ALL.stream().filter(x -> !x.equals("amdc")).forEach(wanted::add);
                    default -> wanted.add(s);
                }
            }
        }
        c.out().verbatim(render(c.engine(), wanted));
    }

    /** Sections in Redis's fixed order, whatever order they were asked in. */
    static String render(Engine e, Set<String> wanted) {
        StringBuilder sb = new StringBuilder(4096);
        for (String section : ALL) {
            if (!wanted.contains(section)) continue;
            if (sb.length() > 0) sb.append("\r\n");
            switch (section) {
                case "server" -> server(e, sb);
                case "clients" -> clients(e, sb);
                case "memory" -> memory(e, sb);
                case "persistence" -> persistence(e, sb);
                case "stats" -> stats(e, sb);
                case "replication" -> replication(e, sb);
                case "cpu" -> cpu(sb);
                case "modules" -> sb.append("# Modules\r\n");
                case "commandstats" -> commandstats(e, sb);
                case "errorstats" -> errorstats(e, sb);
                case "latencystats" -> latencystats(e, sb);
                case "cluster" -> sb.append("# Cluster\r\ncluster_enabled:0\r\n");
                case "keyspace" -> keyspace(e, sb);
                case "amdc" -> amdc(e, sb);
                default -> throw new IllegalStateException(section);
            }
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    private static void server(Engine e, StringBuilder sb) {
        Config cfg = e.config();
        long uptime = (System.currentTimeMillis() - e.startTimeMs()) / 1000;
        sb.append("# Server\r\n");
        field(sb, "redis_version", Engine.REDIS_VERSION);
        field(sb, "amdc_version", Engine.AMDC_VERSION);
        field(sb, "redis_git_sha1", "00000000");
        field(sb, "redis_git_dirty", 0);
        field(sb, "redis_build_id", "0");
        field(sb, "redis_mode", "standalone");
        field(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        field(sb, "arch_bits", 64);
        field(sb, "monotonic_clock", "POSIX clock_gettime");
        field(sb, "multiplexing_api", "epoll");
        field(sb, "atomicvar_api", "c11-builtin");
        field(sb, "gcc_version", "0.0.0");
        field(sb, "java_version", System.getProperty("java.version"));
        field(sb, "process_id", ProcessHandle.current().pid());
        field(sb, "process_supervised", "no");
        field(sb, "run_id", e.runId());
        field(sb, "tcp_port", e.port());
        long nowUs = System.currentTimeMillis() * 1000;
        field(sb, "server_time_usec", nowUs);
        field(sb, "uptime_in_seconds", uptime);
        field(sb, "uptime_in_days", uptime / 86400);
        field(sb, "hz", cfg.getLong("hz"));
        field(sb, "configured_hz", cfg.getLong("hz"));
        field(sb, "lru_clock", io.amdc.core.keyspace.AccessClock.lru());
        field(sb, "executable", ProcessHandle.current().info().command().orElse(""));
        field(sb, "config_file", cfg.file() == null ? "" : cfg.file().toString());
        // I/O runs on several event loops, like Redis with io-threads active.
        field(sb, "io_threads_active", cfg.getLong("io-threads") > 1 ? 1 : 0);
        field(sb, "listener0", "name=tcp,bind=" + cfg.get("bind").replace(' ', ',') + ",port=" + e.port());
    }

    private static void clients(Engine e, StringBuilder sb) {
        long maxIn = 0;
        long maxOut = 0;
        for (Client c : e.clients().values()) {
            maxIn = Math.max(maxIn, c.queryBufferBytes());
            maxOut = Math.max(maxOut, c.outputBufferBytes());
        }
        sb.append("# Clients\r\n");
        field(sb, "connected_clients", e.clients().size());
        field(sb, "cluster_connections", 0);
        field(sb, "maxclients", e.config().getLong("maxclients"));
        field(sb, "client_recent_max_input_buffer", maxIn);
        field(sb, "client_recent_max_output_buffer", maxOut);
        field(sb, "blocked_clients", e.blocking().blockedClients());
        field(sb, "tracking_clients", e.tracking().clients());
        field(sb, "clients_in_timeout_table", 0);
        field(sb, "total_blocking_keys", e.blocking().blockingKeys());
        field(sb, "total_blocking_keys_on_nokey", 0);
    }

    /** Where used_memory comes from: the parts INFO memory and MEMORY STATS both report. */
    record MemoryBreakdown(long used, long startup, long clients, long overheadMain, long overheadExpires,
                           long[][] perDb, long peak) {
        long overhead() {
            return startup + clients + overheadMain + overheadExpires;
        }

        long dataset() {
            return Math.max(0, used - overhead());
        }

        double datasetPerc() {
            long net = used - startup;
            return net <= 0 ? 0 : 100.0 * dataset() / net;
        }
    }

    /** Walks every slot table for the structural overhead (O(databases x slots), as INFO may). */
    static MemoryBreakdown memoryBreakdown(Engine e) {
        Keyspace ks = e.keyspace();
        long main = 0;
        long exp = 0;
        long[][] perDb = new long[ks.databases()][];
        for (int i = 0; i < ks.databases(); i++) {
            Db db = ks.db(i);
            if (db.memory() == 0) continue;
            long[] o = db.overhead();
            perDb[i] = o;
            main += o[0];
            exp += o[1];
        }
        long used = e.usedMemory();
        return new MemoryBreakdown(used, e.startupMemory(), e.clientsMemory(), main, exp, perDb, peak(used));
    }

    static long peak(long used) {
        return PEAK_MEMORY.accumulateAndGet(used, Math::max);
    }

    private static String perc(double v) {
        return String.format(Locale.ROOT, "%.2f%%", v);
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.2f", b == 0 ? 0.0 : (double) a / b);
    }

    /**
     * Redis's fields with AMDC's meanings: used_memory is the estimate of keys, values, tables and
     * client buffers that maxmemory is enforced against; the allocator_* fields are the JVM heap
     * (used, committed) and the process RSS. The JVM's own figures are in the # Amdc section.
     */
    private static void memory(Engine e, StringBuilder sb) {
        Runtime rt = Runtime.getRuntime();
        MemoryBreakdown m = memoryBreakdown(e);
        long used = m.used();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        long heapCommitted = rt.totalMemory();
        long rss = rssBytes();
        long maxmemory = e.config().getLong("maxmemory");
        long total = totalSystemMemory();
        sb.append("# Memory\r\n");
        field(sb, "used_memory", used);
        field(sb, "used_memory_human", human(used));
        field(sb, "used_memory_rss", rss);
        field(sb, "used_memory_rss_human", human(rss));
        field(sb, "used_memory_peak", m.peak());
        field(sb, "used_memory_peak_human", human(m.peak()));
        field(sb, "used_memory_peak_perc", perc(m.peak() == 0 ? 0.0 : 100.0 * used / m.peak()));
        field(sb, "used_memory_overhead", m.overhead());
        field(sb, "used_memory_startup", m.startup());
        field(sb, "used_memory_dataset", m.dataset());
        field(sb, "used_memory_dataset_perc", perc(m.datasetPerc()));
        field(sb, "allocator_allocated", heapUsed);
        field(sb, "allocator_active", heapCommitted);
        field(sb, "allocator_resident", rss);
        field(sb, "total_system_memory", total);
        field(sb, "total_system_memory_human", human(total));
        field(sb, "used_memory_lua", 0);
        field(sb, "used_memory_vm_eval", 0);
        field(sb, "used_memory_lua_human", "0B");
        field(sb, "used_memory_scripts_eval", 0);
        field(sb, "number_of_cached_scripts", 0);
        field(sb, "number_of_functions", 0);
        field(sb, "number_of_libraries", 0);
        field(sb, "used_memory_vm_functions", 0);
        field(sb, "used_memory_vm_total", 0);
        field(sb, "used_memory_vm_total_human", "0B");
        field(sb, "used_memory_functions", 0);
        field(sb, "used_memory_scripts", 0);
        field(sb, "used_memory_scripts_human", "0B");
        field(sb, "maxmemory", maxmemory);
        field(sb, "maxmemory_human", human(maxmemory));
        field(sb, "maxmemory_policy", e.config().get("maxmemory-policy"));
        field(sb, "allocator_frag_ratio", ratio(heapCommitted, heapUsed));
        field(sb, "allocator_frag_bytes", heapCommitted - heapUsed);
        field(sb, "allocator_rss_ratio", ratio(rss, heapCommitted));
        field(sb, "allocator_rss_bytes", rss - heapCommitted);
        field(sb, "rss_overhead_ratio", ratio(rss, heapCommitted));
        field(sb, "rss_overhead_bytes", rss - heapCommitted);
        field(sb, "mem_fragmentation_ratio", ratio(rss, used));
        field(sb, "mem_fragmentation_bytes", rss - used);
        field(sb, "mem_not_counted_for_evict", 0);
        field(sb, "mem_replication_backlog", 0);
        field(sb, "mem_total_replication_buffers", 0);
        field(sb, "mem_clients_slaves", 0);
        field(sb, "mem_clients_normal", m.clients());
        field(sb, "mem_cluster_links", 0);
        field(sb, "mem_aof_buffer", 0);
        field(sb, "mem_allocator", "jvm-" + System.getProperty("java.vm.name", "unknown").replace(' ', '-'));
        field(sb, "active_defrag_running", 0);
        field(sb, "lazyfree_pending_objects", 0);
        field(sb, "lazyfreed_objects", 0);
    }

    /** AMDC's own section: what the JVM says, beside the estimate INFO memory reports. */
    private static void amdc(Engine e, StringBuilder sb) {
        java.lang.management.MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        java.lang.management.MemoryUsage heap = mem.getHeapMemoryUsage();
        java.lang.management.MemoryUsage nonHeap = mem.getNonHeapMemoryUsage();
        sb.append("# Amdc\r\n");
        field(sb, "jvm_name", System.getProperty("java.vm.name", "").replace(' ', '-'));
        field(sb, "jvm_version", System.getProperty("java.vm.version", ""));
        field(sb, "jvm_heap_used", heap.getUsed());
        field(sb, "jvm_heap_used_human", human(heap.getUsed()));
        field(sb, "jvm_heap_committed", heap.getCommitted());
        field(sb, "jvm_heap_committed_human", human(heap.getCommitted()));
        field(sb, "jvm_heap_max", heap.getMax());
        field(sb, "jvm_heap_max_human", human(heap.getMax()));
        field(sb, "jvm_nonheap_used", nonHeap.getUsed());
        field(sb, "jvm_nonheap_committed", nonHeap.getCommitted());
        field(sb, "heap_purges", e.heapTrimmer().purges());
        Engine.IoLoops loops = e.ioLoops();
        if (loops != null) {
            field(sb, "io_loops", e.config().getLong("io-threads"));
            field(sb, "io_loops_active", loops.activeLoops());
            field(sb, "io_loops_probes", loops.loopProbes());
            field(sb, "io_loops_reverts", loops.loopReverts());
        }
        for (java.lang.management.BufferPoolMXBean pool
                : ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
            String name = metricName(pool.getName());
            field(sb, "jvm_buffer_" + name + "_count", pool.getCount());
            field(sb, "jvm_buffer_" + name + "_used", pool.getMemoryUsed());
            field(sb, "jvm_buffer_" + name + "_capacity", pool.getTotalCapacity());
        }
        long gcCount = 0;
        long gcMs = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = metricName(gc.getName());
            long n = Math.max(0, gc.getCollectionCount());
            long t = Math.max(0, gc.getCollectionTime());
            gcCount += n;
            gcMs += t;
            field(sb, "gc_" + name + "_count", n);
            field(sb, "gc_" + name + "_time_ms", t);
        }
        field(sb, "gc_total_count", gcCount);
        field(sb, "gc_total_time_ms", gcMs);
        field(sb, "object_array_header_bytes", io.amdc.core.memory.ObjectSizes.ARRAY_HEADER);
        field(sb, "object_reference_bytes", io.amdc.core.memory.ObjectSizes.REF);
        field(sb, "evictor_policy", e.evictionPolicy().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        field(sb, "dataset_estimate_bytes", e.keyspace().datasetBytes());
    }

    /** "G1 Young Generation" -> "g1_young_generation". */
    private static String metricName(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    private static void persistence(Engine e, StringBuilder sb) {
        long startSec = e.startTimeMs() / 1000;
        sb.append("# Persistence\r\n");
        e.persistence().infoLoading(sb);
        e.persistence().infoRdb(sb, e.startTimeMs());
        e.aof().info((k, v) -> field(sb, k, v));
        field(sb, "module_fork_in_progress", 0);
        field(sb, "module_fork_last_cow_size", 0);
    }

    private static void stats(Engine e, StringBuilder sb) {
        Stats s = e.stats();
        Keyspace ks = e.keyspace();
        sb.append("# Stats\r\n");
        field(sb, "total_connections_received", s.connectionsReceived.sum());
        field(sb, "total_commands_processed", s.commandsProcessed.sum());
        field(sb, "instantaneous_ops_per_sec", s.instantaneousOpsPerSec());
        field(sb, "total_net_input_bytes", s.netInputBytes.sum());
        field(sb, "total_net_output_bytes", s.netOutputBytes.sum());
        field(sb, "total_net_repl_input_bytes", 0);
        field(sb, "total_net_repl_output_bytes", 0);
        field(sb, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", s.instantaneousInputKbps()));
        field(sb, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", s.instantaneousOutputKbps()));
        field(sb, "instantaneous_input_repl_kbps", "0.00");
        field(sb, "instantaneous_output_repl_kbps", "0.00");
        field(sb, "rejected_connections", s.rejectedConnections.sum());
        field(sb, "sync_full", 0);
        field(sb, "sync_partial_ok", 0);
        field(sb, "sync_partial_err", 0);
        field(sb, "expired_keys", ks.expiredKeys());
        field(sb, "expired_stale_perc", "0.00");
        field(sb, "expired_time_cap_reached_count", ks.expiredTimeCapReached());
        field(sb, "expire_cycle_cpu_milliseconds", 0);
        long[] exceeded = e.evictionExceededMs();
        field(sb, "evicted_keys", ks.evictedKeys());
        field(sb, "evicted_clients", s.evictedClients.sum());
        field(sb, "total_eviction_exceeded_time", exceeded[0]);
        field(sb, "current_eviction_exceeded_time", exceeded[1]);
        field(sb, "keyspace_hits", s.keyspaceHits.sum());
        field(sb, "keyspace_misses", s.keyspaceMisses.sum());
        field(sb, "pubsub_channels", e.pubsub().channelCount());
        field(sb, "pubsub_patterns", e.pubsub().patternCount());
        field(sb, "pubsubshard_channels", e.pubsub().shardChannelCount());
        field(sb, "latest_fork_usec", 0);
        field(sb, "total_forks", 0);
        field(sb, "migrate_cached_sockets", 0);
        field(sb, "slave_expires_tracked_keys", 0);
        field(sb, "active_defrag_hits", 0);
        field(sb, "active_defrag_misses", 0);
        field(sb, "active_defrag_key_hits", 0);
        field(sb, "active_defrag_key_misses", 0);
        field(sb, "total_active_defrag_time", 0);
        field(sb, "current_active_defrag_time", 0);
        field(sb, "tracking_total_keys", e.tracking().totalKeys());
        field(sb, "tracking_total_items", e.tracking().totalItems());
        field(sb, "tracking_total_prefixes", e.tracking().totalPrefixes());
        field(sb, "unexpected_error_replies", s.unexpectedErrorReplies.sum());
        field(sb, "total_error_replies", s.totalErrorReplies.sum());
        field(sb, "dump_payload_sanitizations", 0);
        field(sb, "total_reads_processed", 0);
        field(sb, "total_writes_processed", 0);
        field(sb, "io_threaded_reads_processed", 0);
        field(sb, "io_threaded_writes_processed", 0);
        field(sb, "client_query_buffer_limit_disconnections", s.clientQueryBufferLimitDisconnections.sum());
        field(sb, "client_output_buffer_limit_disconnections", s.clientOutputBufferLimitDisconnections.sum());
        field(sb, "reply_buffer_shrinks", 0);
        field(sb, "reply_buffer_expands", 0);
    }

    private static void replication(Engine e, StringBuilder sb) {
        sb.append("# Replication\r\n");
        field(sb, "role", "master");
        field(sb, "connected_slaves", 0);
        field(sb, "master_failover_state", "no-failover");
        field(sb, "master_replid", REPL_ID);
        field(sb, "master_replid2", "0000000000000000000000000000000000000000");
        field(sb, "master_repl_offset", 0);
        field(sb, "second_repl_offset", -1);
        field(sb, "repl_backlog_active", 0);
        field(sb, "repl_backlog_size", e.config().getLong("repl-backlog-size"));
        field(sb, "repl_backlog_first_byte_offset", 0);
        field(sb, "repl_backlog_histlen", 0);
    }

    private static void cpu(StringBuilder sb) {
        double[] userSys = processCpuSeconds();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double threadTotal = 0;
        double threadUser = 0;
        if (threads.isCurrentThreadCpuTimeSupported()) {
            threadTotal = threads.getCurrentThreadCpuTime() / 1e9;
            threadUser = threads.getCurrentThreadUserTime() / 1e9;
        }
        sb.append("# CPU\r\n");
        field(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", userSys[1]));
        field(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", userSys[0]));
        field(sb, "used_cpu_sys_children", "0.000000");
        field(sb, "used_cpu_user_children", "0.000000");
        // The calling event loop stands in for Redis's main thread.
        field(sb, "used_cpu_sys_main_thread", String.format(Locale.ROOT, "%.6f", Math.max(0, threadTotal - threadUser)));
        field(sb, "used_cpu_user_main_thread", String.format(Locale.ROOT, "%.6f", threadUser));
    }

    private static void commandstats(Engine e, StringBuilder sb) {
        sb.append("# Commandstats\r\n");
        for (CommandSpec s : e.commands().all()) {
            commandstat(sb, s);
            for (CommandSpec sub : s.subcommands().values()) commandstat(sb, sub);
        }
    }

    private static void commandstat(StringBuilder sb, CommandSpec s) {
        long calls = s.calls.sum();
        long rejected = s.rejected.sum();
        long failed = s.failed.sum();
        if (calls == 0 && rejected == 0 && failed == 0) return;
        long usec = s.usec.sum();
        sb.append("cmdstat_").append(s.name).append(":calls=").append(calls).append(",usec=").append(usec)
                .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : (double) usec / calls))
                .append(",rejected_calls=").append(rejected).append(",failed_calls=").append(failed).append("\r\n");
    }

    private static void errorstats(Engine e, StringBuilder sb) {
        sb.append("# Errorstats\r\n");
        List<String> codes = new ArrayList<>(e.stats().errors.keySet());
        codes.sort(null);
        for (String code : codes) {
            LongAdder n = e.stats().errors.get(code);
            if (n != null) sb.append("errorstat_").append(code).append(":count=").append(n.sum()).append("\r\n");
        }
    }

    /** One line per command that ran, with the latency-tracking-info-percentiles of its histogram. */
    private static void latencystats(Engine e, StringBuilder sb) {
        sb.append("# Latencystats\r\n");
        if (!e.config().getBool("latency-tracking")) return;
        String[] parts = e.config().get("latency-tracking-info-percentiles").trim().split("\\s+");
        double[] pct = new double[parts[0].isEmpty() ? 0 : parts.length];
        for (int i = 0; i < pct.length; i++) pct[i] = Double.parseDouble(parts[i]);
        for (CommandSpec s : e.commands().all()) {
            latencyLine(sb, s, pct);
            for (CommandSpec sub : s.subcommands().values()) latencyLine(sb, sub, pct);
        }
    }

    private static void latencyLine(StringBuilder sb, CommandSpec s, double[] pct) {
        String line = io.amdc.core.introspect.CommandLatency.infoLine(s, pct);
        if (line != null) sb.append(line).append("\r\n");
    }

    private static void keyspace(Engine e, StringBuilder sb) {
        sb.append("# Keyspace\r\n");
        Keyspace ks = e.keyspace();
        for (int i = 0; i < ks.databases(); i++) {
            Db db = ks.db(i);
            long keys = db.size();
            if (keys == 0) continue;
            sb.append("db").append(i).append(":keys=").append(keys).append(",expires=").append(db.expiresSize())
                    .append(",avg_ttl=0\r\n");
        }
    }

    static void resetPeak() {
        PEAK_MEMORY.set(0);
    }

    /** Redis's bytes-to-human format: "512B", "1.03K", "2.00M"... */
    static String human(long n) {
        double d = n;
        if (n < 1024) return n + "B";
        String[] units = {"K", "M", "G", "T", "P"};
        int u = -1;
        while (d >= 1024 && u < units.length - 1) {
            d /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", d, units[u]);
    }

    /** Resident set size from /proc/self/statm (pages), or 0 off Linux. */
    static long rssBytes() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * PAGE_SIZE;
        } catch (IOException | RuntimeException ex) {
            return 0;
        }
    }

    private static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** {user, sys} CPU seconds of the process: /proc/self/stat when present, else the JVM's total as user. */
    private static double[] processCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double ticks = 100.0; // USER_HZ on Linux
            return new double[]{Long.parseLong(f[11]) / ticks, Long.parseLong(f[12]) / ticks};
        } catch (IOException | RuntimeException ex) {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return new double[]{os.getProcessCpuTime() / 1e9, 0};
            }
            return new double[]{0, 0};
        }
    }

    private static String randomHex() {
        byte[] b = new byte[20];
        new java.security.SecureRandom().nextBytes(b);
        StringBuilder sb = new StringBuilder(40);
        for (byte x : b) sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        return sb.toString();
    }
}
