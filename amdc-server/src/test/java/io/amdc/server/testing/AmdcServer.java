package io.amdc.server.testing;

import io.amdc.core.Engine;
import io.amdc.core.config.Config;
import io.amdc.server.NettyServer;

import java.util.ArrayList;
import java.util.List;

/** An in-process AMDC on a free loopback port, for integration tests. */
public final class AmdcServer implements AutoCloseable {
    private final NettyServer server;
    private final int port;

    private AmdcServer(NettyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts with extra config lines, e.g. {@code start("requirepass secret", "io-threads 4")}. */
    public static AmdcServer start(String... configLines) {
        Config config = new Config();
        List<String> lines = new ArrayList<>();
        lines.add("bind 127.0.0.1");
        lines.add("port 0");
        lines.add("loglevel warning");
        // Each server saves and loads in its own directory (tests may override with their own "dir").
        try {
            lines.add("dir " + java.nio.file.Files.createTempDirectory("amdc-test"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        lines.addAll(List.of(configLines));
        config.loadLines(lines, "(test)");
        Engine engine = new Engine(config);
        NettyServer server = new NettyServer(engine);
        try {
            int port = server.start();
            engine.onShutdown(code -> new Thread(server::close).start());
            return new AmdcServer(server, port);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public NettyServer server() {
        return server;
    }

    public Engine engine() {
        return server.engine();
    }

    public RawClient client() {
        return new RawClient(host(), port);
    }

    @Override
    public void close() {
        server.close();
    }
}
