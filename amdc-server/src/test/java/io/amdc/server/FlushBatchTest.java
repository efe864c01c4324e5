package io.amdc.server;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FlushBatchTest {
    @Test
    void connectionsAreFlushedOnceTheIterationEndsInOrderAndOncePerDefer() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoop loop = group.next();
        try {
            List<String> log = new CopyOnWriteArrayList<>();
            FlushBatch.Deferred b = () -> log.add("b");
            // A flush that queues another connection (a reply waking a subscriber) runs it in the same pass.
            FlushBatch.Deferred a = () -> {
                log.add("a");
                FlushBatch.defer(b, loop);
            };
            List<String> duringReads = loop.submit(() -> {
                FlushBatch.defer(a, loop);
                FlushBatch.defer(() -> log.add("c"), loop);
                return List.copyOf(log);
            }).get(5, TimeUnit.SECONDS);
            assertThat(duringReads).as("nothing flushes while the iteration's reads run").isEmpty();
            awaitSize(log, 3);
            assertThat(log).containsExactly("a", "c", "b");

            // A connection whose flush fails does not keep the others, or later passes, from flushing.
            log.clear();
            loop.submit(() -> {
                FlushBatch.defer(() -> {
                    throw new IllegalStateException("boom");
                }, loop);
                FlushBatch.defer(() -> log.add("e"), loop);
            }).get(5, TimeUnit.SECONDS);
            awaitSize(log, 1);
            assertThat(log).containsExactly("e");

            // Later iterations schedule their own pass.
            log.clear();
            loop.submit(() -> FlushBatch.defer(() -> log.add("d"), loop)).get(5, TimeUnit.SECONDS);
            awaitSize(log, 1);
            Thread.sleep(50);
            assertThat(log).containsExactly("d");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static void awaitSize(List<String> log, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (log.size() < n && System.nanoTime() < deadline) Thread.sleep(1);
    }
}
