package io.amdc.core.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The one command table. Families declare their commands into it (see
 * {@code io.amdc.core.families.Families}); the dispatcher, the lock planner, COMMAND and INFO
 * all read it. Lookup is case-insensitive and allocation-free.
 */
public final class CommandTable {
    private final List<CommandSpec> all = new ArrayList<>();
    private CommandSpec[] slots = new CommandSpec[512];

    /** Declares a command whose keys are argv[first..last] every step (last may be negative). */
    public CommandSpec add(String name, int arity, String flags, String acl, int first, int last, int step, Handler h) {
        return register(new CommandSpec(null, name, arity, flags, acl, first, last, step, null, h));
    }

    /** Declares a keyless command. */
    public CommandSpec add(String name, int arity, String flags, String acl, Handler h) {
        return add(name, arity, flags, acl, 0, 0, 0, h);
    }

    /** Declares a command whose key positions are computed from its arguments. */
    public CommandSpec add(String name, int arity, String flags, String acl, KeyFinder keys, Handler h) {
        return register(new CommandSpec(null, name, arity, flags, acl, 0, 0, 0, keys, h));
    }

    /**
     * Declares a command whose keys are computed from its arguments but which COMMAND INFO still
     * describes with a legacy first/last/step range (ZUNIONSTORE, SORT, GEORADIUS...), as Redis does.
     */
    public CommandSpec add(String name, int arity, String flags, String acl, int first, int last, int step,
                           KeyFinder keys, Handler h) {
        return register(new CommandSpec(null, name, arity, flags, acl, first, last, step, keys, h));
    }

    private CommandSpec register(CommandSpec s) {
        if (lookup(s.nameBytes) != null) throw new IllegalStateException("duplicate command " + s.name);
        all.add(s);
        if (all.size() * 2 > slots.length) rehash(slots.length * 2);
        put(slots, s);
        return s;
    }

    private static void put(CommandSpec[] table, CommandSpec s) {
        int mask = table.length - 1;
        int i = hash(s.nameBytes) & mask;
        while (table[i] != null) i = (i + 1) & mask;
        table[i] = s;
    }

    private void rehash(int size) {
        CommandSpec[] n = new CommandSpec[size];
        for (CommandSpec s : all) put(n, s);
        slots = n;
    }

    private static int hash(byte[] name) {
        int h = 0;
        for (byte b : name) h = h * 31 + (b | 0x20);
        return h ^ (h >>> 16);
    }

    /** The command named {@code name} in any letter case, or null. */
    public CommandSpec lookup(byte[] name) {
        CommandSpec[] t = slots;
        int mask = t.length - 1;
        int i = hash(name) & mask;
        while (true) {
            CommandSpec s = t[i];
            if (s == null) return null;
            if (equalsIgnoreCase(s.nameBytes, name)) return s;
            i = (i + 1) & mask;
        }
    }

    public CommandSpec lookup(String name) {
        return lookup(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static boolean equalsIgnoreCase(byte[] lower, byte[] any) {
        if (lower.length != any.length) return false;
        for (int i = 0; i < lower.length; i++) {
            int c = any[i];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != lower[i]) return false;
        }
        return true;
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableList(all);
    }

    public int size() {
        return all.size();
    }
}
