package io.amdc.server.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * AMDC as a separate JVM (io.amdc.server.Main on the test class path), for tests that kill the
 * server with SIGKILL and restart it on the same directory.
 */
public final class AmdcProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private AmdcProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts on a free port with {@code dir} as its working directory; waits until it answers PING. */
    public static AmdcProcess start(Path dir, String... args) {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = Files.createTempFile(dir.getParent(), "amdc", ".log");
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), "io.amdc.server.Main",
                    "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                    "--io-threads", "2"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            AmdcProcess a = new AmdcProcess(p, port, log);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) return a; // failed start: the caller inspects exitValue()/log()
                try (RawClient c = new RawClient("127.0.0.1", port)) {
                    if (c.call("PING").equals("PONG")) return a;
                } catch (Exception e) {
                    Thread.sleep(50);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("amdc did not start: " + Files.readString(log));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits for the process to end (a failed start) and returns its exit status. */
    public int exitValue() throws InterruptedException {
        process.waitFor(20, TimeUnit.SECONDS);
        return process.exitValue();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL: no shutdown hook, no flush. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill9();
    }
}
