package io.amdc.core.config;

import static io.amdc.core.config.ConfigParam.Type.BOOL;
import static io.amdc.core.config.ConfigParam.Type.ENUM;
import static io.amdc.core.config.ConfigParam.Type.INT;
import static io.amdc.core.config.ConfigParam.Type.MEMORY;
import static io.amdc.core.config.ConfigParam.Type.MULTI;
import static io.amdc.core.config.ConfigParam.Type.STRING;

/**
 * Every directive, its default and its range: the defaults are Redis 7.2's, so an empty config
 * behaves as redis-server without one (bound to loopback, protected mode on).
 */
final class ConfigDefaults {
    private static final long MAX = Long.MAX_VALUE;
    private static final long IMAX = Integer.MAX_VALUE;

    private ConfigDefaults() {
    }

    static void declare(Config c) {
        // Network
        c.add(new ConfigParam("bind", MULTI, "127.0.0.1 -::1", true, 0, 0));
        c.add(new ConfigParam("port", INT, "6379", true, 0, 65535));
        c.add(new ConfigParam("protected-mode", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("tcp-backlog", INT, "511", true, 0, IMAX));
        c.add(new ConfigParam("timeout", INT, "0", false, 0, IMAX));
        c.add(new ConfigParam("tcp-keepalive", INT, "300", false, 0, IMAX));
        c.add(new ConfigParam("unixsocket", STRING, "", true, 0, 0));
        c.add(new ConfigParam("unixsocketperm", INT, "0", true, 0, 0777));
        c.add(new ConfigParam("io-threads", INT, Integer.toString(Runtime.getRuntime().availableProcessors()), true, 1, 128));
        c.add(new ConfigParam("io-threads-do-reads", BOOL, "yes", true, 0, 0));
        // AMDC's own: how many of the io-threads loops serve clients is measured (LoopBalancer).
        c.add(new ConfigParam("io-threads-adaptive", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("maxclients", INT, "10000", false, 1, IMAX));
        c.add(new ConfigParam("proto-max-bulk-len", MEMORY, "512mb", false, 1024 * 1024, MAX));
        c.add(new ConfigParam("client-query-buffer-limit", MEMORY, "1gb", false, 1024 * 1024, MAX));
        c.add(new ConfigParam("client-output-buffer-limit", MULTI, "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", false, 0, 0)
                .validator(OutputBufferLimits::check));
        // General
        c.add(new ConfigParam("daemonize", BOOL, "no", true, 0, 0));
        c.add(new ConfigParam("supervised", ENUM, "no", true, 0, 0, "upstart", "systemd", "auto", "no"));
        c.add(new ConfigParam("pidfile", STRING, "", true, 0, 0));
        c.add(new ConfigParam("loglevel", ENUM, "notice", false, 0, 0, "debug", "verbose", "notice", "warning", "nothing"));
        c.add(new ConfigParam("logfile", STRING, "", true, 0, 0));
        c.add(new ConfigParam("syslog-enabled", BOOL, "no", true, 0, 0));
        c.add(new ConfigParam("syslog-ident", STRING, "redis", true, 0, 0));
        c.add(new ConfigParam("syslog-facility", STRING, "local0", true, 0, 0));
        c.add(new ConfigParam("databases", INT, "16", true, 1, IMAX));
        c.add(new ConfigParam("always-show-logo", BOOL, "no", true, 0, 0));
        c.add(new ConfigParam("set-proc-title", BOOL, "yes", true, 0, 0));
        c.add(new ConfigParam("proc-title-template", STRING, "{title} {listen-addr} {server-mode}", false, 0, 0));
        c.add(new ConfigParam("hz", INT, "10", false, 1, 500));
        c.add(new ConfigParam("dynamic-hz", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("enable-debug-command", ENUM, "no", true, 0, 0, "yes", "no", "local"));
        c.add(new ConfigParam("enable-protected-configs", ENUM, "no", true, 0, 0, "yes", "no", "local"));
        c.add(new ConfigParam("enable-module-command", ENUM, "no", true, 0, 0, "yes", "no", "local"));
        c.add(new ConfigParam("crash-log-enabled", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("crash-memcheck-enabled", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("locale-collate", STRING, "", false, 0, 0));
        // Security
        c.add(new ConfigParam("requirepass", STRING, "", false, 0, 0));
        c.add(new ConfigParam("masterauth", STRING, "", false, 0, 0));
        c.add(new ConfigParam("masteruser", STRING, "", false, 0, 0));
        c.add(new ConfigParam("acllog-max-len", INT, "128", false, 0, IMAX));
        c.add(new ConfigParam("aclfile", STRING, "", true, 0, 0));
        c.add(new ConfigParam("acl-pubsub-default", ENUM, "resetchannels", false, 0, 0, "allchannels", "resetchannels"));
        // Persistence (used once the persistence module lands; accepted now so redis.conf files load)
        c.add(new ConfigParam("save", MULTI, "3600 1 300 100 60 10000", false, 0, 0));
        c.add(new ConfigParam("dbfilename", STRING, "dump.rdb", false, 0, 0));
        c.add(new ConfigParam("dir", STRING, ".", false, 0, 0));
        c.add(new ConfigParam("rdbcompression", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("rdbchecksum", BOOL, "yes", true, 0, 0));
        c.add(new ConfigParam("stop-writes-on-bgsave-error", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("rdb-del-sync-files", BOOL, "no", false, 0, 0));
        c.add(new ConfigParam("sanitize-dump-payload", ENUM, "no", false, 0, 0, "no", "yes", "clients"));
        c.add(new ConfigParam("appendonly", BOOL, "no", false, 0, 0));
        c.add(new ConfigParam("appendfilename", STRING, "appendonly.aof", true, 0, 0));
        c.add(new ConfigParam("appenddirname", STRING, "appendonlydir", true, 0, 0));
        c.add(new ConfigParam("appendfsync", ENUM, "everysec", false, 0, 0, "always", "everysec", "no"));
        c.add(new ConfigParam("no-appendfsync-on-rewrite", BOOL, "no", false, 0, 0));
        c.add(new ConfigParam("auto-aof-rewrite-percentage", INT, "100", false, 0, IMAX));
        c.add(new ConfigParam("auto-aof-rewrite-min-size", MEMORY, "64mb", false, 0, MAX));
        c.add(new ConfigParam("aof-load-truncated", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("aof-use-rdb-preamble", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("aof-timestamp-enabled", BOOL, "no", false, 0, 0));
        c.add(new ConfigParam("aof-rewrite-incremental-fsync", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("rdb-save-incremental-fsync", BOOL, "yes", false, 0, 0));
        // Memory
        c.add(new ConfigParam("maxmemory", MEMORY, "0", false, 0, MAX));
        c.add(new ConfigParam("maxmemory-policy", ENUM, "noeviction", false, 0, 0,
                "volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"));
        c.add(new ConfigParam("maxmemory-samples", INT, "5", false, 1, 64));
        c.add(new ConfigParam("maxmemory-eviction-tenacity", INT, "10", false, 0, 100));
        c.add(new ConfigParam("maxmemory-clients", MEMORY, "0", false, 0, MAX));
        c.add(new ConfigParam("lfu-log-factor", INT, "10", false, 0, IMAX));
        c.add(new ConfigParam("lfu-decay-time", INT, "1", false, 0, IMAX));
        c.add(new ConfigParam("lazyfree-lazy-eviction", BOOL, "no", false, 0, 0));
        c.add(new ConfigParam("lazyfree-lazy-expire", BOOL, "no", false, 0, 0));
        c.add(new ConfigParam("lazyfree-lazy-server-del", BOOL, "no", false, 0, 0));
        c.add(new ConfigParam("lazyfree-lazy-user-del", BOOL, "no", false, 0, 0));
        c.add(new ConfigParam("lazyfree-lazy-user-flush", BOOL, "no", false, 0, 0));
        c.add(new ConfigParam("replica-lazy-flush", BOOL, "no", false, 0, 0));
        c.add(new ConfigParam("activedefrag", BOOL, "no", false, 0, 0));
        c.add(new ConfigParam("active-expire-effort", INT, "1", false, 1, 10));
        c.add(new ConfigParam("jemalloc-bg-thread", BOOL, "yes", false, 0, 0));
        // Encodings of small aggregates
        c.add(new ConfigParam("hash-max-listpack-entries", INT, "128", false, 0, MAX).alias("hash-max-ziplist-entries"));
        c.add(new ConfigParam("hash-max-listpack-value", INT, "64", false, 0, MAX).alias("hash-max-ziplist-value"));
        c.add(new ConfigParam("list-max-listpack-size", INT, "-2", false, Integer.MIN_VALUE, IMAX).alias("list-max-ziplist-size"));
        c.add(new ConfigParam("list-compress-depth", INT, "0", false, 0, IMAX));
        c.add(new ConfigParam("set-max-intset-entries", INT, "512", false, 0, MAX));
        c.add(new ConfigParam("set-max-listpack-entries", INT, "128", false, 0, MAX));
        c.add(new ConfigParam("set-max-listpack-value", INT, "64", false, 0, MAX));
        c.add(new ConfigParam("zset-max-listpack-entries", INT, "128", false, 0, MAX).alias("zset-max-ziplist-entries"));
        c.add(new ConfigParam("zset-max-listpack-value", INT, "64", false, 0, MAX).alias("zset-max-ziplist-value"));
        c.add(new ConfigParam("hll-sparse-max-bytes", MEMORY, "3000", false, 0, MAX));
        c.add(new ConfigParam("stream-node-max-bytes", MEMORY, "4096", false, 0, MAX));
        c.add(new ConfigParam("stream-node-max-entries", INT, "100", false, 0, MAX));
        c.add(new ConfigParam("activerehashing", BOOL, "yes", false, 0, 0));
        // Observability
        c.add(new ConfigParam("slowlog-log-slower-than", INT, "10000", false, -1, MAX));
        c.add(new ConfigParam("slowlog-max-len", INT, "128", false, 0, MAX));
        c.add(new ConfigParam("latency-monitor-threshold", INT, "0", false, 0, MAX));
        c.add(new ConfigParam("latency-tracking", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("latency-tracking-info-percentiles", MULTI, "50 99 99.9", false, 0, 0));
        c.add(new ConfigParam("notify-keyspace-events", STRING, "", false, 0, 0)
                .validator(v -> io.amdc.core.notify.Notifications.parse(v) < 0 ? io.amdc.core.notify.Notifications.INVALID : null)
                .normalizer(v -> io.amdc.core.notify.Notifications.format(io.amdc.core.notify.Notifications.parse(v))));
        c.add(new ConfigParam("busy-reply-threshold", INT, "5000", false, 0, MAX).alias("lua-time-limit"));
        c.add(new ConfigParam("lua-replicate-commands", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("tracking-table-max-keys", INT, "1000000", false, 0, MAX));
        // Replication and cluster (accepted now; the HA modules give them meaning)
        c.add(new ConfigParam("replicaof", MULTI, "", false, 0, 0).alias("slaveof"));
        c.add(new ConfigParam("replica-read-only", BOOL, "yes", false, 0, 0).alias("slave-read-only"));
        c.add(new ConfigParam("replica-serve-stale-data", BOOL, "yes", false, 0, 0).alias("slave-serve-stale-data"));
        c.add(new ConfigParam("repl-diskless-sync", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("repl-diskless-sync-delay", INT, "5", false, 0, IMAX));
        c.add(new ConfigParam("repl-diskless-sync-max-replicas", INT, "0", false, 0, IMAX));
        c.add(new ConfigParam("repl-diskless-load", ENUM, "disabled", false, 0, 0, "disabled", "on-empty-db", "swapdb"));
        c.add(new ConfigParam("repl-disable-tcp-nodelay", BOOL, "no", false, 0, 0));
        c.add(new ConfigParam("repl-backlog-size", MEMORY, "1mb", false, 1, MAX));
        c.add(new ConfigParam("repl-backlog-ttl", INT, "3600", false, 0, IMAX));
        c.add(new ConfigParam("repl-timeout", INT, "60", false, 1, IMAX));
        c.add(new ConfigParam("repl-ping-replica-period", INT, "10", false, 1, IMAX));
        c.add(new ConfigParam("replica-priority", INT, "100", false, 0, IMAX).alias("slave-priority"));
        c.add(new ConfigParam("replica-announced", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("min-replicas-to-write", INT, "0", false, 0, IMAX).alias("min-slaves-to-write"));
        c.add(new ConfigParam("min-replicas-max-lag", INT, "10", false, 0, IMAX).alias("min-slaves-max-lag"));
        c.add(new ConfigParam("cluster-enabled", BOOL, "no", true, 0, 0));
        c.add(new ConfigParam("cluster-config-file", STRING, "nodes.conf", true, 0, 0));
        c.add(new ConfigParam("cluster-node-timeout", INT, "15000", false, 0, MAX));
        c.add(new ConfigParam("cluster-require-full-coverage", BOOL, "yes", false, 0, 0));
        c.add(new ConfigParam("oom-score-adj", ENUM, "no", false, 0, 0, "no", "yes", "relative", "absolute"));
        c.add(new ConfigParam("oom-score-adj-values", MULTI, "0 200 800", false, 0, 0));
        c.add(new ConfigParam("disable-thp", BOOL, "yes", true, 0, 0));
    }
}
