package io.amdc.core.keyspace;

/** Observers of key lifecycle events that are not caused by a command (expiry, eviction). */
public interface KeyspaceListener {
    KeyspaceListener NONE = new KeyspaceListener() {
    };

    default void expired(int db, byte[] key) {
    }

    /** A key deleted to stay under maxmemory; called under the key's slot lock. */
    default void evicted(int db, byte[] key) {
    }
}
