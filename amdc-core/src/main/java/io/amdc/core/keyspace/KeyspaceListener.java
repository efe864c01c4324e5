package io.amdc.core.keyspace;

/** Observers of key lifecycle events that are not caused by a command's own keys (expiry, flushes). */
public interface KeyspaceListener {
    KeyspaceListener NONE = new KeyspaceListener() {
    };

    default void expired(int db, byte[] key) {
    }

    /** A key deleted to stay under maxmemory; called under the key's slot lock. */
    default void evicted(int db, byte[] key) {
    }

    /** A command (or a load) added {@code key}, which did not exist; under the key's slot lock. */
    default void created(int db, byte[] key) {
    }

    /** A lookup found no {@code key} (keyspace notifications' key-miss). */
    default void missed(int db, byte[] key) {
    }

    /** FLUSHDB/FLUSHALL is about to empty {@code db}; every slot lock is held. */
    default void flushing(int db) {
    }

    /** SWAPDB is about to exchange {@code a} and {@code b}; every slot lock is held. */
    default void swapping(int a, int b) {
    }
}
