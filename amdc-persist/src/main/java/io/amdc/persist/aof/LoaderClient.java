package io.amdc.persist.aof;

import io.amdc.core.Engine;
import io.amdc.core.session.InternalClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/** The pseudo client that replays a file's commands; its replies are only checked for errors. */
final class LoaderClient extends InternalClient {
    private final ByteBuf replies = Unpooled.buffer(256);

    LoaderClient(Engine engine) {
        super(engine, -1);
        authenticated(true);
        out().target(replies);
    }

    /** Runs one command; returns its error reply, or null. */
    String run(byte[][] argv) {
        out().clear();
        engine().execute(this, argv);
        out().spill();
        if (replies.isReadable() && replies.getByte(0) == '-') {
            int end = replies.indexOf(replies.readerIndex(), replies.writerIndex(), (byte) '\r');
            return replies.toString(1, (end < 0 ? replies.writerIndex() : end) - 1, StandardCharsets.UTF_8);
        }
        return null;
    }
}
