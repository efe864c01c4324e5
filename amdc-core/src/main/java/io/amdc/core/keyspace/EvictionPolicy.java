package io.amdc.core.keyspace;

import java.util.Locale;

/** maxmemory-policy: which keys may go, and how the candidates are ranked. */
public enum EvictionPolicy {
    NOEVICTION(false, Rank.NONE),
    ALLKEYS_LRU(false, Rank.LRU),
    VOLATILE_LRU(true, Rank.LRU),
    ALLKEYS_LFU(false, Rank.LFU),
    VOLATILE_LFU(true, Rank.LFU),
    ALLKEYS_RANDOM(false, Rank.RANDOM),
    VOLATILE_RANDOM(true, Rank.RANDOM),
    VOLATILE_TTL(true, Rank.TTL);

    public enum Rank { NONE, LRU, LFU, RANDOM, TTL }

    /** Only keys with a TTL are candidates. */
    public final boolean volatileOnly;
    public final Rank rank;

    EvictionPolicy(boolean volatileOnly, Rank rank) {
        this.volatileOnly = volatileOnly;
        this.rank = rank;
    }

    /** From the config spelling ("allkeys-lru"). */
    public static EvictionPolicy parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public boolean lfu() {
        return rank == Rank.LFU;
    }
}
