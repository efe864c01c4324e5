package io.amdc.server.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's redis-server started on a free loopback port, for differential tests. Tests call
 * {@link #available()} and skip (assumeTrue) when it is not installed.
 */
public final class RedisServerProcess implements AutoCloseable {
    private static final String BINARY = "/usr/bin/redis-server";
    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServerProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static boolean available() {
        return new File(BINARY).canExecute();
    }

    public static RedisServerProcess start(String... extraArgs) {
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("redis-diff");
            List<String> cmd = new ArrayList<>(List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                    "--loglevel", "warning", "--enable-debug-command", "yes"));
            cmd.addAll(List.of(extraArgs));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (RawClient c = new RawClient("127.0.0.1", port)) {
                    String pong = c.call("PING");
                    // With --requirepass the ping is refused, but the server is up.
                    if (pong.equals("PONG") || pong.startsWith("!NOAUTH")) return new RedisServerProcess(p, port, dir);
                } catch (Exception e) {
                    Thread.sleep(50);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("redis-server did not start on port " + port);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** The server's working directory (where SAVE writes dump.rdb unless --dir overrides it). */
    public Path dir() {
        return dir;
    }

    public RawClient client() {
        return new RawClient("127.0.0.1", port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
