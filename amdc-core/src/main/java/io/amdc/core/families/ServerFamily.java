package io.amdc.core.families;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.config.Config;
import io.amdc.core.config.ConfigParam;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;
import io.amdc.core.util.Log;
import io.amdc.resp.RespOut;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Server administration: INFO, DBSIZE, FLUSHDB/FLUSHALL, TIME, SHUTDOWN, CONFIG and DEBUG. COMMAND
 * lives in {@link CommandIntrospection}, INFO's rendering in {@link InfoSection}, DEBUG in
 * {@link DebugCommand}.
 */
final class ServerFamily {
    private ServerFamily() {
    }

    static void declare(CommandTable t) {
        t.add("info", -1, "loading stale", "@dangerous", InfoSection::info)
                .doc("Returns information and statistics about the server.", "1.0.0", "server",
                        "O(1)");
        t.add("dbsize", 1, "readonly fast", "@keyspace", ServerFamily::dbsize)
                .doc("Returns the number of keys in the database.", "1.0.0", "server", "O(1)");
        t.add("flushdb", -1, "write", "@keyspace @dangerous", ServerFamily::flushdb)
                .doc("Removes all keys from the current database.", "1.0.0", "server",
                        "O(N) where N is the number of keys in the selected database");
        t.add("flushall", -1, "write", "@keyspace @dangerous", ServerFamily::flushall)
                .doc("Removes all keys from all databases.", "1.0.0", "server",
                        "O(N) where N is the total number of keys in all databases");
        t.add("time", 1, "loading stale fast", "", ServerFamily::time)
                .doc("Returns the server time.", "2.6.0", "server", "O(1)");
        t.add("shutdown", -1, "admin noscript loading stale no_multi allow_busy", "", ServerFamily::shutdown)
                .doc("Synchronously saves the database(s) to disk and shuts down the Redis server.", "1.0.0",
                        "server", "O(N) when saving, where N is the total number of keys in all databases when "
                                + "saving data, otherwise O(1)");

        CommandSpec config = t.add("config", -2, "", "", null)
                .doc("A container for server configuration commands.", "2.0.0", "server", "Depends on subcommand.");
        config.sub("get", -3, "admin noscript loading stale", "", ServerFamily::configGet)
                .doc("Returns the effective values of configuration parameters.", "2.0.0", "server",
                        "O(N) when N is the number of configuration parameters provided");
        config.sub("set", -4, "admin noscript loading stale", "", ServerFamily::configSet)
                .doc("Sets configuration parameters in-flight.", "2.0.0", "server",
                        "O(N) when N is the number of configuration parameters provided");
        config.sub("resetstat", 2, "admin noscript loading stale", "", ServerFamily::configResetStat)
                .doc("Resets the server's statistics.", "2.0.0", "server", "O(1)");
        config.sub("rewrite", 2, "admin noscript loading stale", "", ServerFamily::configRewrite)
                .doc("Persists the effective configuration to file.", "2.8.0", "server", "O(1)");
        config.sub("help", 2, "loading stale", "", ServerFamily::configHelp)
                .doc("Returns helpful text about the different subcommands.", "5.0.0", "server", "O(1)");

        DebugCommand.declare(t);
        CommandIntrospection.declare(t);
    }

    static void dbsize(Client c, byte[][] argv) {
        c.out().integer(c.db().size());
    }

    /** Parses FLUSHDB/FLUSHALL's optional SYNC|ASYNC; both flush synchronously here. */
    private static void flushMode(byte[][] argv) {
        if (argv.length > 2) throw CommandError.syntax();
        if (argv.length == 2 && !Bytes.eqIgnoreCase(argv[1], "SYNC") && !Bytes.eqIgnoreCase(argv[1], "ASYNC")) {
            throw CommandError.syntax();
        }
    }

    static void flushdb(Client c, byte[][] argv) {
        flushMode(argv);
        Keyspace ks = c.engine().keyspace();
        ks.lockAll();
        try {
            ks.flush(c.dbIndex());
            c.propagate(argv); // while every lock is held: no later write can precede it on the stream
        } finally {
            ks.unlockAll();
        }
        c.out().ok();
    }

    static void flushall(Client c, byte[][] argv) {
        flushMode(argv);
        Keyspace ks = c.engine().keyspace();
        ks.lockAll();
        try {
            for (int i = 0; i < ks.databases(); i++) ks.flush(i);
            c.propagate(argv); // while every lock is held: no later write can precede it on the stream
        } finally {
            ks.unlockAll();
        }
        c.out().ok();
    }

    static void time(Client c, byte[][] argv) {
        Instant now = Instant.now();
        c.out().array(2);
        c.out().bulk(Long.toString(now.getEpochSecond()));
        c.out().bulk(Long.toString(now.getNano() / 1000));
    }

    static void shutdown(Client c, byte[][] argv) {
        boolean save = false;
        boolean nosave = false;
        boolean abort = false;
        for (int i = 1; i < argv.length; i++) {
            if (Bytes.eqIgnoreCase(argv[i], "NOSAVE")) nosave = true;
            else if (Bytes.eqIgnoreCase(argv[i], "SAVE")) save = true;
            else if (Bytes.eqIgnoreCase(argv[i], "ABORT")) abort = true;
            else if (!Bytes.eqIgnoreCase(argv[i], "NOW") && !Bytes.eqIgnoreCase(argv[i], "FORCE")) {
                throw CommandError.syntax();
            }
        }
        if ((abort && argv.length != 2) || (save && nosave)) throw CommandError.syntax();
        // Shutdown (with its final save) is synchronous, so there is never one in progress to abort.
        if (abort) throw new CommandError("ERR No shutdown in progress.");
        Log.warning("User requested shutdown...");
        if (!c.engine().persistence().prepareShutdown(save, nosave)) {
            throw new CommandError("ERR Errors trying to SHUTDOWN. Check logs.");
        }
        // Like Redis, no reply: the client sees the connection close.
        c.engine().shutdown(0);
    }

    /** CONFIG GET pattern...: Redis 7 semantics, one map of every distinct name (or alias) matched. */
    static void configGet(Client c, byte[][] argv) {
        Config cfg = c.engine().config();
        Map<String, String> found = new LinkedHashMap<>();
        for (int i = 2; i < argv.length; i++) {
            String pattern = Bytes.str(argv[i]);
            if (!hasGlobChars(pattern)) {
                // An exact name or alias answers under the spelling asked for.
                ConfigParam p = cfg.param(pattern);
                if (p != null) found.putIfAbsent(pattern, p.get());
                continue;
            }
            for (Map.Entry<String, String> e : cfg.matching(pattern).entrySet()) found.putIfAbsent(e.getKey(), e.getValue());
        }
        RespOut out = c.out();
        out.map(found.size());
        for (Map.Entry<String, String> e : found.entrySet()) {
            out.bulk(e.getKey());
            out.bulk(e.getValue());
        }
    }

    private static boolean hasGlobChars(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** CONFIG SET p v [p v ...]: all or nothing; a failed value restores those already applied. */
    static void configSet(Client c, byte[][] argv) {
        if ((argv.length & 1) != 0) throw CommandError.syntax();
        Config cfg = c.engine().config();
        int n = (argv.length - 2) / 2;
        ConfigParam[] params = new ConfigParam[n];
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = Bytes.str(argv[2 + 2 * i]);
            ConfigParam p = cfg.param(names[i]);
            if (p == null) {
                throw new CommandError("ERR Unknown option or number of arguments for CONFIG SET - '" + names[i] + "'");
            }
            for (int j = 0; j < i; j++) {
                if (params[j] == p) throw setFailed(names[i], "duplicate parameter");
            }
            if (p.isImmutable()) throw setFailed(names[i], "can't set immutable config");
            if (PROTECTED.contains(p.name) && !protectedAllowed(c)) throw setFailed(names[i], "can't set protected config");
            params[i] = p;
        }
        String[] old = new String[n];
        for (int i = 0; i < n; i++) {
            old[i] = params[i].get();
            String err = params[i].setValue(Bytes.str(argv[3 + 2 * i]));
            if (err != null) {
                for (int j = i - 1; j >= 0; j--) params[j].setValue(old[j]);
                throw setFailed(names[i], err);
            }
        }
        c.out().ok();
    }

    /** Redis 7's protected configs: changing where data is written needs enable-protected-configs. */
    private static final java.util.Set<String> PROTECTED = java.util.Set.of("dir", "dbfilename");

    private static boolean protectedAllowed(Client c) {
        String mode = c.engine().config().get("enable-protected-configs");
        return mode.equals("yes") || mode.equals("local") && DebugCommand.isLocal(c.addr());
    }

    private static CommandError setFailed(String name, String reason) {
        return new CommandError("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason);
    }

    static void configResetStat(Client c, byte[][] argv) {
        Engine e = c.engine();
        e.stats().reset();
        for (CommandSpec s : e.commands().all()) {
            resetCounters(s);
            io.amdc.core.introspect.CommandLatency.reset(s);
            for (CommandSpec sub : s.subcommands().values()) {
                resetCounters(sub);
                io.amdc.core.introspect.CommandLatency.reset(sub);
            }
        }
        InfoSection.resetPeak();
        e.keyspace().resetEvictedKeys();
        c.out().ok();
    }

    private static void resetCounters(CommandSpec s) {
        s.calls.reset();
        s.usec.reset();
        s.rejected.reset();
        s.failed.reset();
    }

    static void configRewrite(Client c, byte[][] argv) {
        Config cfg = c.engine().config();
        if (cfg.file() == null) throw new CommandError("ERR The server is running without a config file");
        try {
            cfg.rewrite();
        } catch (IOException e) {
            Log.warning("CONFIG REWRITE failed: " + e);
            throw new CommandError("ERR Rewriting config file: " + e.getMessage());
        }
        Log.notice("CONFIG REWRITE executed with success.");
        c.out().ok();
    }

    static void configHelp(Client c, byte[][] argv) {
        help(c.out(), "CONFIG",
                "GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file.");
    }

    /** The HELP reply shape shared by container commands: a header, the lines, then HELP itself. */
    static void help(RespOut out, String command, String... lines) {
        out.array(lines.length + 3);
        out.simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) out.simple(l);
        out.simple("HELP");
        out.simple("    Prints this help.");
    }
}
