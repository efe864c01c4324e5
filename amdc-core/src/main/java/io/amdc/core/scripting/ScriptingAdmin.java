package io.amdc.core.scripting;

import io.amdc.core.command.CommandError;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;
import io.amdc.core.util.Glob;
import io.amdc.resp.RespOut;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** SCRIPT and FUNCTION sub-commands. */
public final class ScriptingAdmin {
    private ScriptingAdmin() {
    }

    private static Scripting s(Client c) {
        return c.engine().scripting();
    }

    public static void scriptLoad(Client c, byte[][] argv) {
        c.out().bulk(s(c).load(argv[2]));
    }

    public static void scriptExists(Client c, byte[][] argv) {
        Scripting s = s(c);
        c.out().array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) c.out().integer(s.exists(argv[i]) ? 1 : 0);
    }

    public static void scriptFlush(Client c, byte[][] argv) {
        flushMode(argv);
        s(c).flushScripts();
        c.out().ok();
    }

    private static void flushMode(byte[][] argv) {
        if (argv.length > 3) throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        if (argv.length == 3 && !Bytes.eqIgnoreCase(argv[2], "SYNC") && !Bytes.eqIgnoreCase(argv[2], "ASYNC")) {
            throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
    }

    public static void scriptKill(Client c, byte[][] argv) {
        s(c).kill(false);
        c.out().ok();
    }

    public static void scriptHelp(Client c, byte[][] argv) {
        help(c.out(), "SCRIPT",
                "DEBUG (YES|SYNC|NO)",
                "    Set the debug mode for subsequent scripts executed.",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it.");
    }

    private static void help(RespOut out, String cmd, String... lines) {
        out.array(lines.length + 3);
        out.simple(cmd + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) out.simple(l);
        out.simple("HELP");
        out.simple("    Prints this help.");
    }

    public static void functionLoad(Client c, byte[][] argv) {
        boolean replace = false;
        int i = 2;
        if (argv.length == 4) {
            if (!Bytes.eqIgnoreCase(argv[2], "REPLACE")) throw new CommandError("ERR Unknown option given: " + Bytes.str(argv[2]));
            replace = true;
            i = 3;
        } else if (argv.length > 4) {
            throw new CommandError("ERR Unknown option given: " + Bytes.str(argv[2]));
        }
        c.out().bulk(s(c).functionLoad(argv[i], replace));
    }

    public static void functionDelete(Client c, byte[][] argv) {
        s(c).functionDelete(Bytes.str(argv[2]));
        c.out().ok();
    }

    public static void functionFlush(Client c, byte[][] argv) {
        if (argv.length > 3 || (argv.length == 3 && !Bytes.eqIgnoreCase(argv[2], "SYNC") && !Bytes.eqIgnoreCase(argv[2], "ASYNC"))) {
            throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        s(c).functionFlush();
        c.out().ok();
    }

    public static void functionKill(Client c, byte[][] argv) {
        s(c).kill(true);
        c.out().ok();
    }

    public static void functionList(Client c, byte[][] argv) {
        String pattern = null;
        boolean withCode = false;
        for (int i = 2; i < argv.length; i++) {
            if (Bytes.eqIgnoreCase(argv[i], "WITHCODE")) {
                if (withCode) throw new CommandError("ERR Unknown argument withcode");
                withCode = true;
            } else if (Bytes.eqIgnoreCase(argv[i], "LIBRARYNAME") && i + 1 < argv.length) {
                if (pattern != null) throw new CommandError("ERR library name argument was already given");
                pattern = Bytes.str(argv[++i]);
            } else {
                throw new CommandError("ERR Unknown argument " + Bytes.str(argv[i]));
            }
        }
        List<FunctionLibrary> libs = s(c).libraries();
        if (pattern != null) {
            String p = pattern;
            libs.removeIf(l -> !Glob.match(p.getBytes(StandardCharsets.UTF_8), l.name.getBytes(StandardCharsets.UTF_8), false));
        }
        RespOut out = c.out();
        out.array(libs.size());
        for (FunctionLibrary lib : libs) {
            out.map(withCode ? 4 : 3);
            out.bulk("library_name");
            out.bulk(lib.name);
            out.bulk("engine");
            out.bulk("LUA");
            out.bulk("functions");
            out.array(lib.functions.size());
            for (FunctionLibrary.Fn f : lib.functions.values()) {
                out.map(3);
                out.bulk("name");
                out.bulk(f.name());
                out.bulk("description");
                out.bulk(f.description());
                out.bulk("flags");
                int n = Long.bitCount(f.flags());
                out.set(n);
                String[] names = {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"};
                for (int b = 0; b < names.length; b++) if ((f.flags() & (2L << b)) != 0) out.simple(names[b]);
            }
            if (withCode) {
                out.bulk("library_code");
                out.bulk(lib.code);
            }
        }
    }

    /** Our own payload (not RDB): a magic, then each library's code as length-prefixed UTF-8. */
    private static final byte[] MAGIC = "AMDCFN1".getBytes(StandardCharsets.US_ASCII);

    public static void functionDump(Client c, byte[][] argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        for (FunctionLibrary lib : s(c).libraries()) {
            byte[] code = lib.code.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(code.length).array());
            out.writeBytes(code);
        }
        c.out().bulk(out.toByteArray());
    }

    public static void functionRestore(Client c, byte[][] argv) {
        String policy = "APPEND";
        if (argv.length == 4) {
            policy = Bytes.str(argv[3]).toUpperCase();
            if (!policy.equals("APPEND") && !policy.equals("REPLACE") && !policy.equals("FLUSH")) {
                throw new CommandError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            }
        } else if (argv.length > 4) {
            throw new CommandError("ERR syntax error");
        }
        byte[] p = argv[2];
        if (p.length < MAGIC.length || !java.util.Arrays.equals(p, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CommandError("ERR payload version or checksum are wrong");
        }
        java.util.List<byte[]> codes = new java.util.ArrayList<>();
        ByteBuffer bb = ByteBuffer.wrap(p, MAGIC.length, p.length - MAGIC.length);
        while (bb.remaining() > 0) {
            if (bb.remaining() < 4) throw new CommandError("ERR payload version or checksum are wrong");
            int n = bb.getInt();
            if (n < 0 || n > bb.remaining()) throw new CommandError("ERR payload version or checksum are wrong");
            byte[] code = new byte[n];
            bb.get(code);
            codes.add(code);
        }
        Scripting s = s(c);
        synchronized (s) {
            if (policy.equals("FLUSH")) s.functionFlush();
            for (byte[] code : codes) s.functionLoad(code, policy.equals("REPLACE"));
        }
        c.out().ok();
    }

    public static void functionStats(Client c, byte[][] argv) {
        Scripting s = s(c);
        RespOut out = c.out();
        out.map(2);
        out.bulk("running_script");
        ScriptRun r = s.runningScript(true);
        if (r == null) {
            out.nullBulk();
        } else {
            out.map(3);
            out.bulk("name");
            out.bulk(r.name);
            out.bulk("command");
            out.array(1);
            out.bulk("fcall");
            out.bulk("duration_ms");
            out.integer((System.nanoTime() - r.startNanos) / 1_000_000);
        }
        out.bulk("engines");
        out.map(1);
        out.bulk("LUA");
        out.map(2);
        out.bulk("libraries_count");
        List<FunctionLibrary> libs = s.libraries();
        out.integer(libs.size());
        out.bulk("functions_count");
        out.integer(libs.stream().mapToInt(l -> l.functions.size()).sum());
    }

    public static void functionHelp(Client c, byte[][] argv) {
        help(c.out(), "FUNCTION",
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (Notice that the function code may have changed).");
    }
}
