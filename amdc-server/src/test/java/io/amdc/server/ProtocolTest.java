package io.amdc.server;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Exchange;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The request protocol over real sockets: malformed input, framing, big values, deep pipelines. */
class ProtocolTest {
    private static AmdcServer amdc;

    @BeforeAll
    static void start() {
        amdc = AmdcServer.start("io-threads 2");
    }

    @AfterAll
    static void stop() {
        amdc.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    /** Each input on a fresh connection to both servers: same bytes back, and closed (or not) alike. */
    @Test
    void malformedAndOddRequestsAnswerExactlyAsRedis() throws Exception {
        assumeTrue(RedisServerProcess.available());
        List<String> cases = List.of(
                "*abc\r\n", "*3\r\n$x\r\n", "*1\r\nx\r\n", "*1\r\n$abc\r\n", "*1\r\n$-1\r\n", "*1\r\n$600000000\r\n",
                "*1048577\r\n", "*-5\r\nPING\r\n", "*0\r\nPING\r\n", "*-1\r\nPING\r\n", "\r\n\r\nPING\r\n",
                "SET \"a b\r\n", "SET 'a\r\n", "SET \"a\"b c\r\n", "*\r\n", "*-\r\n", "*+1\r\n", "*01\r\n$4\r\nPING\r\n",
                "*1\r\n$+4\r\nPING\r\n", "*1\r\n$04\r\nPING\r\n", "*1\r\n$4\r\nPINGxx", "*1\r\n$4\r\nPINGxxPING\r\n",
                "*1\r\n$\r\n", "*1\r\n$-0\r\n\r\n", "*-0\r\nPING\r\n", "*-2\r\nPING\r\n", "\nPING\n", "PING\r\rPING\r\n",
                "*1 \r\n$4\r\nPING\r\n", "*1\r\n$4 \r\nPING\r\n", "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nxyz",
                "*9223372036854775807\r\n", "*99999999999999999999\r\n", "*1\r\n$99999999999999999999\r\n",
                " \r\nPING\r\n", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", "*1\r\n*1\r\n", "*1\r\n$4\rPING\r\n", "*1\r\nx",
                "*1\r\nxyz\r", "*1\r\n\nxyz\r\n", "*1\r\n\u00ffxyz\r\n", "*1\r\n$3\r\nabc\r\n\r\n", "*1\r\n\r\n",
                "*2\r\n$4\r\nECHO\r\n$3\r\n\r\n\r\n\r\n", "PING\r\n*1\r\n$4\r\nPING\r\n*abc\r\nPING\r\n",
                "ECHO a\"b c\"\r\n", "ECHO \"\\x41\\n\\t\\\\\"\r\n", "ECHO \"\\x4g\"\r\n", "ECHO \"a\\\"\r\n",
                "ECHO '\\'x'\r\n", "ECHO ''\r\n", "ECHO \"\"\r\n", "  ECHO\t  x  \r\n",
                repeat('a', 65536), repeat('a', 65537) + "\r\n", "*" + repeat('1', 70000),
                "*1\r\n$" + repeat('1', 70000), "SET k " + repeat('v', 60000) + "\r\nGET k\r\n");
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            ExecutorService pool = Executors.newFixedThreadPool(24);
            try {
                List<CompletableFuture<String>> diffs = new ArrayList<>();
                for (String c : cases) {
                    diffs.add(CompletableFuture.supplyAsync(() -> {
                        Exchange a = Exchange.run(amdc.port(), b(c), 400);
                        Exchange r = Exchange.run(redis.port(), b(c), 400);
                        if (a.text().equals(r.text()) && a.closed() == r.closed()) return null;
                        String in = c.length() > 60 ? c.substring(0, 60) + "..." : c;
                        return in.replace("\r", "\\r").replace("\n", "\\n") + "\n   amdc:  " + a + "\n   redis: " + r;
                    }, pool));
                }
                List<String> mismatches = new ArrayList<>();
                for (CompletableFuture<String> f : diffs) if (f.get() != null) mismatches.add(f.get());
                assertThat(mismatches).as("protocol replies that differ from redis-server").isEmpty();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void protocolErrorClosesOnlyThatConnection() {
        try (RawClient bystander = amdc.client()) {
            assertThat(bystander.call("SET", "bystander", "1")).isEqualTo("OK");
            long errors = amdc.engine().stats().totalErrorReplies.sum();
            Exchange bad = Exchange.run(amdc.port(), b("PING\r\n*1\r\n$x\r\nPING\r\n"), 2000);
            assertThat(bad.text()).isEqualTo("+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
            assertThat(bad.closed()).isTrue();
            assertThat(amdc.engine().stats().totalErrorReplies.sum()).isGreaterThan(errors);
            assertThat(bystander.call("GET", "bystander")).isEqualTo("1");
            assertThat(bystander.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void commandSentOneByteAtATime() throws Exception {
        try (Socket s = new Socket("127.0.0.1", amdc.port())) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            byte[] req = b("*3\r\n$3\r\nSET\r\n$8\r\nbytewise\r\n$5\r\nhello\r\n*2\r\n$3\r\nGET\r\n$8\r\nbytewise\r\n"
                    + "MGET bytewise \"nope\"\r\n*1\r\n$4\r\nPING\r\n");
            for (byte x : req) {
                out.write(x);
                out.flush();
            }
            byte[] expected = b("+OK\r\n$5\r\nhello\r\n*2\r\n$5\r\nhello\r\n$-1\r\n+PONG\r\n");
            assertThat(new String(s.getInputStream().readNBytes(expected.length), StandardCharsets.ISO_8859_1))
                    .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void pipelineOfOneHundredThousandCommands() throws Exception {
        int n = 100_000;
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            req.writeBytes(i % 10 == 9 ? RawClient.encode("GET", "pipe") : RawClient.encode("INCR", "pipe"));
        }
        try (Socket s = new Socket("127.0.0.1", amdc.port())) {
            s.setSoTimeout(20_000);
            byte[] bytes = req.toByteArray();
            // Written from another thread: the server's replies must be read while we still send.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(bytes);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            long incr = 0;
            for (int i = 0; i < n; i++) {
                String line = readLine(in);
                if (i % 10 == 9) {
                    assertThat(line).startsWith("$");
                    assertThat(readLine(in)).isEqualTo(Long.toString(incr));
                } else {
                    incr++;
                    assertThat(line).isEqualTo(":" + incr);
                }
            }
            writer.get();
            assertThat(incr).isEqualTo(90_000);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) throw new IOException("closed");
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Test
    void hundredMegabyteValueRoundTrip() throws Exception {
        int len = 100 * 1024 * 1024;
        byte[] chunk = new byte[1 << 20];
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (Socket s = new Socket("127.0.0.1", amdc.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
            out.write(b("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + len + "\r\n"));
            for (int off = 0; off < len; off += chunk.length) {
                for (int i = 0; i < chunk.length; i += 97) chunk[i] = (byte) (off / chunk.length + i);
                out.write(chunk);
                sent.update(chunk);
            }
            out.write(b("\r\n*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n"));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            assertThat(readLine(in)).isEqualTo("+OK");
            assertThat(readLine(in)).isEqualTo("$" + len);
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int left = len;
            while (left > 0) {
                int n = in.read(buf, 0, Math.min(buf.length, left));
                assertThat(n).isPositive();
                got.update(buf, 0, n);
                left -= n;
            }
            assertThat(readLine(in)).isEmpty();
            assertThat(got.digest()).isEqualTo(sent.digest());
        }
        try (RawClient c = amdc.client()) {
            assertThat(c.call("SET", "big", "small")).isEqualTo("OK"); // frees the 100 MB
        }
    }
}
