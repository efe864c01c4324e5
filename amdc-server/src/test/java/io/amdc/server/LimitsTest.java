package io.amdc.server;

import io.amdc.core.Engine;
import io.amdc.core.config.Config;
import io.amdc.core.session.Client;
import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.Exchange;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Server limits: query buffer, back-pressure, maxclients, protected mode, requirepass, idle timeout. */
class LimitsTest {
    private static final String HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
            + "select the RESP protocol version at the same time";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void waitUntil(java.util.function.BooleanSupplier cond, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!cond.getAsBoolean() && System.currentTimeMillis() < deadline) Thread.sleep(20);
    }

    @Test
    void neverEndingBulkHitsTheQueryBufferLimit() throws Exception {
        try (AmdcServer s = AmdcServer.start("client-query-buffer-limit 1mb", "io-threads 2");
             RawClient bystander = s.client()) {
            assertThat(bystander.call("SET", "k", "v")).isEqualTo("OK");
            long sent = 0;
            try (Socket sock = new Socket("127.0.0.1", s.port())) {
                OutputStream out = sock.getOutputStream();
                out.write(b("*2\r\n$4\r\nECHO\r\n$100000000\r\n"));
                byte[] chunk = new byte[64 * 1024];
                try {
                    while (sent < 50_000_000) {
                        out.write(chunk);
                        sent += chunk.length;
                    }
                } catch (IOException closedByServer) {
                    // expected: the server dropped us
                }
                sock.setSoTimeout(5000);
                int r;
                try {
                    r = sock.getInputStream().read();
                } catch (IOException reset) {
                    r = -1;
                }
                assertThat(r).as("no reply, just a close").isEqualTo(-1);
            }
            assertThat(sent).isLessThan(50_000_000);
            assertThat(s.engine().stats().clientQueryBufferLimitDisconnections.sum()).isEqualTo(1);
            assertThat(bystander.call("GET", "k")).isEqualTo("v");
            waitUntil(() -> s.engine().clients().size() == 1, 3000);
            assertThat(s.engine().clients()).hasSize(1);
        }
    }

    @Test
    void manySmallArgsAlsoCountTowardsTheLimit() throws Exception {
        try (AmdcServer s = AmdcServer.start("client-query-buffer-limit 1mb")) {
            java.io.ByteArrayOutputStream req = new java.io.ByteArrayOutputStream();
            req.writeBytes(b("*1000000\r\n$3\r\nSET\r\n"));
            for (int i = 0; i < 300_000; i++) req.writeBytes(b("$0\r\n\r\n"));
            Exchange e = Exchange.run(s.port(), req.toByteArray(), 3000);
            assertThat(e.closed()).isTrue();
            assertThat(e.reply()).isEmpty();
            assertThat(s.engine().stats().clientQueryBufferLimitDisconnections.sum()).isEqualTo(1);
        }
    }

    /**
     * A client that sends requests but never reads replies must stall, not make the server buffer
     * its requests or replies without bound.
     */
    @Test
    void clientThatDoesNotReadIsThrottled() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 1"); RawClient setup = s.client()) {
            setup.send(RawClient.encode("SET", "big", "x".repeat(256 * 1024)));
            assertThat(RawClient.render(setup.readRaw())).isEqualTo("OK");
            AtomicLong sent = new AtomicLong();
            try (Socket sock = new Socket("127.0.0.1", s.port())) {
                sock.setReceiveBufferSize(64 * 1024);
                byte[] get = RawClient.encode("GET", "big");
                byte[] batch = new byte[get.length * 1000];
                for (int i = 0; i < 1000; i++) System.arraycopy(get, 0, batch, i * get.length, get.length);
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        OutputStream out = sock.getOutputStream();
                        for (int i = 0; i < 5000; i++) { // up to 5M GETs: 1.3 TB of replies
                            out.write(batch);
                            sent.addAndGet(batch.length);
                        }
                    } catch (IOException closed) {
                        // socket closed at the end of the test
                    }
                });
                Thread.sleep(1000);
                long before = sent.get();
                Thread.sleep(500);
                assertThat(sent.get()).as("writer is blocked by back-pressure").isEqualTo(before);
                assertThat(writer).isNotDone();
                Client c = s.engine().clients().values().stream().filter(x -> x.queryBufferBytes() > 0
                        || x.outputBufferBytes() > 0).findFirst().orElseThrow();
                assertThat(c.queryBufferBytes()).as("pending requests held").isLessThan(8L << 20);
                assertThat(c.outputBufferBytes()).as("pending replies held").isLessThan(16L << 20);
                assertThat(setup.call("PING")).isEqualTo("PONG");
            }
        }
    }

    @Test
    void maxClientsRefusesWithRedisText() throws Exception {
        try (AmdcServer s = AmdcServer.start("maxclients 2"); RawClient a = s.client(); RawClient b = s.client()) {
            assertThat(a.call("PING")).isEqualTo("PONG");
            assertThat(b.call("PING")).isEqualTo("PONG");
            // The refusal is written on accept, before the client says anything.
            Exchange third = Exchange.run(s.port(), new byte[0], 3000);
            assertThat(third.text()).isEqualTo("-ERR max number of clients reached\r\n");
            assertThat(third.closed()).isTrue();
            assertThat(s.engine().stats().rejectedConnections.sum()).isEqualTo(1);
            b.close();
            waitUntil(() -> s.engine().clients().size() == 1, 3000);
            assertThat(Exchange.run(s.port(), b("PING\r\n"), 300).text()).isEqualTo("+PONG\r\n");
        }
        assumeTrue(RedisServerProcess.available());
        try (RedisServerProcess redis = RedisServerProcess.start("--maxclients", "2");
             RawClient a = redis.client(); RawClient b = redis.client()) {
            assertThat(a.call("PING")).isEqualTo("PONG");
            assertThat(b.call("PING")).isEqualTo("PONG");
            Exchange third = Exchange.run(redis.port(), new byte[0], 3000);
            assertThat(third.text()).isEqualTo("-ERR max number of clients reached\r\n");
            assertThat(third.closed()).isTrue();
        }
    }

    @Test
    void protectedModeAdmission() {
        InetSocketAddress remote = new InetSocketAddress("10.1.2.3", 40000);
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 40000);
        InetSocketAddress local6 = new InetSocketAddress("::1", 40000);
        NettyServer on = server();
        assertThat(on.admissionError(remote, 0)).isEqualTo(NettyServer.PROTECTED_DENIED);
        assertThat(on.admissionError(local, 0)).isNull();
        assertThat(on.admissionError(local6, 0)).isNull();
        assertThat(server("protected-mode no").admissionError(remote, 0)).isNull();
        assertThat(server("requirepass pw").admissionError(remote, 0)).isNull();
        assertThat(server("maxclients 3").admissionError(local, 3)).isEqualTo("ERR max number of clients reached");
        assertThat(NettyServer.PROTECTED_DENIED).startsWith("DENIED Redis is running in protected mode because "
                + "protected mode is enabled and no password is set for the default user.");
    }

    private static NettyServer server(String... lines) {
        Config config = new Config();
        config.loadLines(List.of(lines), "(test)");
        return new NettyServer(new Engine(config));
    }

    /** Same bytes from both servers for an authentication conversation on one connection. */
    @Test
    void requirepassConversationMatchesRedis() {
        assumeTrue(RedisServerProcess.available());
        List<List<String>> conversations = List.of(
                List.of("GET k", "PING", "SELECT 1", "ECHO x", "AUTH x", "AUTH a b", "AUTH a b c", "AUTH secret",
                        "SET k v", "GET k", "AUTH x", "GET k", "RESET", "GET k", "AUTH default secret", "GET k"),
                List.of("HELLO 3 AUTH default x", "HELLO 3 AUTH foo secret", "HELLO 3 AUTH default", "HELLO 4",
                        "HELLO x", "HELLO 2 SETNAME", "GET k", "QUIT"));
        try (AmdcServer amdc = AmdcServer.start("requirepass secret");
             RedisServerProcess redis = RedisServerProcess.start("--requirepass", "secret")) {
            List<String> mismatches = new ArrayList<>();
            for (List<String> conv : conversations) {
                try (RawClient a = amdc.client(); RawClient r = redis.client()) {
                    for (String cmd : conv) {
                        String ra = RawClient.render(a.callRaw((Object[]) cmd.split(" ")));
                        String rr = RawClient.render(r.callRaw((Object[]) cmd.split(" ")));
                        if (!ra.equals(rr)) mismatches.add(cmd + "\n   amdc:  " + ra + "\n   redis: " + rr);
                    }
                }
            }
            assertThat(mismatches).isEmpty();
            // Before AUTH, Redis caps request sizes; the connection is then closed.
            for (String raw : List.of("*11\r\n", "*10\r\n", "*1\r\n$16385\r\n", "*1\r\n$16384\r\n",
                    "*2\r\n$4\r\nAUTH\r\n$20000\r\n", "AUTH secret\r\n*11\r\n", "AUTH secret\r\n*1\r\n$20000\r\n")) {
                Exchange ea = Exchange.run(amdc.port(), b(raw), 200);
                Exchange er = Exchange.run(redis.port(), b(raw), 200);
                assertThat(ea.toString()).as(raw).isEqualTo(er.toString());
            }
        }
    }

    @Test
    void helloAuthenticatesAndNoauthTextsAreRedis72() {
        try (AmdcServer s = AmdcServer.start("requirepass secret"); RawClient c = s.client()) {
            assertThat(c.call("HELLO", "3")).isEqualTo("!" + HELLO_NOAUTH);
            assertThat(c.call("HELLO")).isEqualTo("!" + HELLO_NOAUTH);
            assertThat(c.call("GET", "k")).isEqualTo("!NOAUTH Authentication required.");
            String hello = c.call("HELLO", "3", "AUTH", "default", "secret", "SETNAME", "me");
            assertThat(hello).startsWith("{server, redis, version, 7.2.4, proto, (integer) 3, id, ");
            assertThat(c.call("GET", "k")).isEqualTo("(nil)");
            assertThat(new String(c.callRaw("GET", "k"), StandardCharsets.US_ASCII)).isEqualTo("_\r\n");
        }
        try (AmdcServer s = AmdcServer.start(); RawClient c = s.client()) {
            assertThat(c.call("AUTH", "x")).isEqualTo("!ERR AUTH <password> called without any password configured "
                    + "for the default user. Are you sure your configuration is correct?");
            assertThat(c.call("HELLO", "2", "AUTH", "default", "anything")).startsWith("[server, redis");
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws Exception {
        try (AmdcServer s = AmdcServer.start("timeout 1", "hz 50"); RawClient idle = s.client(); RawClient busy = s.client()) {
            assertThat(idle.call("PING")).isEqualTo("PONG");
            long start = System.currentTimeMillis();
            while (System.currentTimeMillis() - start < 2200) {
                assertThat(busy.call("PING")).isEqualTo("PONG");
                Thread.sleep(200);
            }
            assertThat(idle.isClosedByServer()).isTrue();
            assertThat(busy.call("PING")).isEqualTo("PONG");
        }
    }
}
