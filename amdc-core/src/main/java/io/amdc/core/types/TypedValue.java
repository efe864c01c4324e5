package io.amdc.core.types;

/**
 * A value that is not a plain string. Strings are stored as bare byte[] (the common case, no
 * wrapper); every other Redis type implements this so TYPE, OBJECT ENCODING and MEMORY USAGE can
 * answer without knowing the concrete class.
 */
public interface TypedValue {
    /** TYPE's answer: "list", "hash", "set", "zset", "stream". */
    String typeName();

    /** OBJECT ENCODING's answer, as Redis 7.2 names it: "listpack", "quicklist", "hashtable"... */
    String encoding();

    /** Estimated heap bytes held by this value (for MEMORY USAGE and used_memory). */
    long memoryUsage();

    /** A deep copy, for COPY. */
    TypedValue copy();
}
