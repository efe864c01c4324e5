package io.amdc.core.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * The one hash for byte strings in AMDC's tables (keyspace slots, hash fields, set members, sorted
 * set members). Eight bytes per step, each word mixed in with murmur3's multiply-rotate-multiply,
 * then murmur3's 64-bit finalizer, so keys that differ only in their last characters (key:0001,
 * key:0002...) spread over the whole table and over the low bits used as tags. Byte-at-a-time
 * hashing was a serial chain of one multiply per byte on every lookup. The per-process random
 * seed keeps crafted keys from colliding on purpose across servers; nothing persists these hashes.
 */
public final class ByteHash {
    private static final long SEED = new SecureRandom().nextLong();
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private ByteHash() {
    }

    public static int hash(byte[] b) {
        return hash(b, 0, b.length);
    }

    public static int hash(byte[] b, int off, int len) {
        long h = SEED ^ (len * 0x9e3779b97f4a7c15L);
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = Long.rotateLeft(h ^ ((long) WORD.get(b, i) * C1), 31) * C2;
        }
        if (i < end) {
            long w = 0;
            for (int shift = 0; i < end; i++, shift += 8) w |= (b[i] & 0xffL) << shift;
            h = Long.rotateLeft(h ^ (w * C1), 31) * C2;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
