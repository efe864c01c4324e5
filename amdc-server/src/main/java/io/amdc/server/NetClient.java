package io.amdc.server;

import io.amdc.core.Engine;
import io.amdc.core.session.Client;
import io.netty.channel.Channel;

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
        channel.close();
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
