package io.amdc.resp;

import io.netty.buffer.PooledByteBufAllocator;

/**
 * The one allocator for the server's socket buffers: query and reply buffers, pub/sub frames and
 * blocked clients' replies.
 *
 * <p>Why not Netty's default allocator? The default in Netty 4.2 is the adaptive allocator. It
 * grows and keeps its chunks after a burst of large reads. After a 10 MB {@code redis-cli --pipe}
 * load, resident memory was still 2-5 MB higher once everything was released, and a memory
 * comparison of 1M small-set members read 1.3-1.5x Redis instead of 1.1.
 *
 * <p>A pooled allocator gives chunks back once they are empty. Its chunks are 1 MB here
 * ({@code maxOrder} 7 over 8 KB pages) instead of 4 MB, so an empty server holds less. It has
 * no heap arenas, because socket I/O uses direct buffers only. It has one arena per core.
 */
public final class IoBuffers {
    private static final int PAGE_SIZE = 8192;
    /** 8 KB << 7 = 1 MB chunks. */
    private static final int MAX_ORDER = 7;

    public static final PooledByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(
            true, 0, Integer.getInteger("amdc.arenas", Math.max(1, Runtime.getRuntime().availableProcessors())), PAGE_SIZE, MAX_ORDER,
            PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
            false);

    private IoBuffers() {
    }
}
