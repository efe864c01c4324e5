package io.amdc.core.scripting;

import io.amdc.core.Engine;
import io.amdc.core.session.Client;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The client redis.call runs commands as: replies land in a private heap buffer the Lua side
 * converts back into Lua values. Never blocks (blocking commands answer as if timed out).
 */
final class ScriptClient extends Client {
    final ByteBuf replies = Unpooled.buffer(256);

    ScriptClient(Engine engine) {
        super(engine, 0);
        authenticated(true);
        out().target(replies);
    }

    @Override
    public String addr() {
        return "";
    }

    @Override
    public String laddr() {
        return "";
    }

    @Override
    public int fd() {
        return -1;
    }

    @Override
    public void kill() {
    }

    @Override
    public long queryBufferBytes() {
        return 0;
    }

    @Override
    public long outputBufferBytes() {
        return 0;
    }

    @Override
    public String flagLetters() {
        return "S";
    }
}
