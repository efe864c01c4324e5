package io.amdc.server.scripting;

import io.amdc.server.testing.AmdcProcess;
import io.amdc.server.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SHUTDOWN NOSAVE stops a server whose I/O thread is stuck in a script that already wrote. */
class ShutdownDuringScriptTest {
    @TempDir
    Path tmp;

    @Test
    void shutdownNosaveEndsTheProcessDuringAnEndlessScript() throws Exception {
        try (AmdcProcess p = AmdcProcess.start(tmp.resolve("data"), "--busy-reply-threshold", "100", "--save", "")) {
            Thread script = new Thread(() -> {
                try (RawClient c = new RawClient("127.0.0.1", p.port())) {
                    c.call("EVAL", "redis.call('set','x','1') while true do end", "0");
                } catch (RuntimeException expected) {
                    // the connection dies with the server
                }
            });
            script.setDaemon(true);
            script.start();
            String reply = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // Connections land on either I/O thread; one on the free thread sees BUSY, then takes SHUTDOWN.
            while (!reply.startsWith("!BUSY") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                reply = askOnce(p.port(), "GET", "x");
            }
            assertThat(reply).startsWith("!BUSY Redis is busy running a script.");
            while (p.alive() && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(10)) {
                askOnce(p.port(), "SHUTDOWN", "NOSAVE");
                Thread.sleep(500);
            }
            assertThat(p.exitValue()).isZero();
        }
    }

    /** One command on a fresh connection, given up after a second (a connection on the busy thread waits). */
    private static String askOnce(int port, Object... cmd) {
        java.util.concurrent.CompletableFuture<String> f = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (RawClient c = new RawClient("127.0.0.1", port)) {
                return c.call(cmd);
            } catch (RuntimeException e) {
                return "closed";
            }
        });
        try {
            return f.get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "timeout";
        }
    }
}
