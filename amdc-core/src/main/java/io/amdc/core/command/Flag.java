package io.amdc.core.command;

/** Command flags, spelled as COMMAND INFO reports them. */
public enum Flag {
    WRITE("write"),
    READONLY("readonly"),
    DENYOOM("denyoom"),
    MODULE("module"),
    ADMIN("admin"),
    PUBSUB("pubsub"),
    NOSCRIPT("noscript"),
    BLOCKING("blocking"),
    LOADING("loading"),
    STALE("stale"),
    SKIP_MONITOR("skip_monitor"),
    SKIP_SLOWLOG("skip_slowlog"),
    ASKING("asking"),
    FAST("fast"),
    NO_AUTH("no_auth"),
    MAY_REPLICATE("may_replicate"),
    SENTINEL("sentinel"),
    ONLY_SENTINEL("only_sentinel"),
    NO_MANDATORY_KEYS("no_mandatory_keys"),
    PROTECTED("protected"),
    NO_ASYNC_LOADING("no_async_loading"),
    NO_MULTI("no_multi"),
    MOVABLE_KEYS("movablekeys"),
    ALLOW_BUSY("allow_busy");

    public final String wire;

    Flag(String wire) {
        this.wire = wire;
    }

    /** Parses a space separated list such as "write denyoom fast". */
    public static long parse(String spec) {
        long bits = 0;
        for (String s : spec.trim().split("\\s+")) {
            if (s.isEmpty()) continue;
            bits |= 1L << byWire(s).ordinal();
        }
        return bits;
    }

    private static Flag byWire(String s) {
        for (Flag f : values()) {
            if (f.wire.equals(s)) return f;
        }
        throw new IllegalArgumentException("unknown command flag " + s);
    }

    public boolean in(long bits) {
        return (bits & (1L << ordinal())) != 0;
    }
}
