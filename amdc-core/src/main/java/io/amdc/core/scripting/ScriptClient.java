package io.amdc.core.scripting;

import io.amdc.core.Engine;
import io.amdc.core.session.InternalClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The client redis.call runs commands as: replies land in a private heap buffer the Lua side
 * converts back into Lua values. Never blocks (blocking commands answer as if timed out).
 */
final class ScriptClient extends InternalClient {
    final ByteBuf replies = Unpooled.buffer(256);

    ScriptClient(Engine engine) {
        super(engine, 0);
        authenticated(true);
        out().target(replies);
    }

    @Override
    public String flagLetters() {
        return "S";
    }
}
