package io.amdc.core.scripting;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandError;
import io.amdc.core.util.Log;
import party.iroiro.luajava.Lua;

/** The redis.* table scripts see (fills the table on top of the stack). */
final class RedisApi {
    private RedisApi() {
    }

    static void install(Lua L, LuaVm vm) {
        fn(L, "call", l -> vm.call(l, true));
        fn(L, "pcall", l -> vm.call(l, false));
        fn(L, "error_reply", l -> {
            vm.on(l);
            if (l.getTop() != 1 || l.type(1) != Lua.LuaType.STRING) return returnError(vm, l);
            String s = vm.stringAt(1);
            if (s.startsWith("-")) s = s.substring(1);
            if (s.indexOf(' ') < 0) s = "ERR " + s;
            l.setTop(0);
            vm.pushErrorTable(s);
            return 1;
        });
        fn(L, "status_reply", l -> {
            vm.on(l);
            if (l.getTop() != 1 || l.type(1) != Lua.LuaType.STRING) return returnError(vm, l);
            byte[] s = vm.bytesAt(1);
            l.setTop(0);
            l.newTable();
            vm.pushBytes(s);
            l.setField(-2, "ok");
            return 1;
        });
        fn(L, "sha1hex", l -> {
            vm.on(l);
            if (l.getTop() != 1) return vm.raise("ERR wrong number of arguments");
            byte[] s = l.type(1) == Lua.LuaType.STRING || l.type(1) == Lua.LuaType.NUMBER ? vm.bytesAt(1) : new byte[0];
            l.setTop(0);
            l.push(Scripting.sha1hex(s));
            return 1;
        });
        fn(L, "log", l -> {
            vm.on(l);
            int n = l.getTop();
            if (n < 2) return vm.raise("ERR redis.log() requires two arguments or more.");
            if (l.type(1) != Lua.LuaType.NUMBER) return vm.raise("ERR First argument must be a number (log level).");
            long level = (long) l.toNumber(1);
            if (level < 0 || level > 3) return vm.raise("ERR Invalid debug level.");
            StringBuilder sb = new StringBuilder();
            for (int i = 2; i <= n; i++) {
                if (i > 2) sb.append(' ');
                String s = vm.stringAt(i);
                sb.append(s == null ? "" : s);
            }
            Log.log((int) level, sb.toString());
            l.setTop(0);
            return 0;
        });
        fn(L, "setresp", l -> {
            vm.on(l);
            if (l.getTop() != 1) return vm.raise("ERR redis.setresp() requires one argument.");
            long v = (long) l.toNumber(1);
            if (v != 2 && v != 3) return vm.raise("ERR RESP version must be 2 or 3.");
            if (vm.run != null) vm.run.resp = (int) v;
            vm.scriptClientProtocol((int) v);
            l.setTop(0);
            return 0;
        });
        fn(L, "set_repl", l -> {
            vm.on(l);
            if (vm.run == null) return vm.raise("ERR set_repl can only be called inside a script invocation");
            if (l.getTop() != 1) return vm.raise("ERR redis.set_repl() requires one argument.");
            long v = (long) l.toNumber(1);
            if (v < 0 || v > 3) return vm.raise("ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
            l.setTop(0);
            return 0;
        });
        fn(L, "replicate_commands", l -> {
            l.setTop(0);
            l.push(true);
            return 1;
        });
        fn(L, "breakpoint", l -> {
            l.setTop(0);
            l.push(false);
            return 1;
        });
        fn(L, "debug", l -> {
            l.setTop(0);
            return 0;
        });
        fn(L, "register_function", l -> FunctionsApi.register(vm.on(l), l));
        num(L, "LOG_DEBUG", 0);
        num(L, "LOG_VERBOSE", 1);
        num(L, "LOG_NOTICE", 2);
        num(L, "LOG_WARNING", 3);
        num(L, "REPL_NONE", 0);
        num(L, "REPL_AOF", 1);
        num(L, "REPL_SLAVE", 2);
        num(L, "REPL_REPLICA", 2);
        num(L, "REPL_ALL", 3);
        L.push(Engine.REDIS_VERSION);
        L.setField(-2, "REDIS_VERSION");
        String[] v = Engine.REDIS_VERSION.split("\\.");
        num(L, "REDIS_VERSION_NUM", (Integer.parseInt(v[0]) << 16) | (Integer.parseInt(v[1]) << 8) | Integer.parseInt(v[2]));
    }

    /** error_reply/status_reply misuse returns (not raises) an error table. */
    private static int returnError(LuaVm vm, Lua l) {
        l.setTop(0);
        vm.pushErrorTable("ERR wrong number or type of arguments");
        return 1;
    }

    static void fn(Lua L, String name, party.iroiro.luajava.JFunction f) {
        L.push(f);
        L.setField(-2, name);
    }

    private static void num(Lua L, String name, long v) {
        L.push(v);
        L.setField(-2, name);
    }

    /** Parses a script's "#!lua flags=..." shebang; returns its flag bits. */
    static long shebangFlags(String firstLine, boolean function) {
        String[] parts = firstLine.substring(2).trim().split(" +");
        if (!parts[0].equals("lua")) throw new CommandError("ERR Unexpected engine in script shebang: " + firstLine);
        long flags = Scripting.FLAGS_DECLARED;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("flags=")) {
                String list = p.substring(6);
                if (list.isEmpty()) continue;
                for (String f : list.split(",")) flags |= Scripting.flag(f, "ERR Unexpected flag in script shebang: " + f);
            } else {
                throw new CommandError("ERR Unknown lua shebang option: " + p);
            }
        }
        return flags;
    }
}
