package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.command.Flag;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;
import io.amdc.core.util.Glob;
import io.amdc.resp.RespOut;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** COMMAND and its sub-commands: the command table as clients (redis-cli, Jedis, Lettuce) read it. */
final class CommandIntrospection {
    private CommandIntrospection() {
    }

    static void declare(CommandTable t) {
        CommandSpec cmd = t.add("command", -1, "loading stale", "@connection", CommandIntrospection::command)
                .doc("Returns detailed information about all commands.", "2.8.13", "server",
                        "O(N) where N is the total number of Redis commands");
        cmd.sub("count", 2, "loading stale", "@connection", CommandIntrospection::count)
                .doc("Returns a count of commands.", "2.8.13", "server", "O(1)");
        cmd.sub("list", -2, "loading stale", "@connection", CommandIntrospection::list)
                .doc("Returns a list of command names.", "7.0.0", "server",
                        "O(N) where N is the total number of Redis commands");
        cmd.sub("info", -2, "loading stale", "@connection", CommandIntrospection::info)
                .doc("Returns information about one, multiple or all commands.", "2.8.13", "server",
                        "O(N) where N is the number of commands to look up");
        cmd.sub("docs", -2, "loading stale", "@connection", CommandIntrospection::docs)
                .doc("Returns documentary information about one, multiple or all commands.", "7.0.0", "server",
                        "O(N) where N is the number of commands to look up");
        cmd.sub("getkeys", -4, "loading stale", "@connection", CommandIntrospection::getkeys)
                .doc("Extracts the key names from an arbitrary command.", "2.8.13", "server",
                        "O(N) where N is the number of arguments to the command");
        cmd.sub("getkeysandflags", -4, "loading stale", "@connection", CommandIntrospection::getkeysAndFlags)
                .doc("Extracts the key names and access flags for an arbitrary command.", "7.0.0", "server",
                        "O(N) where N is the number of arguments to the command");
        cmd.sub("help", 2, "loading stale", "@connection", CommandIntrospection::help)
                .doc("Returns helpful text about the different subcommands.", "5.0.0", "server", "O(1)");
    }

    /** COMMAND with no sub-command: every command's INFO entry. */
    static void command(Client c, byte[][] argv) {
        Collection<CommandSpec> all = c.engine().commands().all();
        c.out().array(all.size());
        for (CommandSpec s : all) writeInfo(c.out(), s);
    }

    static void count(Client c, byte[][] argv) {
        c.out().integer(c.engine().commands().size());
    }

    static void list(Client c, byte[][] argv) {
        List<String> names = new ArrayList<>();
        if (argv.length == 2) {
            for (CommandSpec s : c.engine().commands().all()) {
                names.add(s.name);
                for (CommandSpec sub : s.subcommands().values()) names.add(sub.name);
            }
        } else {
            if (argv.length != 5 || !Bytes.eqIgnoreCase(argv[2], "FILTERBY")) throw CommandError.syntax();
            String value = Bytes.str(argv[4]);
            String kind = Bytes.str(argv[3]).toUpperCase(Locale.ROOT);
            if (!kind.equals("MODULE") && !kind.equals("ACLCAT") && !kind.equals("PATTERN")) throw CommandError.syntax();
            for (CommandSpec s : c.engine().commands().all()) {
                addIfMatches(names, s, kind, value);
                for (CommandSpec sub : s.subcommands().values()) addIfMatches(names, sub, kind, value);
            }
        }
        c.out().array(names.size());
        for (String n : names) c.out().bulk(n);
    }

    private static void addIfMatches(List<String> names, CommandSpec s, String kind, String value) {
        boolean match = switch (kind) {
            case "ACLCAT" -> s.aclCategories.contains("@" + value.toLowerCase(Locale.ROOT));
            case "PATTERN" -> Glob.match(value, s.name, true);
            default -> false; // no modules: nothing belongs to one
        };
        if (match) names.add(s.name);
    }

    /** Resolves "get" or "client|kill" style names; null when unknown. */
    private static CommandSpec find(CommandTable table, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) return table.lookup(name);
        CommandSpec parent = table.lookup(name.substring(0, bar));
        return parent == null ? null : parent.subcommand(name.substring(bar + 1).toLowerCase(Locale.ROOT));
    }

    static void info(Client c, byte[][] argv) {
        RespOut out = c.out();
        if (argv.length == 2) {
            command(c, new byte[][]{argv[0]});
            return;
        }
        out.array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            CommandSpec s = find(c.engine().commands(), Bytes.str(argv[i]));
            if (s == null) out.nullBulk();
            else writeInfo(out, s);
        }
    }

    /** One COMMAND INFO entry in Redis 7's ten-field layout. */
    static void writeInfo(RespOut out, CommandSpec s) {
        out.array(10);
        out.bulk(s.name);
        out.integer(s.arity);
        List<String> flags = new ArrayList<>();
        for (Flag f : Flag.values()) {
            // Redis keeps these internal: COMMAND INFO never lists them.
            if (f == Flag.SENTINEL || f == Flag.ONLY_SENTINEL || f == Flag.PROTECTED) continue;
            if (s.has(f)) flags.add(f.wire);
        }
        out.set(flags.size());
        for (String f : flags) out.simple(f);
        out.integer(s.firstKey);
        out.integer(s.lastKey);
        out.integer(s.keyStep);
        out.set(s.aclCategories.size());
        for (String a : s.aclCategories) out.simple(a);
        out.set(0); // tips
        out.set(0); // key specs: not modelled yet
        out.set(s.subcommands().size());
        for (CommandSpec sub : s.subcommands().values()) writeInfo(out, sub);
    }

    static void docs(Client c, byte[][] argv) {
        RespOut out = c.out();
        List<CommandSpec> specs = new ArrayList<>();
        if (argv.length == 2) {
            specs.addAll(c.engine().commands().all());
        } else {
            for (int i = 2; i < argv.length; i++) {
                CommandSpec s = find(c.engine().commands(), Bytes.str(argv[i]));
                if (s != null && !specs.contains(s)) specs.add(s);
            }
        }
        out.map(specs.size());
        for (CommandSpec s : specs) {
            out.bulk(s.name);
            writeDoc(out, s);
        }
    }

    private static void writeDoc(RespOut out, CommandSpec s) {
        boolean subs = !s.subcommands().isEmpty();
        out.map(subs ? 5 : 4);
        out.bulk("summary");
        out.bulk(s.summary());
        out.bulk("since");
        out.bulk(s.since());
        out.bulk("group");
        out.bulk(s.group());
        out.bulk("complexity");
        out.bulk(s.complexity());
        if (subs) {
            out.bulk("subcommands");
            out.map(s.subcommands().size());
            for (CommandSpec sub : s.subcommands().values()) {
                out.bulk(sub.name);
                writeDoc(out, sub);
            }
        }
    }

    /** The command named in argv[2..] and its key positions, validated as COMMAND GETKEYS does. */
    private static int[] keysOf(Client c, byte[][] argv, CommandSpec[] found) {
        CommandSpec s = c.engine().commands().lookup(argv[2]);
        byte[][] target = Arrays.copyOfRange(argv, 2, argv.length);
        if (s != null && !s.subcommands().isEmpty() && s.handler == null && target.length > 1) {
            CommandSpec sub = s.subcommand(Bytes.str(target[1]).toLowerCase(Locale.ROOT));
            if (sub != null) s = sub;
        }
        if (s == null) throw new CommandError("ERR Invalid command specified");
        if (!s.arityOk(target.length)) throw new CommandError("ERR Invalid number of arguments specified for command");
        int[] pos = s.keyPositions(target);
        if (pos.length == 0) throw new CommandError("ERR The command has no key arguments");
        found[0] = s;
        for (int i = 0; i < pos.length; i++) pos[i] += 2;
        return pos;
    }

    static void getkeys(Client c, byte[][] argv) {
        int[] pos = keysOf(c, argv, new CommandSpec[1]);
        c.out().array(pos.length);
        for (int p : pos) c.out().bulk(argv[p]);
    }

    /**
     * Keys with access flags. Without per-command key specs the flags come from the command's
     * read/write nature: RO+access for readers, RW+update for writers.
     */
    static void getkeysAndFlags(Client c, byte[][] argv) {
        CommandSpec[] found = new CommandSpec[1];
        int[] pos = keysOf(c, argv, found);
        boolean write = found[0].has(Flag.WRITE);
        RespOut out = c.out();
        out.array(pos.length);
        for (int p : pos) {
            out.array(2);
            out.bulk(argv[p]);
            out.set(2);
            out.simple(write ? "RW" : "RO");
            out.simple(write ? "update" : "access");
        }
    }

    static void help(Client c, byte[][] argv) {
        ServerFamily.help(c.out(), "COMMAND",
                "(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command.");
    }
}
