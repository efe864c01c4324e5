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

    /**
     * Feeds the logical content to {@code md} for DEBUG DIGEST / DIGEST-VALUE, independent of the
     * encoding. Types should override this; the default covers only the type name, so two values
     * of one type with different contents would digest alike.
     */
    default void digest(java.security.MessageDigest md) {
        md.update(typeName().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** What used_memory last counted for this value (kept by the keyspace table). */
    int accountedBytes();

    void accountedBytes(int bytes);
}
