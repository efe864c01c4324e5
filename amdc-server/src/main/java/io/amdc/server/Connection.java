package io.amdc.server;

import io.amdc.core.Engine;
import io.amdc.core.config.ConfigParam;
import io.amdc.core.keyspace.AccessClock;
import io.amdc.core.util.Log;
import io.amdc.resp.ProtocolException;
import io.amdc.resp.RequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One client connection: parses requests from the socket and executes each inline on this event
 * loop, accumulating replies in one buffer that is flushed once per read batch, at the end of the
 * loop's iteration ({@link FlushBatch}). When the socket cannot take more output, reading stops
 * until it drains (back-pressure instead of unbounded buffers). It keeps its own input buffer
 * rather than extending ByteToMessageDecoder, which re-requests a read after every batch and so
 * would defeat that pause.
 */
final class Connection extends ChannelInboundHandlerAdapter implements FlushBatch.Deferred {
    /** Replies beyond this are handed to the channel mid-batch so one buffer never grows huge. */
    private static final int OUT_CHUNK = 64 * 1024;
    /** Consumed input bytes are compacted away once they exceed this (and the unread part is small). */
    private static final int DISCARD_THRESHOLD = 64 * 1024;

    private final Engine engine;
    private final NettyServer server;
    private final RequestParser parser = new RequestParser();
    private final ConfigParam maxBulkLen;
    private final ConfigParam queryBufferLimit;
    private NetClient client;
    private ChannelHandlerContext ctx;
    private ByteBuf in;
    private ByteBuf out;
    private boolean closing;
    /** Reading is paused because the peer is not taking its replies. */
    private boolean paused;
    /** Inside {@link #process()}: a command closing its own connection must not free the input under it. */
    private boolean processing;
    /** When pending output first went over the soft limit (ms), 0 while under it. */
    private long softLimitSince;
    /** Between leaving one event loop and being registered with the next (see {@link #migrate}). */
    private volatile boolean moving;
    /** Stream offset of this client's records already made durable enough to reply. */
    private long awaited;
    /** Waiting in this loop's {@link FlushBatch}. */
    private boolean flushQueued;

    Connection(Engine engine, NettyServer server) {
        this.engine = engine;
        this.server = server;
        this.maxBulkLen = engine.config().param("proto-max-bulk-len");
        this.queryBufferLimit = engine.config().param("client-query-buffer-limit");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        client = new NetClient(engine, engine.newClientId(), ctx.channel(), this);
        engine.stats().connectionsReceived.increment();
        String denial = server.admissionError(ctx.channel().remoteAddress(), engine.clients().size());
        if (denial != null) {
            engine.stats().rejectedConnections.increment();
            closing = true;
            ctx.writeAndFlush(Unpooled.copiedBuffer("-" + denial + "\r\n", StandardCharsets.UTF_8))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        engine.register(client);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        engine.unregister(client);
        closing = true;
        releaseBuffers();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBuffers();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        engine.stats().netInputBytes.add(data.readableBytes());
        if (closing) {
            data.release();
            return;
        }
        in = in == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), in, data);
        client.markInteraction(AccessClock.coarseMillis());
        client.drainOutOfBand();
        process();
    }

    /** Parses and runs every complete command buffered, unless paused by back-pressure. */
    private void process() {
        if (in == null) return;
        processing = true;
        client.batching(true);
        try {
            processBuffered(in);
        } finally {
            client.batching(false);
            engine.releaseHeldSlot(client); // before replies go out and before this loop waits
            processing = false;
        }
    }

    private void processBuffered(ByteBuf in) {
        parser.maxBulkLen(maxBulkLen.asLong());
        while (in.isReadable() && !closing) {
            // A blocked client's further commands wait in the input buffer until it is served.
            if (client.blocked()) break;
            if (!ctx.channel().isWritable()) {
                // Stop reading until the peer drains its replies; resumed in channelWritabilityChanged.
                paused = true;
                ctx.channel().config().setAutoRead(false);
                break;
            }
            byte[][] argv;
            try {
                parser.authenticated(client.authenticated());
                argv = parser.parse(in);
            } catch (ProtocolException e) {
                Log.verbose("Protocol error (" + e.getMessage() + ") from client: " + client.addr());
                // ISO-8859-1: the text quotes a raw request byte, which Redis echoes unencoded.
                replyBuffer().writeCharSequence("-ERR " + e.getMessage() + "\r\n", StandardCharsets.ISO_8859_1);
                engine.stats().error("ERR"); // Redis counts it in errorstats like any error reply
                closing = true;
                break;
            }
            if (argv == null) break;
            client.out().target(replyBuffer());
            engine.execute(client, argv);
            spillStaged(); // the reply joins the buffer before it is measured or sent
            if (client.closingAfterReply()) {
                closing = true;
                break;
            }
            if (client.blocked()) break;
            if (outputLimitReached()) break;
            if (out != null && out.readableBytes() >= OUT_CHUNK) {
                awaitDurable();
                ByteBuf chunk = out;
                out = null;
                engine.stats().netOutputBytes.add(chunk.readableBytes());
                ctx.write(chunk, ctx.voidPromise());
            }
        }
        if (closing) {
            in.skipBytes(in.readableBytes());
        } else if (in.readableBytes() + parser.pendingBytes() > queryBufferLimit.asLong()) {
            Log.warning("Closing client that reached max query buffer length: " + client.addr());
            engine.stats().clientQueryBufferLimitDisconnections.increment();
            closing = true;
            in.skipBytes(in.readableBytes());
            releaseOut();
            ctx.close();
        }
        if (!in.isReadable()) {
            in.release();
            this.in = null;
        } else if (in.readerIndex() > DISCARD_THRESHOLD) {
            in.discardSomeReadBytes();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!flushQueued) {
            flushQueued = true;
            FlushBatch.defer(this, ctx.channel().eventLoop());
        }
        ctx.fireChannelReadComplete();
    }

    /** {@link FlushBatch}'s end-of-iteration flush (skipped if the connection has moved loops meanwhile). */
    @Override
    public void flushDeferred() {
        flushQueued = false;
        if (ctx != null && ctx.channel().isOpen() && ctx.channel().eventLoop().inEventLoop()) flushReplies();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (paused && ctx.channel().isWritable()) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
            // Run what is already buffered; no new bytes may arrive to trigger it.
            process();
            flushReplies();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** On this loop, after a blocking command ended: write its reply, then run what was pipelined. */
    void resumeAfterBlock(Runnable writeReply) {
        client.blockedOn(null);
        client.out().target(replyBuffer());
        writeReply.run();
        spillStaged();
        if (!ctx.channel().isActive()) {
            releaseOut();
            return;
        }
        process();
        flushReplies();
    }

    /** On this loop: writes queued MONITOR lines / invalidation pushes after any pending replies. */
    void writeOutOfBand(java.util.Queue<byte[]> queue) {
        if (closing || !ctx.channel().isActive()) {
            queue.clear();
            return;
        }
        ByteBuf b = replyBuffer();
        byte[] m;
        while ((m = queue.poll()) != null) b.writeBytes(m);
        if (!processing) flushReplies();
    }

    /** On this loop: writes the pub/sub messages publishers queued for this client. */
    void flushPubSub(io.amdc.core.pubsub.Subscriber s) {
        ByteBuf b = s.takePending();
        if (b == null) return;
        if (closing || !ctx.channel().isActive()) {
            b.release();
            return;
        }
        spillStaged();
        if (out == null) {
            out = b; // the queued messages become the reply buffer: no copy
        } else {
            out.writeBytes(b);
            b.release();
        }
        flushReplies();
    }

    /**
     * On this loop: moves the connection to {@code target} if it is between commands, with
     * nothing buffered either way; otherwise it stays (the balancer asks again later). The
     * socket keeps whatever arrives meanwhile, and the new loop's poller reports it readable.
     */
    void migrate(io.netty.channel.EventLoop target) {
        Channel ch = ctx == null ? null : ctx.channel();
        if (ch == null || moving || ch.eventLoop() == target || !ch.isActive() || closing || processing || paused
                || client.blocked() || (in != null && in.isReadable()) || (out != null && out.isReadable())
                || client.out().hasStaged() || channelPending() > 0 || flushQueued) {
            return;
        }
        // One move at a time: a second request queued behind this one must not deregister the
        // channel again while its registration with the target is still pending.
        moving = true;
        ch.deregister().addListener(f -> {
            // Still on the old loop: registering sets the channel's loop before anything else runs here.
            if (!f.isSuccess() || !ch.isOpen()) {
                moving = false;
                return;
            }
            target.register(ch).addListener(r -> {
                moving = false; // on the target loop now
                if (!r.isSuccess()) {
                    Log.warning("Client " + client.addr() + " could not move between event loops: " + r.cause());
                    ch.close();
                }
            });
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Log.verbose("Client " + (client == null ? "?" : client.addr()) + " closed: " + cause);
        ctx.close();
    }

    /** The reply buffer, with the client's staged reply bytes in it, for writing after them. */
    private ByteBuf replyBuffer() {
        if (out == null) out = ctx.alloc().ioBuffer(256);
        else spillStaged();
        return out;
    }

    /**
     * Staged reply bytes go into {@code out} before anything else is written to it or it is sent.
     * Not while blocked: this client's stage then belongs to the thread serving its wait (see
     * BlockingRegistry.attempt), and its own blocking command staged nothing.
     */
    private void spillStaged() {
        if (client != null && out != null && !client.blocked()) client.out().spill();
    }

    /** Replies to writes leave only once the AOF policy allows (appendfsync always: fsynced). */
    private void awaitDurable() {
        long off = client.propagatedOffset();
        if (off > awaited) {
            engine.aof().beforeReply(off);
            awaited = off;
        }
    }

    void flushReplies() {
        spillStaged();
        if (client != null) awaitDurable();
        io.amdc.core.pubsub.PubSub.wakeDeferred(); // messages this batch published
        if (out != null && out.isReadable()) {
            ByteBuf b = out;
            out = null;
            engine.stats().netOutputBytes.add(b.readableBytes());
            if (closing) {
                ctx.writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(b, ctx.voidPromise());
            }
        } else if (closing) {
            ctx.flush();
            ctx.close();
        } else {
            ctx.flush();
        }
    }

    private void releaseOut() {
        if (client != null) client.out().discard();
        if (out != null) {
            out.release();
            out = null;
        }
    }

    private void releaseBuffers() {
        releaseOut();
        if (in != null && !processing) { // else processBuffered frees it once it sees closing
            in.release();
            in = null;
        }
    }

    /**
     * client-output-buffer-limit for this client's class: over the hard limit, or over the soft
     * limit for longer than its seconds, the connection is closed at once and its pending replies
     * dropped (Redis's "scheduled to be closed ASAP for overcoming of output buffer limits").
     * Call on the client's loop after adding replies; true when the client was closed.
     */
    boolean outputLimitReached() {
        if (closing) return false;
        var limits = engine.config().outputBufferLimits();
        int cls = client.outputLimitClass();
        long hard = limits.hard(cls);
        long soft = limits.soft(cls);
        if (hard == 0 && soft == 0) return false;
        long pending = pendingOutput();
        boolean over = hard > 0 && pending >= hard;
        if (!over && soft > 0 && pending >= soft) {
            long now = System.currentTimeMillis();
            if (softLimitSince == 0) softLimitSince = now;
            else over = now - softLimitSince > limits.softSeconds(cls) * 1000;
        } else if (!over) {
            softLimitSince = 0;
        }
        if (!over) return false;
        Log.warning("Client " + client.addr() + " scheduled to be closed ASAP for overcoming of output buffer limits.");
        engine.stats().clientOutputBufferLimitDisconnections.increment();
        closing = true;
        releaseOut();
        ctx.close();
        return true;
    }

    /** Replies waiting: in this connection's buffer and in the channel's outbound queue. */
    long pendingOutput() {
        ByteBuf b = out; // also read by other threads (CLIENT LIST, INFO, cron): one read of the field
        long buffered = b == null ? 0 : b.readableBytes();
        return buffered + channelPending();
    }

    private long channelPending() {
        Channel ch = ctx == null ? null : ctx.channel();
        if (ch == null) return 0;
        return ch.unsafe().outboundBuffer() == null ? 0 : ch.unsafe().outboundBuffer().totalPendingWriteBytes();
    }

    long pendingInput() {
        ByteBuf cum = in;
        return (cum == null ? 0 : cum.readableBytes()) + parser.pendingBytes();
    }

    static String hostPort(java.net.SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
            return host + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
