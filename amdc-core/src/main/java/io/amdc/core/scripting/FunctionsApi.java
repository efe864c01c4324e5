package io.amdc.core.scripting;

import party.iroiro.luajava.Lua;

/** redis.register_function, usable only while FUNCTION LOAD runs a library's body. */
final class FunctionsApi {
    private FunctionsApi() {
    }

    static int register(LuaVm vm, Lua l) {
        FunctionLibrary lib = vm.loading();
        if (lib == null) return vm.raise("ERR redis.register_function can only be called on FUNCTION LOAD command");
        String name;
        String description = null;
        long flags = 0;
        int n = l.getTop();
        if (n == 1 && l.type(1) == Lua.LuaType.TABLE) {
            l.getField(1, "function_name");
            if (l.type(-1) != Lua.LuaType.STRING) return vm.raise("ERR function_name argument given to redis.register_function must be a string");
            name = vm.stringAt(-1);
            l.pop(1);
            l.getField(1, "description");
            if (!l.isNil(-1)) {
                if (l.type(-1) != Lua.LuaType.STRING) return vm.raise("ERR description argument given to redis.register_function must be a string");
                description = vm.stringAt(-1);
            }
            l.pop(1);
            l.getField(1, "flags");
            if (!l.isNil(-1)) {
                if (l.type(-1) != Lua.LuaType.TABLE) return vm.raise("ERR flags argument to redis.register_function must be a table representing function flags");
                int t = l.getTop();
                for (int i = 1; ; i++) {
                    l.rawGetI(t, i);
                    if (l.isNil(-1)) {
                        l.pop(1);
                        break;
                    }
                    String f = vm.stringAt(-1);
                    l.pop(1);
                    long bit = Scripting.flagOrZero(f);
                    if (bit == 0) return vm.raise("ERR unknown flag given");
                    flags |= bit;
                }
            }
            l.pop(1);
            l.getField(1, "callback");
            if (l.type(-1) != Lua.LuaType.FUNCTION) return vm.raise("ERR callback argument given to redis.register_function must be a function");
        } else if (n == 2) {
            if (l.type(1) != Lua.LuaType.STRING) return vm.raise("ERR first argument to redis.register_function must be a string");
            if (l.type(2) != Lua.LuaType.FUNCTION) return vm.raise("ERR second argument to redis.register_function must be a function");
            name = vm.stringAt(1);
            l.pushValue(2);
        } else {
            return vm.raise("ERR wrong number of arguments to redis.register_function");
        }
        if (!validName(name)) return vm.raise("ERR Function names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        if (lib.functions.containsKey(name)) return vm.raise("ERR Function already exists in the library");
        int ref = l.ref();
        lib.functions.put(name, new FunctionLibrary.Fn(name, description, flags, ref));
        l.setTop(0);
        return 0;
    }

    static boolean validName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
        }
        return true;
    }
}
