package io.amdc.core.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One row of the command table: everything the dispatcher, the lock planner, COMMAND INFO/DOCS
 * and INFO commandstats need to know about a command or sub-command.
 */
public final class CommandSpec {
    public final String name;          // lower case; "client|kill" style for sub-commands
    public final byte[] nameBytes;     // the bare name, for lookup
    public final int arity;            // Redis arity: n = exactly n, -n = at least n (name included)
    public final long flags;
    public final List<String> aclCategories;
    public final int firstKey;
    public final int lastKey;
    public final int keyStep;
    public final KeyFinder keyFinder;  // null unless keys are not a simple range
    public final Handler handler;
    public final CommandSpec parent;
    /** How the command's effect is recorded when argv itself is not deterministic; null: as is. */
    public io.amdc.core.propagation.Rewrite rewrite;
    private final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();

    private String summary = "";
    private String since = "1.0.0";
    private String group = "generic";
    private String complexity = "";

    public final LongAdder calls = new LongAdder();
    public final LongAdder usec = new LongAdder();
    public final LongAdder rejected = new LongAdder();
    public final LongAdder failed = new LongAdder();
    /** latency-tracking's per-thread histograms, created on first call (see introspect.CommandLatency). */
    public volatile io.amdc.core.introspect.CommandLatency.Cells latency;

    CommandSpec(CommandSpec parent, String name, int arity, String flags, String acl,
                int firstKey, int lastKey, int keyStep, KeyFinder keyFinder, Handler handler) {
        this.parent = parent;
        this.name = parent == null ? name : parent.name + "|" + name;
        this.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        this.arity = arity;
        this.flags = Flag.parse(flags) | (keyFinder != null ? 1L << Flag.MOVABLE_KEYS.ordinal() : 0);
        this.aclCategories = categories(acl, this.flags);
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.keyFinder = keyFinder;
        this.handler = handler;
    }

    private static List<String> categories(String acl, long flags) {
        List<String> out = new ArrayList<>();
        if (Flag.WRITE.in(flags)) out.add("@write");
        // As in Redis, read-only scripting commands (EVAL_RO...) are not @read.
        if (Flag.READONLY.in(flags) && !acl.contains("@scripting")) out.add("@read");
        if (Flag.ADMIN.in(flags)) {
            out.add("@admin");
            out.add("@dangerous");
        }
        if (Flag.PUBSUB.in(flags)) out.add("@pubsub");
        if (Flag.FAST.in(flags)) out.add("@fast");
        if (Flag.BLOCKING.in(flags)) out.add("@blocking");
        if (!Flag.FAST.in(flags)) out.add("@slow");
        for (String s : acl.trim().split("\\s+")) {
            if (!s.isEmpty() && !out.contains(s)) out.add(s);
        }
        // COMMAND INFO lists categories in Redis's category-bit order, not declaration order.
        out.sort(java.util.Comparator.comparingInt(CommandSpec::categoryRank));
        return Collections.unmodifiableList(out);
    }

    private static final List<String> CATEGORY_ORDER = List.of("@keyspace", "@read", "@write", "@set", "@sortedset",
            "@list", "@hash", "@string", "@bitmap", "@hyperloglog", "@geo", "@stream", "@pubsub", "@admin", "@fast",
            "@slow", "@blocking", "@dangerous", "@connection", "@transaction", "@scripting");

    private static int categoryRank(String category) {
        int i = CATEGORY_ORDER.indexOf(category);
        return i < 0 ? CATEGORY_ORDER.size() : i;
    }

    public boolean has(Flag f) {
        return f.in(flags);
    }

    public boolean hasKeys() {
        return firstKey > 0 || keyFinder != null;
    }

    public CommandSpec doc(String summary, String since, String group, String complexity) {
        this.summary = summary;
        this.since = since;
        this.group = group;
        this.complexity = complexity;
        return this;
    }

    public String summary() {
        return summary;
    }

    public String since() {
        return since;
    }

    public String group() {
        return group;
    }

    public String complexity() {
        return complexity;
    }

    /** Declares a sub-command (CLIENT KILL, CONFIG GET...); arity counts the parent's name too. */
    public CommandSpec sub(String name, int arity, String flags, String acl, Handler handler) {
        return sub(name, arity, flags, acl, 0, 0, 0, handler);
    }

    public CommandSpec sub(String name, int arity, String flags, String acl, int first, int last, int step, Handler handler) {
        CommandSpec s = new CommandSpec(this, name, arity, flags, acl, first, last, step, null, handler);
        s.group = this.group;
        s.since = this.since;
        subcommands.put(name, s);
        return s;
    }

    public Map<String, CommandSpec> subcommands() {
        return Collections.unmodifiableMap(subcommands);
    }

    public CommandSpec subcommand(String lowerName) {
        return subcommands.get(lowerName);
    }

    public boolean arityOk(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    /**
     * The argv indexes of this command's keys, or an empty array. For a range spec, lastKey -1
     * means the last argument, -2 the one before it, and so on.
     */
    public int[] keyPositions(byte[][] argv) {
        if (keyFinder != null) return keyFinder.keys(argv);
        if (firstKey <= 0 || firstKey >= argv.length) return NO_KEYS;
        int last = lastKey >= 0 ? lastKey : argv.length + lastKey;
        if (last >= argv.length) last = argv.length - 1;
        if (last < firstKey) return NO_KEYS;
        int n = (last - firstKey) / keyStep + 1;
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) pos[i] = firstKey + i * keyStep;
        return pos;
    }

    public static final int[] NO_KEYS = new int[0];
}
