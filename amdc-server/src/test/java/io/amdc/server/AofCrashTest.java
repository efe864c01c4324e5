package io.amdc.server;

import io.amdc.server.testing.AmdcProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kill -9 at a random moment while a client writes, restart on the same directory, and check
 * that what was acknowledged survived, as the appendfsync policy promises.
 */
class AofCrashTest {
    @TempDir
    Path tmp;

    /** Writes k0, k1, ... (and one INCR per write) until the server dies; returns ack times by index. */
    private static List<Long> writeUntilKilled(AmdcProcess p, long killAfterMs) throws Exception {
        List<Long> acked = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(killAfterMs);
                p.kill9();
            } catch (InterruptedException ignored) {
                // test ends anyway
            }
            stop.set(true);
        });
        killer.start();
        try (Jedis j = new Jedis("127.0.0.1", p.port())) {
            for (int i = 0; !stop.get(); i++) {
                j.set("k" + i, Integer.toString(i));
                j.incr("counter");
                acked.add(System.currentTimeMillis());
            }
        } catch (Exception killed) {
            // the connection broke: the server is gone
        }
        killer.join();
        return acked;
    }

    @Test
    void appendfsyncAlwaysKeepsEveryAcknowledgedWrite() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        AmdcProcess p = AmdcProcess.start(dir, "--appendonly", "yes", "--appendfsync", "always");
        List<Long> acked = writeUntilKilled(p, 400 + ThreadLocalRandom.current().nextInt(600));
        assertThat(acked).isNotEmpty();
        try (AmdcProcess q = AmdcProcess.start(dir, "--appendonly", "yes", "--appendfsync", "always");
             Jedis j = new Jedis("127.0.0.1", q.port())) {
            for (int i = 0; i < acked.size(); i++) assertThat(j.get("k" + i)).as("k" + i).isEqualTo(Integer.toString(i));
            // The write in flight when killed may or may not have made it, never more.
            assertThat(Long.parseLong(j.get("counter"))).isBetween((long) acked.size(), acked.size() + 1L);
        }
    }

    @Test
    void everysecLosesAtMostAboutOneSecond() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        AmdcProcess p = AmdcProcess.start(dir, "--appendonly", "yes", "--appendfsync", "everysec");
        List<Long> acked = writeUntilKilled(p, 400 + ThreadLocalRandom.current().nextInt(600));
        long killedAt = System.currentTimeMillis();
        try (AmdcProcess q = AmdcProcess.start(dir, "--appendonly", "yes");
             Jedis j = new Jedis("127.0.0.1", q.port())) {
            for (int i = 0; i < acked.size(); i++) {
                if (j.get("k" + i) == null) assertThat(acked.get(i)).as("lost k" + i).isGreaterThan(killedAt - 1500);
            }
        }
    }

    @Test
    void truncatedLastCommandFollowsAofLoadTruncated() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        AmdcProcess p = AmdcProcess.start(dir, "--appendonly", "yes", "--appendfsync", "always");
        try (Jedis j = new Jedis("127.0.0.1", p.port())) {
            j.set("a", "1");
            j.rpush("l", "x", "y");
        }
        p.kill9();
        Path incr = dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
        long goodSize = Files.size(incr);
        Files.write(incr, "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);

        AmdcProcess refused = AmdcProcess.start(dir, "--appendonly", "yes", "--aof-load-truncated", "no");
        assertThat(refused.exitValue()).isNotZero();
        assertThat(refused.log()).contains("Unexpected end of file reading the append only file appendonly.aof.1.incr.aof");

        try (AmdcProcess q = AmdcProcess.start(dir, "--appendonly", "yes", "--aof-load-truncated", "yes");
             Jedis j = new Jedis("127.0.0.1", q.port())) {
            assertThat(j.get("a")).isEqualTo("1");
            assertThat(j.lrange("l", 0, -1)).containsExactly("x", "y");
            assertThat(j.exists("b")).isFalse();
            assertThat(q.log()).contains("loaded anyway because aof-load-truncated is enabled");
            // The file was cut back to its last whole command and appending continues from there.
            j.set("c", "3");
        }
        assertThat(Files.size(incr)).isGreaterThan(goodSize);
        try (AmdcProcess q = AmdcProcess.start(dir, "--appendonly", "yes", "--aof-load-truncated", "no");
             Jedis j = new Jedis("127.0.0.1", q.port())) {
            assertThat(j.get("c")).isEqualTo("3");
        }
    }
}
