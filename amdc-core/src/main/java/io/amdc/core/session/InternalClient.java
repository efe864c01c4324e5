package io.amdc.core.session;

import io.amdc.core.Engine;

/**
 * A client with no connection behind it (a script's redis.call, the AOF loader): commands run
 * through the same dispatcher, replies go to a buffer its owner reads, and the connection-level
 * operations have nothing to act on.
 */
public abstract class InternalClient extends Client {
    protected InternalClient(Engine engine, long id) {
        super(engine, id);
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
}
