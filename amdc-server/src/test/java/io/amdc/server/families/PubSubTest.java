package io.amdc.server.families;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import io.amdc.server.testing.RedisServerProcess;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PubSubTest {

    @Test
    void resp2SubscribeSequencesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (TwoServers t = new TwoServers(2)) {
            t.run("0 UNSUBSCRIBE", "0 PUNSUBSCRIBE", "0 SUNSUBSCRIBE",
                    "0 2|SUBSCRIBE a b", "0 SUBSCRIBE a", "0 2|PSUBSCRIBE n* h?llo",
                    // Subscribed RESP2 mode: only a few commands are allowed.
                    "0 GET k", "0 CLIENT LIST", "0 MULTI", "0 PING", "0 PING hi",
                    "1 PUBLISH a one", "0 -", "1 PUBLISH hello two", "0 -", "1 PUBLISH nx three", "0 -",
                    "1 PUBLISH zz nobody", "1 PUBLISH b bee", "0 -",
                    "1 PUBSUB NUMSUB a b c", "1 PUBSUB NUMPAT", "1 PUBSUB CHANNELS a", "1 PUBSUB CHANNELS z*",
                    "0 2|UNSUBSCRIBE a x", "0 2|PUNSUBSCRIBE n* h?llo", "0 PUNSUBSCRIBE",
                    "1 PUBSUB NUMSUB a b", "1 PUBSUB NUMPAT",
                    "0 SSUBSCRIBE s1", "0 SUBSCRIBE c", "0 2|SSUBSCRIBE s1 s2", "0 GET k",
                    "1 SPUBLISH s1 shard", "0 -", "1 PUBLISH s1 notshard", "1 SPUBLISH nobody x",
                    "1 PUBSUB SHARDNUMSUB s1 s2 s3", "1 PUBSUB SHARDCHANNELS s1", "1 PUBSUB SHARDCHANNELS zz",
                    "0 SUNSUBSCRIBE s1", "0 UNSUBSCRIBE b", "0 UNSUBSCRIBE c", "0 SUNSUBSCRIBE", "0 GET k",
                    // RESET leaves subscribed mode.
                    "0 SUBSCRIBE a", "0 RESET", "0 GET k", "1 PUBSUB NUMSUB a",
                    "1 PUBSUB", "1 PUBSUB NOPE", "1 PUBSUB HELP", "1 PUBSUB NUMPAT x", "1 PUBSUB CHANNELS a b",
                    "1 PUBLISH a", "1 SUBSCRIBE", "1 PSUBSCRIBE");
        }
    }

    @Test
    void resp3PushesMatchRedis() {
        assumeTrue(RedisServerProcess.available());
        try (TwoServers t = new TwoServers(2)) {
            t.run("! 0 HELLO 3", "0 2|SUBSCRIBE a b", "0 PSUBSCRIBE p*",
                    // RESP3: any command is allowed and messages are '>' pushes.
                    "0 SET k v", "0 GET k", "0 PING",
                    "1 PUBLISH a x", "0 -", "1 PUBLISH pa y", "0 -",
                    // Our own publish: the message comes before the PUBLISH reply.
                    "0 2|PUBLISH a self", "0 2|PUBLISH pb self2",
                    "0 UNSUBSCRIBE b", "0 UNSUBSCRIBE", "0 PUNSUBSCRIBE", "0 UNSUBSCRIBE", "1 PUBSUB NUMPAT");
        }
    }

    @Test
    void clientListShowsSubscriptions() {
        try (AmdcServer s = AmdcServer.start(); RawClient sub = s.client(); RawClient o = s.client()) {
            String id = sub.call("CLIENT", "ID").replace("(integer) ", "");
            sub.send(RawClient.encode("SUBSCRIBE", "a", "b"));
            sub.readRaw();
            sub.readRaw();
            sub.call("PSUBSCRIBE", "x*");
            sub.call("SSUBSCRIBE", "s");
            assertThat(o.call("CLIENT", "LIST", "ID", id)).contains("flags=P ").contains("sub=2 psub=1 ssub=1 multi=-1");
            assertThat(o.call("CLIENT", "LIST", "TYPE", "pubsub")).contains("id=" + id + " ");
            assertThat(o.call("CLIENT", "LIST", "TYPE", "normal")).doesNotContain("id=" + id + " ");
            sub.call("RESET");
            assertThat(o.call("CLIENT", "LIST", "ID", id)).contains("flags=N ").contains("sub=0 psub=0 ssub=0");
        }
    }

    /**
     * Jedis subscribers on channels and overlapping patterns, publishers on several threads: every
     * message arrives exactly once per matching subscription, in each publisher's order.
     */
    @Test
    void jedisFanOutDeliversEveryMessageOnceInOrder() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 4")) {
            int publishers = 4;
            int perPublisher = 2500;
            String[] channels = {"news.a", "news.b", "sport.a"};
            record Sub(String kind, String[] names) {
            }
            List<Sub> subs = List.of(new Sub("channel", new String[]{"news.a", "news.b", "sport.a"}),
                    new Sub("channel", new String[]{"sport.a"}),
                    new Sub("pattern", new String[]{"news.*"}),
                    new Sub("pattern", new String[]{"*.a", "sport.*"}));
            List<Map<String, List<String>>> received = new ArrayList<>();
            List<JedisPubSub> handlers = new ArrayList<>();
            CountDownLatch subscribed = new CountDownLatch(subs.size());
            ExecutorService pool = Executors.newCachedThreadPool();
            try {
                for (Sub sub : subs) {
                    Map<String, List<String>> got = new ConcurrentHashMap<>();
                    received.add(got);
                    JedisPubSub h = new JedisPubSub() {
                        @Override
                        public void onMessage(String channel, String message) {
                            got.computeIfAbsent("=" + channel, k -> new ArrayList<>()).add(message);
                        }

                        @Override
                        public void onPMessage(String pattern, String channel, String message) {
                            got.computeIfAbsent(pattern + "=" + channel, k -> new ArrayList<>()).add(message);
                        }

                        @Override
                        public void onSubscribe(String channel, int n) {
                            if (n == sub.names.length) subscribed.countDown();
                        }

                        @Override
                        public void onPSubscribe(String pattern, int n) {
                            if (n == sub.names.length) subscribed.countDown();
                        }
                    };
                    handlers.add(h);
                    pool.submit(() -> {
                        try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                            if (sub.kind.equals("channel")) j.subscribe(h, sub.names);
                            else j.psubscribe(h, sub.names);
                        }
                        return null;
                    });
                }
                assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
                List<Future<Long>> pubs = new ArrayList<>();
                for (int p = 0; p < publishers; p++) {
                    int id = p;
                    pubs.add(pool.submit(() -> {
                        long receivers = 0;
                        try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                            for (int i = 0; i < perPublisher; i++) {
                                receivers += j.publish(channels[i % channels.length], id + ":" + i);
                            }
                        }
                        return receivers;
                    }));
                }
                long receivers = 0;
                for (Future<Long> f : pubs) receivers += f.get(30, TimeUnit.SECONDS);
                // Per message: news.a → 1+1+2 (pattern sub 3 matches *.a only... see below)
                long expectedPerRound = 0;
                for (String ch : channels) {
                    for (Sub sub : subs) {
                        for (String n : sub.names) {
                            boolean match = sub.kind.equals("channel") ? n.equals(ch)
                                    : io.amdc.core.util.Glob.match(n, ch, false);
                            if (match) expectedPerRound++;
                        }
                    }
                }
                long total = expectedPerRound * (long) publishers * perPublisher / channels.length;
                assertThat(receivers).isEqualTo(total);
                long deadline = System.currentTimeMillis() + 15_000;
                while (count(received) < total && System.currentTimeMillis() < deadline) Thread.sleep(10);
                assertThat(count(received)).isEqualTo(total);
                for (Map<String, List<String>> got : received) {
                    for (List<String> msgs : got.values()) {
                        long[] last = new long[publishers];
                        java.util.Arrays.fill(last, -1);
                        for (String m : msgs) {
                            int colon = m.indexOf(':');
                            int p = Integer.parseInt(m.substring(0, colon));
                            long i = Long.parseLong(m.substring(colon + 1));
                            assertThat(i).as("publisher %d order", p).isGreaterThan(last[p]);
                            last[p] = i;
                        }
                    }
                }
                for (JedisPubSub h : handlers) {
                    if (h.isSubscribed()) {
                        try {
                            h.unsubscribe();
                        } catch (Exception ignored) {
                            // pattern handlers
                        }
                        try {
                            h.punsubscribe();
                        } catch (Exception ignored) {
                            // channel handlers
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static long count(List<Map<String, List<String>>> received) {
        long n = 0;
        for (Map<String, List<String>> m : received) {
            for (List<String> l : m.values()) n += l.size();
        }
        return n;
    }

    @Test
    void lettuceResp3PubSub() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 2")) {
            RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", s.port()));
            client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
            try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
                 StatefulRedisPubSubConnection<String, String> pub = client.connectPubSub()) {
                BlockingQueue<String> got = new LinkedBlockingQueue<>();
                sub.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        got.add(channel + "=" + message);
                    }

                    @Override
                    public void message(String pattern, String channel, String message) {
                        got.add(pattern + ":" + channel + "=" + message);
                    }
                });
                sub.sync().subscribe("ch");
                sub.sync().psubscribe("p.*");
                // RESP3: normal commands on the subscribed connection.
                sub.sync().set("k", "v");
                assertThat(sub.sync().get("k")).isEqualTo("v");
                assertThat(pub.sync().publish("ch", "1")).isEqualTo(1);
                assertThat(pub.sync().publish("p.x", "2")).isEqualTo(1);
                assertThat(pub.sync().pubsubNumsub("ch")).containsEntry("ch", 1L);
                assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("ch=1");
                assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("p.*:p.x=2");
                sub.sync().unsubscribe("ch");
                assertThat(pub.sync().publish("ch", "3")).isZero();
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    /**
     * Under a publish flood from another event loop, no message ever arrives after the UNSUBSCRIBE
     * confirmation: the next command's reply is its own (what RESP2 clients like Jedis rely on).
     */
    @Test
    void noMessageFollowsTheUnsubscribeConfirmation() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 4"); RawClient sub = s.client()) {
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread flood = Thread.ofPlatform().start(() -> {
                try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                    while (!stop.get()) {
                        redis.clients.jedis.Pipeline p = j.pipelined();
                        for (int i = 0; i < 50; i++) p.publish("c", "m");
                        p.sync();
                    }
                }
            });
            try {
                for (int round = 0; round < 300; round++) {
                    assertThat(sub.call("SUBSCRIBE", "c")).isEqualTo("[subscribe, c, (integer) 1]");
                    sub.send(RawClient.encode("UNSUBSCRIBE", "c"));
                    String r;
                    while ((r = RawClient.render(sub.readRaw())).startsWith("[message")) {
                        assertThat(r).isEqualTo("[message, c, m]");
                    }
                    assertThat(r).isEqualTo("[unsubscribe, c, (integer) 0]");
                    assertThat(sub.call("PING")).isEqualTo("PONG");
                }
            } finally {
                stop.set(true);
                flood.join();
            }
        }
    }

    /** A subscriber that never reads is disconnected at the hard limit instead of growing memory. */
    @Test
    void slowSubscriberIsDisconnectedAtHardLimit() throws Exception {
        try (AmdcServer s = AmdcServer.start("client-output-buffer-limit pubsub 1mb 0 0"); RawClient pub = s.client();
             Socket slow = new Socket("127.0.0.1", s.port())) {
            slow.setReceiveBufferSize(4096);
            slow.getOutputStream().write(RawClient.encode("SUBSCRIBE", "flood"));
            InputStream in = slow.getInputStream();
            in.read(new byte[64]); // the confirmation; then never read again
            awaitSubscribers(pub, "flood", 1);
            byte[] big = new byte[64 * 1024];
            for (int i = 0; i < 400 && s.engine().stats().clientOutputBufferLimitDisconnections.sum() == 0; i++) {
                pub.call("PUBLISH", "flood", big);
            }
            assertThat(s.engine().stats().clientOutputBufferLimitDisconnections.sum()).isEqualTo(1);
            awaitSubscribers(pub, "flood", 0);
            assertThat(pub.call("INFO", "stats")).contains("client_output_buffer_limit_disconnections:1");
        }
    }

    /** Above the soft limit for longer than its seconds: disconnected too. */
    @Test
    void slowSubscriberIsDisconnectedAfterSoftLimitPeriod() throws Exception {
        try (AmdcServer s = AmdcServer.start("client-output-buffer-limit pubsub 0 256kb 0"); RawClient pub = s.client();
             Socket slow = new Socket("127.0.0.1", s.port())) {
            slow.setReceiveBufferSize(4096);
            slow.getOutputStream().write(RawClient.encode("SUBSCRIBE", "flood"));
            slow.getInputStream().read(new byte[64]);
            awaitSubscribers(pub, "flood", 1);
            byte[] big = new byte[32 * 1024];
            long start = System.currentTimeMillis();
            while (s.engine().stats().clientOutputBufferLimitDisconnections.sum() == 0
                    && System.currentTimeMillis() - start < 10_000) {
                pub.call("PUBLISH", "flood", big);
                Thread.sleep(2);
            }
            long took = System.currentTimeMillis() - start;
            assertThat(s.engine().stats().clientOutputBufferLimitDisconnections.sum()).isEqualTo(1);
            assertThat(took).isGreaterThanOrEqualTo(1000);
            awaitSubscribers(pub, "flood", 0);
        }
    }

    private static void awaitSubscribers(RawClient c, String channel, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        String want = "[" + channel + ", (integer) " + n + "]";
        while (!c.call("PUBSUB", "NUMSUB", channel).equals(want)) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("NUMSUB never became " + n);
            Thread.sleep(5);
        }
    }
}
