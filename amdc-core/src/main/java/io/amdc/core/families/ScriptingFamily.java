package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.scripting.Scripting;
import io.amdc.core.scripting.ScriptingAdmin;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;

/** EVAL/EVALSHA(_RO), SCRIPT, FUNCTION and FCALL(_RO); the engine is in io.amdc.core.scripting. */
public final class ScriptingFamily {
    private ScriptingFamily() {
    }

    private static final String EVAL_FLAGS = "noscript stale skip_monitor no_mandatory_keys";

    public static void declare(CommandTable t) {
        t.add("eval", -3, EVAL_FLAGS, "@scripting", ZSetFamily.numKeys(2),
                        (c, a) -> s(c).eval(c, a, false, false))
                .doc("Executes a server-side Lua script.", "2.6.0", "scripting", "Depends on the script that is executed.");
        t.add("evalsha", -3, EVAL_FLAGS, "@scripting", ZSetFamily.numKeys(2),
                        (c, a) -> s(c).eval(c, a, true, false))
                .doc("Executes a server-side Lua script by SHA1 digest.", "2.6.0", "scripting", "Depends on the script that is executed.");
        t.add("eval_ro", -3, "readonly " + EVAL_FLAGS, "@scripting", ZSetFamily.numKeys(2),
                        (c, a) -> s(c).eval(c, a, false, true))
                .doc("Executes a read-only server-side Lua script.", "7.0.0", "scripting", "Depends on the script that is executed.");
        t.add("evalsha_ro", -3, "readonly " + EVAL_FLAGS, "@scripting", ZSetFamily.numKeys(2),
                        (c, a) -> s(c).eval(c, a, true, true))
                .doc("Executes a read-only server-side Lua script by SHA1 digest.", "7.0.0", "scripting", "Depends on the script that is executed.");
        t.add("fcall", -3, EVAL_FLAGS, "@scripting", ZSetFamily.numKeys(2),
                        (c, a) -> s(c).fcall(c, a, false))
                .doc("Invokes a function.", "7.0.0", "scripting", "Depends on the function that is executed.");
        t.add("fcall_ro", -3, "readonly " + EVAL_FLAGS, "@scripting", ZSetFamily.numKeys(2),
                        (c, a) -> s(c).fcall(c, a, true))
                .doc("Invokes a read-only function.", "7.0.0", "scripting", "Depends on the function that is executed.");

        CommandSpec script = t.add("script", -2, "", "", null)
                .doc("A container for Lua scripts management commands.", "2.6.0", "scripting", "Depends on subcommand.");
        script.sub("load", 3, "noscript stale", "@scripting", ScriptingAdmin::scriptLoad)
                .doc("Loads a server-side Lua script to the script cache.", "2.6.0", "scripting", "O(N) with N being the length in bytes of the script body.");
        script.sub("exists", -3, "noscript", "@scripting", ScriptingAdmin::scriptExists)
                .doc("Determines whether server-side Lua scripts exist in the script cache.", "2.6.0", "scripting", "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).");
        script.sub("flush", -2, "noscript", "@scripting", ScriptingAdmin::scriptFlush)
                .doc("Removes all server-side Lua scripts from the script cache.", "2.6.0", "scripting", "O(N) with N being the number of scripts in cache");
        script.sub("kill", 2, "noscript allow_busy", "@scripting", ScriptingAdmin::scriptKill)
                .doc("Terminates a server-side Lua script during execution.", "2.6.0", "scripting", "O(1)");
        script.sub("debug", 3, "noscript", "@scripting", (c, a) -> {
                    throw new CommandError("ERR SCRIPT DEBUG is not supported");
                })
                .doc("Sets the debug mode of server-side Lua scripts.", "3.2.0", "scripting", "O(1)");
        script.sub("help", 2, "loading stale", "@scripting", ScriptingAdmin::scriptHelp)
                .doc("Returns helpful text about the different subcommands.", "5.0.0", "scripting", "O(1)");

        CommandSpec function = t.add("function", -2, "", "", null)
                .doc("A container for function commands.", "7.0.0", "scripting", "Depends on subcommand.");
        function.sub("load", -3, "write denyoom noscript", "@scripting", ScriptingAdmin::functionLoad)
                .doc("Creates a library.", "7.0.0", "scripting", "O(1) (considering compilation time is redundant)");
        function.sub("list", -2, "noscript", "@scripting", ScriptingAdmin::functionList)
                .doc("Returns information about all libraries.", "7.0.0", "scripting", "O(N) where N is the number of functions");
        function.sub("delete", 3, "write noscript", "@scripting", ScriptingAdmin::functionDelete)
                .doc("Deletes a library and its functions.", "7.0.0", "scripting", "O(1)");
        function.sub("flush", -2, "write noscript", "@scripting", ScriptingAdmin::functionFlush)
                .doc("Deletes all libraries and functions.", "7.0.0", "scripting", "O(N) where N is the number of functions deleted");
        function.sub("dump", 2, "noscript", "@scripting", ScriptingAdmin::functionDump)
                .doc("Dumps all libraries into a serialized binary payload.", "7.0.0", "scripting", "O(N) where N is the number of functions");
        function.sub("restore", -3, "write denyoom noscript", "@scripting", ScriptingAdmin::functionRestore)
                .doc("Restores all libraries from a payload.", "7.0.0", "scripting", "O(N) where N is the number of functions on the payload");
        function.sub("stats", 2, "noscript allow_busy", "@scripting", ScriptingAdmin::functionStats)
                .doc("Returns information about a function during execution.", "7.0.0", "scripting", "O(1)");
        function.sub("kill", 2, "noscript allow_busy", "@scripting", ScriptingAdmin::functionKill)
                .doc("Terminates a function during execution.", "7.0.0", "scripting", "O(1)");
        function.sub("help", 2, "loading stale", "@scripting", ScriptingAdmin::functionHelp)
                .doc("Returns helpful text about the different subcommands.", "7.0.0", "scripting", "O(1)");
    }

    private static Scripting s(Client c) {
        return c.engine().scripting();
    }

    static boolean eq(byte[] a, String s) {
        return Bytes.eqIgnoreCase(a, s);
    }
}
