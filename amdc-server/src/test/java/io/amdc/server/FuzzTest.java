package io.amdc.server;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws random bytes and mutated valid requests at the server over many connections; afterwards
 * it must still answer correctly, with no client left behind and no internal error raised.
 */
class FuzzTest {
    private static final String[][] COMMANDS = {
            {"PING"}, {"ECHO", "hello"}, {"SET", "k", "v"}, {"GET", "k"}, {"INCR", "n"}, {"MSET", "a", "1", "b", "2"},
            {"MGET", "a", "b", "c"}, {"SELECT", "1"}, {"SELECT", "0"}, {"HELLO", "3"}, {"HELLO", "2"}, {"SET", "k", "v", "EX", "100"},
            {"ECHO", "x".repeat(40_000)},
    };

    @Test
    void randomAndMutatedInputNeverHurtsTheServer() throws Exception {
        long seed = System.nanoTime();
        try (AmdcServer s = AmdcServer.start("io-threads 2", "client-query-buffer-limit 4mb")) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> runs = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 8000;
            for (int t = 0; t < 16; t++) {
                long threadSeed = seed + t;
                runs.add(pool.submit(() -> {
                    Random rnd = new Random(threadSeed);
                    int done = 0;
                    while (done < 250 && System.currentTimeMillis() < deadline) {
                        fuzzOneConnection(s.port(), rnd);
                        done++;
                    }
                    return done;
                }));
            }
            int total = 0;
            for (Future<?> f : runs) total += (Integer) f.get(60, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(total).as("connections fuzzed (seed %d)", seed).isGreaterThan(1000);

            try (RawClient c = s.client()) {
                assertThat(c.call("PING")).isEqualTo("PONG");
                assertThat(c.call("SET", "after-fuzz", "ok")).isEqualTo("OK");
                assertThat(c.call("GET", "after-fuzz")).isEqualTo("ok");
                long deadlineClients = System.currentTimeMillis() + 5000;
                while (s.engine().clients().size() > 1 && System.currentTimeMillis() < deadlineClients) Thread.sleep(20);
                assertThat(s.engine().clients()).as("no connection left behind").hasSize(1);
            }
            assertThat(s.engine().stats().unexpectedErrorReplies.sum()).as("internal errors (seed %d)", seed).isZero();
        }
    }

    private static void fuzzOneConnection(int port, Random rnd) {
        byte[] payload = switch (rnd.nextInt(4)) {
            case 0 -> randomBytes(rnd);
            case 1 -> randomProtocolish(rnd);
            default -> mutate(validPipeline(rnd), rnd);
        };
        try (Socket sock = new Socket("127.0.0.1", port)) {
            sock.setSoTimeout(2000);
            sock.setSoLinger(true, 0);
            int pos = 0;
            while (pos < payload.length) {
                int n = Math.min(payload.length - pos, 1 + rnd.nextInt(payload.length));
                sock.getOutputStream().write(payload, pos, n);
                pos += n;
            }
            if (rnd.nextBoolean()) {
                // Half-close and drain: the server finishes, replies, and closes its side.
                sock.shutdownOutput();
                InputStream in = sock.getInputStream();
                byte[] buf = new byte[8192];
                while (in.read(buf) >= 0) {
                    // discard
                }
            }
        } catch (IOException expected) {
            // Resets and timeouts are fine: the server may drop a garbage-speaking client.
        }
    }

    private static byte[] randomBytes(Random rnd) {
        byte[] b = new byte[1 + rnd.nextInt(2000)];
        rnd.nextBytes(b);
        return b;
    }

    private static final String[] TOKENS = {"*", "$", "\r\n", "\r", "\n", "-1", "0", "1", "3", "10", "65536",
            "2147483648", "99999999999", "\"", "'", " ", "\\x", "PING", "SET", "GET", "INCR", "k", "\t"};

    private static byte[] randomProtocolish(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + rnd.nextInt(200);
        for (int i = 0; i < n; i++) sb.append(TOKENS[rnd.nextInt(TOKENS.length)]);
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] validPipeline(Random rnd) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int n = 1 + rnd.nextInt(20);
        for (int i = 0; i < n; i++) {
            String[] cmd = COMMANDS[rnd.nextInt(COMMANDS.length)];
            if (rnd.nextInt(4) == 0) {
                b.writeBytes((String.join(" ", cmd) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            } else {
                b.writeBytes(RawClient.encode((Object[]) cmd));
            }
        }
        return b.toByteArray();
    }

    private static byte[] mutate(byte[] b, Random rnd) {
        int mutations = 1 + rnd.nextInt(5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] cur = b;
        for (int m = 0; m < mutations && cur.length > 0; m++) {
            int at = rnd.nextInt(cur.length);
            out.reset();
            switch (rnd.nextInt(5)) {
                case 0 -> { // flip a byte
                    cur[at] = (byte) rnd.nextInt(256);
                    continue;
                }
                case 1 -> { // truncate
                    out.write(cur, 0, at);
                }
                case 2 -> { // delete a span
                    int len = Math.min(cur.length - at, 1 + rnd.nextInt(8));
                    out.write(cur, 0, at);
                    out.write(cur, at + len, cur.length - at - len);
                }
                case 3 -> { // insert a protocol token
                    out.write(cur, 0, at);
                    out.writeBytes(TOKENS[rnd.nextInt(TOKENS.length)].getBytes(StandardCharsets.ISO_8859_1));
                    out.write(cur, at, cur.length - at);
                }
                default -> { // duplicate a span
                    int len = Math.min(cur.length - at, 1 + rnd.nextInt(30));
                    out.write(cur, 0, at + len);
                    out.write(cur, at, cur.length - at);
                }
            }
            cur = out.toByteArray();
        }
        return cur;
    }
}
