package io.amdc.server;

import io.amdc.core.Engine;
import io.amdc.core.session.Client;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/** A {@link Client} backed by a Netty channel. */
final class NetClient extends Client {
    private final Channel channel;
    private final Connection connection;
    private final String addr;
    private final String laddr;

    NetClient(Engine engine, long id, Channel channel, Connection connection) {
        super(engine, id);
        this.channel = channel;
        this.connection = connection;
        this.addr = Connection.hostPort(channel.remoteAddress());
        this.laddr = Connection.hostPort(channel.localAddress());
    }

    @Override
    public String addr() {
        return addr;
    }

    @Override
    public String laddr() {
        return laddr;
    }

    @Override
    public int fd() {
        return (int) (id + 7);
    }

    @Override
    public void kill() {
        // Gone from CLIENT LIST/KILL at once, not when the close completes on the event loop.
        engine.clients().remove(id);
        channel.close();
    }

    @Override
    public boolean canBlock() {
        return !inExec(); // inside EXEC a blocking command answers as if it timed out
    }

    /** The event loop serving this connection now (the balancer may move it between loops). */
    EventLoop loop() {
        return channel.eventLoop();
    }

    /** Asks the connection's loop to move it to {@code target} once it is between commands. */
    void moveTo(EventLoop target) {
        onLoop(() -> connection.migrate(target));
    }

    /**
     * Runs {@code task} on the loop serving this connection. A task queued on a loop the
     * connection has left since follows it, so the connection's state is only ever touched by
     * the loop it is registered with.
     */
    private void onLoop(Runnable task) {
        EventLoop loop = channel.eventLoop();
        loop.execute(() -> {
            if (channel.eventLoop() == loop) task.run();
            else onLoop(task);
        });
    }

    @Override
    public void deliver(io.amdc.core.pubsub.Subscriber s) {
        onLoop(() -> connection.flushPubSub(s));
    }

    @Override
    public void runOnLoop(Runnable task) {
        onLoop(task);
    }

    @Override
    public java.util.concurrent.Future<?> schedule(Runnable task, long delayMs) {
        EventLoop loop = channel.eventLoop();
        return loop.schedule(() -> {
            if (channel.eventLoop() == loop) task.run();
            else onLoop(task);
        }, delayMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void unblocked(Runnable writeReply) {
        // Always a task, even on our own loop: the caller may hold slot locks, and the resumed
        // pipeline must not run under them.
        onLoop(() -> connection.resumeAfterBlock(writeReply));
    }

    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> outOfBand = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean drainScheduled = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void sendAsync(byte[] resp) {
        outOfBand.add(resp);
        // One task drains everything queued meanwhile: a busy monitor gets batched writes.
        if (drainScheduled.compareAndSet(false, true)) {
            onLoop(() -> {
                drainScheduled.set(false);
                connection.writeOutOfBand(outOfBand);
            });
        }
    }

    /**
     * On this loop, before a read is processed: lines queued for this client (MONITOR,
     * invalidations) go out before the replies to what it sent after they were queued, even
     * when the read is handled before the queued drain task runs.
     */
    void drainOutOfBand() {
        if (!outOfBand.isEmpty()) connection.writeOutOfBand(outOfBand);
    }

    @Override
    public long queryBufferBytes() {
        return connection.pendingInput();
    }

    @Override
    public long outputBufferBytes() {
        return connection.pendingOutput();
    }
}
