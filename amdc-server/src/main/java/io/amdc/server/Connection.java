package io.amdc.server;

import io.amdc.core.Engine;
import io.amdc.core.session.Client;
import io.amdc.core.util.Log;
import io.amdc.resp.ProtocolException;
import io.amdc.resp.RequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One client connection: parses requests from the socket and executes each inline on this event
 * loop, accumulating replies in one buffer that is flushed once per read batch. When the socket
 * cannot take more output, reading stops until it drains (back-pressure instead of unbounded
 * buffers).
 */
final class Connection extends ByteToMessageDecoder {
    /** Replies beyond this are handed to the channel mid-batch so one buffer never grows huge. */
    private static final int OUT_CHUNK = 64 * 1024;

    private final Engine engine;
    private final NettyServer server;
    private final RequestParser parser = new RequestParser();
    private NetClient client;
    private ChannelHandlerContext ctx;
    private ByteBuf out;
    private boolean closing;

    Connection(Engine engine, NettyServer server) {
        this.engine = engine;
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        client = new NetClient(engine, engine.newClientId(), ctx.channel(), this);
        engine.stats().connectionsReceived.increment();
        String denial = server.admissionError(ctx.channel(), engine.clients().size());
        if (denial != null) {
            engine.stats().rejectedConnections.increment();
            closing = true;
            ctx.writeAndFlush(Unpooled.copiedBuffer("-" + denial + "\r\n", java.nio.charset.StandardCharsets.UTF_8))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        engine.register(client);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        engine.unregister(client);
        super.channelInactive(ctx);
        releaseOut();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> unused) {
        if (closing) {
            in.skipBytes(in.readableBytes());
            return;
        }
        // A blocked client's further commands wait in the input buffer until it is served.
        if (client.blocked()) return;
        parser.maxBulkLen(engine.config().getLong("proto-max-bulk-len"));
        long limit = engine.config().getLong("client-query-buffer-limit");
        while (in.isReadable() && !closing) {
            if (!ctx.channel().isWritable()) {
                // Stop reading until the peer drains its replies; resumed in channelWritabilityChanged.
                ctx.channel().config().setAutoRead(false);
                return;
            }
            byte[][] argv;
            try {
                argv = parser.parse(in);
            } catch (ProtocolException e) {
                Log.verbose("Protocol error (" + e.getMessage() + ") from client: " + client.addr());
                replyBuffer().writeCharSequence("-ERR " + e.getMessage() + "\r\n", java.nio.charset.StandardCharsets.UTF_8);
                closeAfterFlush();
                in.skipBytes(in.readableBytes());
                return;
            }
            if (argv == null) {
                if (in.readableBytes() + parser.pendingBytes() > limit) {
                    Log.warning("Closing client that reached max query buffer length: " + client.addr());
                    engine.stats().clientQueryBufferLimitDisconnections.increment();
                    closing = true;
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                }
                return;
            }
            client.markInteraction(System.currentTimeMillis());
            client.out().target(replyBuffer());
            engine.execute(client, argv);
            if (client.closingAfterReply()) {
                closeAfterFlush();
                in.skipBytes(in.readableBytes());
                return;
            }
            if (client.blocked()) return;
            if (out != null && out.readableBytes() >= OUT_CHUNK) {
                ByteBuf chunk = out;
                out = null;
                engine.stats().netOutputBytes.add(chunk.readableBytes());
                ctx.write(chunk, ctx.voidPromise());
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) engine.stats().netInputBytes.add(b.readableBytes());
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        flushReplies();
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable() && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
            // Run what is already buffered; no new bytes may arrive to trigger it.
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
            flushReplies();
        }
        super.channelWritabilityChanged(ctx);
    }

    /** On this loop, after a blocking command ended: write its reply, then run what was pipelined. */
    void resumeAfterBlock(Runnable writeReply) {
        client.blockedOn(null);
        client.out().target(replyBuffer());
        writeReply.run();
        if (!ctx.channel().isActive()) {
            releaseOut();
            return;
        }
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            exceptionCaught(ctx, e);
        }
        flushReplies();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Log.verbose("Client " + (client == null ? "?" : client.addr()) + " closed: " + cause);
        ctx.close();
    }

    private ByteBuf replyBuffer() {
        if (out == null) out = ctx.alloc().ioBuffer(256);
        return out;
    }

    void flushReplies() {
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

    private void closeAfterFlush() {
        closing = true;
    }

    private void releaseOut() {
        if (out != null) {
            out.release();
            out = null;
        }
    }

    long pendingOutput() {
        Channel ch = ctx == null ? null : ctx.channel();
        if (ch == null) return 0;
        return ch.unsafe().outboundBuffer() == null ? 0 : ch.unsafe().outboundBuffer().totalPendingWriteBytes();
    }

    long pendingInput() {
        ByteBuf cum = internalBuffer();
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
