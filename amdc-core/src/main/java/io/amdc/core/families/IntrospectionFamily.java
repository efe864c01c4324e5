package io.amdc.core.families;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.introspect.CommandLatency;
import io.amdc.core.introspect.LatencyMonitor;
import io.amdc.core.introspect.SlowLog;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;
import io.amdc.resp.RespOut;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** MONITOR, SLOWLOG and LATENCY. */
final class IntrospectionFamily {
    private IntrospectionFamily() {
    }

    static void declare(CommandTable t) {
        t.add("monitor", 1, "admin noscript loading stale", "", IntrospectionFamily::monitor)
                .doc("Listens for all requests received by the server in real-time.", "1.0.0", "server", "");

        CommandSpec slowlog = t.add("slowlog", -2, "", "", null)
                .doc("A container for slow log commands.", "2.2.12", "server", "Depends on subcommand.");
        slowlog.sub("get", -2, "admin loading stale", "", IntrospectionFamily::slowlogGet)
                .doc("Returns the slow log's entries.", "2.2.12", "server", "O(N) where N is the number of entries returned");
        slowlog.sub("len", 2, "admin loading stale", "", IntrospectionFamily::slowlogLen)
                .doc("Returns the number of entries in the slow log.", "2.2.12", "server", "O(1)");
        slowlog.sub("reset", 2, "admin loading stale", "", IntrospectionFamily::slowlogReset)
                .doc("Clears all entries from the slow log.", "2.2.12", "server", "O(N) where N is the number of entries in the slowlog");
        slowlog.sub("help", 2, "loading stale", "", IntrospectionFamily::slowlogHelp)
                .doc("Show helpful text about the different subcommands", "6.2.0", "server", "O(1)");

        CommandSpec latency = t.add("latency", -2, "", "", null)
                .doc("A container for latency diagnostics commands.", "2.8.13", "server", "Depends on subcommand.");
        latency.sub("doctor", 2, "admin noscript loading stale", "", IntrospectionFamily::latencyDoctor)
                .doc("Returns a human-readable latency analysis report.", "2.8.13", "server", "O(1)");
        latency.sub("graph", 3, "admin noscript loading stale", "", IntrospectionFamily::latencyGraph)
                .doc("Returns a latency graph for an event.", "2.8.13", "server", "O(1)");
        latency.sub("history", 3, "admin noscript loading stale", "", IntrospectionFamily::latencyHistory)
                .doc("Returns timestamp-latency samples for an event.", "2.8.13", "server", "O(1)");
        latency.sub("latest", 2, "admin noscript loading stale", "", IntrospectionFamily::latencyLatest)
                .doc("Returns the latest latency samples for all events.", "2.8.13", "server", "O(1)");
        latency.sub("reset", -2, "admin noscript loading stale", "", IntrospectionFamily::latencyReset)
                .doc("Resets the latency data for one or more events.", "2.8.13", "server", "O(1)");
        latency.sub("histogram", -2, "admin noscript loading stale", "", IntrospectionFamily::latencyHistogram)
                .doc("Returns the cumulative distribution of latencies of a subset or all commands.", "7.0.0", "server",
                        "O(N) where N is the number of commands with latency information being retrieved.");
        latency.sub("help", 2, "loading stale", "", IntrospectionFamily::latencyHelp)
                .doc("Returns helpful text about the different subcommands.", "2.8.13", "server", "O(1)");
    }

    static void monitor(Client c, byte[][] argv) {
        if (c.engine().monitors().isMonitor(c)) return; // already monitoring: no reply, as Redis
        c.out().ok();
        c.engine().monitors().add(c);
    }

    // ---- SLOWLOG ----

    static void slowlogGet(Client c, byte[][] argv) {
        if (argv.length > 3) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Bytes.str(argv[1])
                    + "'. Try SLOWLOG HELP.");
        }
        long count = 10;
        if (argv.length == 3) {
            count = Bytes.isLong(argv[2]) ? Bytes.toLong(argv[2]) : -2;
            if (count < -1) throw new CommandError("ERR count should be greater than or equal to -1");
        }
        List<SlowLog.Entry> entries = c.engine().slowLog().newest(count);
        RespOut out = c.out();
        out.array(entries.size());
        for (SlowLog.Entry e : entries) {
            out.array(6);
            out.integer(e.id());
            out.integer(e.timeSec());
            out.integer(e.durationUs());
            out.array(e.args().length);
            for (byte[] a : e.args()) out.bulk(a);
            out.bulk(e.addr());
            out.bulk(e.name());
        }
    }

    static void slowlogLen(Client c, byte[][] argv) {
        c.out().integer(c.engine().slowLog().size());
    }

    static void slowlogReset(Client c, byte[][] argv) {
        c.engine().slowLog().reset();
        c.out().ok();
    }

    static void slowlogHelp(Client c, byte[][] argv) {
        ServerFamily.help(c.out(), "SLOWLOG",
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.");
    }

    // ---- LATENCY ----

    static void latencyLatest(Client c, byte[][] argv) {
        Map<String, long[]> latest = c.engine().latency().latest();
        RespOut out = c.out();
        out.array(latest.size());
        for (Map.Entry<String, long[]> e : latest.entrySet()) {
            out.array(4);
            out.bulk(e.getKey());
            out.integer(e.getValue()[0]);
            out.integer(e.getValue()[1]);
            out.integer(e.getValue()[2]);
        }
    }

    static void latencyHistory(Client c, byte[][] argv) {
        List<LatencyMonitor.Sample> h = c.engine().latency().history(Bytes.str(argv[2]));
        RespOut out = c.out();
        out.array(h.size());
        for (LatencyMonitor.Sample s : h) {
            out.array(2);
            out.integer(s.time());
            out.integer(s.latency());
        }
    }

    static void latencyReset(Client c, byte[][] argv) {
        List<String> names = new ArrayList<>();
        for (int i = 2; i < argv.length; i++) names.add(Bytes.str(argv[i]));
        c.out().integer(c.engine().latency().reset(names));
    }

    static void latencyGraph(Client c, byte[][] argv) {
        String event = Bytes.str(argv[2]);
        LatencyMonitor lm = c.engine().latency();
        if (lm.history(event).isEmpty()) throw new CommandError("ERR No samples available for event '" + event + "'");
        c.out().verbatim(lm.graph(event));
    }

    static void latencyDoctor(Client c, byte[][] argv) {
        if (c.engine().config().getLong("latency-monitor-threshold") == 0) {
            c.out().verbatim("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. "
                    + "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we "
                    + "weren't in a deep space mission I'd suggest to take a look at "
                    + "https://redis.io/topics/latency-monitor.\n");
            return;
        }
        c.out().verbatim(c.engine().latency().doctor(c.engine().config().getLong("slowlog-log-slower-than")));
    }

    static void latencyHistogram(Client c, byte[][] argv) {
        Engine e = c.engine();
        Set<CommandSpec> chosen = new LinkedHashSet<>();
        if (argv.length == 2) {
            for (CommandSpec s : e.commands().all()) {
                chosen.add(s);
                chosen.addAll(s.subcommands().values());
            }
        } else {
            for (int i = 2; i < argv.length; i++) {
                CommandSpec s = lookup(e, Bytes.str(argv[i]).toLowerCase(Locale.ROOT));
                if (s == null) continue;
                chosen.add(s);
                chosen.addAll(s.subcommands().values());
            }
        }
        chosen.removeIf(s -> CommandLatency.calls(s) == 0);
        RespOut out = c.out();
        out.map(chosen.size());
        for (CommandSpec s : chosen) {
            Map<Long, Long> buckets = CommandLatency.cumulativeBuckets(s);
            out.bulk(s.name);
            out.map(2);
            out.bulk("calls");
            out.integer(CommandLatency.calls(s));
            out.bulk("histogram_usec");
            out.map(buckets.size());
            for (Map.Entry<Long, Long> b : buckets.entrySet()) {
                out.integer(b.getKey());
                out.integer(b.getValue());
            }
        }
    }

    /** "get" or "config|get". */
    private static CommandSpec lookup(Engine e, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) return e.commands().lookup(name);
        CommandSpec parent = e.commands().lookup(name.substring(0, bar));
        return parent == null ? null : parent.subcommand(name.substring(bar + 1));
    }

    static void latencyHelp(Client c, byte[][] argv) {
        ServerFamily.help(c.out(), "LATENCY",
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
                "    If no commands are specified then all histograms are replied.");
    }
}
