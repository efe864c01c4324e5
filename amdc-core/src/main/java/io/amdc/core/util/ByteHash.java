package io.amdc.core.util;

import java.security.SecureRandom;

/**
 * The one hash for byte strings in AMDC's tables (keyspace slots, hash fields, set members, sorted
 * set members): FNV-1a over the bytes from a per-process random seed, then murmur3's finalizer so
 * keys that differ only in their last characters (key:0001, key:0002...) spread over the whole
 * table. The random seed keeps crafted keys from colliding on purpose across servers.
 */
public final class ByteHash {
    private static final int SEED = new SecureRandom().nextInt() | 1;

    private ByteHash() {
    }

    public static int hash(byte[] b) {
        return hash(b, 0, b.length);
    }

    public static int hash(byte[] b, int off, int len) {
        int h = 0x811c9dc5 ^ SEED;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
