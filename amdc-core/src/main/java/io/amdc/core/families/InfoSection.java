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
    /** "all" adds these to the default sections. */
    private static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "cluster", "keyspace");

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
                    case "all", "everything" -> wanted.addAll(ALL);
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
                case "cluster" -> sb.append("# Cluster\r\ncluster_enabled:0\r\n");
                case "keyspace" -> keyspace(e, sb);
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
        field(sb, "blocked_clients", 0);
        field(sb, "tracking_clients", 0);
        field(sb, "clients_in_timeout_table", 0);
        field(sb, "total_blocking_keys", 0);
        field(sb, "total_blocking_keys_on_nokey", 0);
    }

    private static void memory(Engine e, StringBuilder sb) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long peak = PEAK_MEMORY.accumulateAndGet(used, Math::max);
        long rss = rssBytes();
        long maxmemory = e.config().getLong("maxmemory");
        long total = totalSystemMemory();
        sb.append("# Memory\r\n");
        field(sb, "used_memory", used);
        field(sb, "used_memory_human", human(used));
        field(sb, "used_memory_rss", rss);
        field(sb, "used_memory_rss_human", human(rss));
        field(sb, "used_memory_peak", peak);
        field(sb, "used_memory_peak_human", human(peak));
        field(sb, "used_memory_peak_perc", String.format(Locale.ROOT, "%.2f%%", peak == 0 ? 0.0 : 100.0 * used / peak));
        field(sb, "used_memory_overhead", 0);
        field(sb, "used_memory_startup", 0);
        field(sb, "used_memory_dataset", used);
        field(sb, "used_memory_dataset_perc", "100.00%");
        field(sb, "allocator_allocated", used);
        field(sb, "allocator_active", rt.totalMemory());
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
        field(sb, "jvm_heap_max", rt.maxMemory());
        field(sb, "jvm_heap_max_human", human(rt.maxMemory()));
        field(sb, "mem_fragmentation_ratio", String.format(Locale.ROOT, "%.2f", used == 0 ? 0.0 : (double) rss / used));
        field(sb, "mem_fragmentation_bytes", rss - used);
        field(sb, "mem_not_counted_for_evict", 0);
        field(sb, "mem_replication_backlog", 0);
        field(sb, "mem_total_replication_buffers", 0);
        field(sb, "mem_clients_slaves", 0);
        field(sb, "mem_clients_normal", 0);
        field(sb, "mem_cluster_links", 0);
        field(sb, "mem_aof_buffer", 0);
        field(sb, "mem_allocator", "jvm-" + System.getProperty("java.vm.name", "unknown").replace(' ', '-'));
        field(sb, "active_defrag_running", 0);
        field(sb, "lazyfree_pending_objects", 0);
        field(sb, "lazyfreed_objects", 0);
    }

    private static void persistence(Engine e, StringBuilder sb) {
        long startSec = e.startTimeMs() / 1000;
        sb.append("# Persistence\r\n");
        field(sb, "loading", 0);
        field(sb, "async_loading", 0);
        field(sb, "current_cow_peak", 0);
        field(sb, "current_cow_size", 0);
        field(sb, "current_cow_size_age", 0);
        field(sb, "current_fork_perc", "0.00");
        field(sb, "current_save_keys_processed", 0);
        field(sb, "current_save_keys_total", 0);
        field(sb, "rdb_changes_since_last_save", 0);
        field(sb, "rdb_bgsave_in_progress", 0);
        field(sb, "rdb_last_save_time", startSec);
        field(sb, "rdb_last_bgsave_status", "ok");
        field(sb, "rdb_last_bgsave_time_sec", -1);
        field(sb, "rdb_current_bgsave_time_sec", -1);
        field(sb, "rdb_saves", 0);
        field(sb, "rdb_last_cow_size", 0);
        field(sb, "rdb_last_load_keys_expired", 0);
        field(sb, "rdb_last_load_keys_loaded", 0);
        field(sb, "aof_enabled", e.config().getBool("appendonly") ? 1 : 0);
        field(sb, "aof_rewrite_in_progress", 0);
        field(sb, "aof_rewrite_scheduled", 0);
        field(sb, "aof_last_rewrite_time_sec", -1);
        field(sb, "aof_current_rewrite_time_sec", -1);
        field(sb, "aof_last_bgrewrite_status", "ok");
        field(sb, "aof_rewrites", 0);
        field(sb, "aof_rewrites_consecutive_failures", 0);
        field(sb, "aof_last_write_status", "ok");
        field(sb, "aof_last_cow_size", 0);
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
        field(sb, "evicted_keys", 0);
        field(sb, "evicted_clients", 0);
        field(sb, "total_eviction_exceeded_time", 0);
        field(sb, "current_eviction_exceeded_time", 0);
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
        field(sb, "tracking_total_keys", 0);
        field(sb, "tracking_total_items", 0);
        field(sb, "tracking_total_prefixes", 0);
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
    private static long rssBytes() {
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
