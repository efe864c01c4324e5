package io.amdc.server.clients;

import io.amdc.server.testing.AmdcServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.util.ArrayList;
import java.util.Arrays;
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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What PubSubTest's fan-out does not cover: one Jedis subscriber connection whose subscriptions
 * change while it listens (channels and patterns added and dropped from another thread, PING in
 * subscribed mode), a pipelined publish flood over overlapping patterns, and binary channels and
 * payloads with every byte value.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JedisPubSubTest {

    @Test
    void dynamicSubscriptionsOnOneConnectionUnderPipelinedFlood() throws Exception {
        try (AmdcServer s = AmdcServer.start("io-threads 2")) {
            Map<String, List<String>> got = new ConcurrentHashMap<>();
            AtomicInteger total = new AtomicInteger();
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            JedisPubSub h = new JedisPubSub() {
                @Override
                public void onMessage(String channel, String message) {
                    got.computeIfAbsent("=" + channel, k -> new ArrayList<>()).add(message);
                    total.incrementAndGet();
                }

                @Override
                public void onPMessage(String pattern, String channel, String message) {
                    got.computeIfAbsent(pattern + "=" + channel, k -> new ArrayList<>()).add(message);
                    total.incrementAndGet();
                }

                @Override
                public void onSubscribe(String channel, int n) {
                    events.add("subscribe " + channel + " " + n);
                }

                @Override
                public void onPSubscribe(String pattern, int n) {
                    events.add("psubscribe " + pattern + " " + n);
                }

                @Override
                public void onPUnsubscribe(String pattern, int n) {
                    events.add("punsubscribe " + pattern + " " + n);
                }

                @Override
                public void onUnsubscribe(String channel, int n) {
                    events.add("unsubscribe " + channel + " " + n);
                }

                @Override
                public void onPong(String message) {
                    events.add("pong " + message);
                }
            };
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (Jedis pub = new Jedis("127.0.0.1", s.port())) {
                Future<?> listening = pool.submit(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                        j.psubscribe(h, "sensor.*");
                    }
                    return null;
                });
                assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("psubscribe sensor.* 1");
                // Added while the connection is already listening; the count covers channels and patterns.
                h.subscribe("alerts");
                assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("subscribe alerts 2");
                h.psubscribe("log.??", "log.[ab]*");
                assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("psubscribe log.?? 3");
                assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("psubscribe log.[ab]* 4");
                h.ping("hello");
                assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("pong hello");

                String[] channels = {"sensor.1", "sensor.2", "alerts", "log.ab", "log.b1", "log.abc", "other"};
                long[] receiversPer = {1, 1, 1, 2, 2, 1, 0};
                int n = 4200;
                long expected = 0;
                Pipeline p = pub.pipelined();
                List<Response<Long>> rs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int c = i % channels.length;
                    rs.add(p.publish(channels[c], Integer.toString(i)));
                    expected += receiversPer[c];
                }
                p.sync();
                for (int i = 0; i < n; i++) {
                    assertThat(rs.get(i).get()).as("receivers of message %d", i).isEqualTo(receiversPer[i % channels.length]);
                }
                long deadline = System.currentTimeMillis() + 10_000;
                while (total.get() < expected && System.currentTimeMillis() < deadline) Thread.sleep(5);
                assertThat(total.get()).isEqualTo((int) expected);
                assertThat(got.keySet()).containsExactlyInAnyOrder("sensor.*=sensor.1", "sensor.*=sensor.2", "=alerts",
                        "log.??=log.ab", "log.[ab]*=log.ab", "log.??=log.b1", "log.[ab]*=log.b1", "log.[ab]*=log.abc");
                // Each subscription sees its channel's messages exactly once, in publish order.
                for (Map.Entry<String, List<String>> e : got.entrySet()) {
                    String channel = e.getKey().substring(e.getKey().indexOf('=') + 1);
                    int c = Arrays.asList(channels).indexOf(channel);
                    List<String> want = new ArrayList<>();
                    for (int i = c; i < n; i += channels.length) want.add(Integer.toString(i));
                    assertThat(e.getValue()).as(e.getKey()).isEqualTo(want);
                }

                // Dropping one of two overlapping patterns: the other still delivers.
                h.punsubscribe("log.??");
                assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("punsubscribe log.?? 3");
                assertThat(pub.publish("log.ab", "after")).isEqualTo(1);
                assertThat(pub.pubsubNumPat()).isEqualTo(2);
                assertThat(pub.pubsubNumSub("alerts")).containsEntry("alerts", 1L);
                h.unsubscribe();
                assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("unsubscribe alerts 2");
                h.punsubscribe();
                List<String> rest = new ArrayList<>();
                for (int i = 0; i < 2; i++) rest.add(events.poll(5, TimeUnit.SECONDS));
                // Which pattern goes first is the server's hash order; the counts step down to 0.
                assertThat(rest).allMatch(e -> e.startsWith("punsubscribe sensor.* ") || e.startsWith("punsubscribe log.[ab]* "));
                assertThat(rest.get(0)).endsWith(" 1");
                assertThat(rest.get(1)).endsWith(" 0");
                assertThat(rest.get(0).split(" ")[1]).isNotEqualTo(rest.get(1).split(" ")[1]);
                listening.get(5, TimeUnit.SECONDS);
                assertThat(got.get("log.[ab]*=log.ab")).endsWith("after");
                assertThat(pub.pubsubNumPat()).isZero();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void binaryChannelsAndPayloads() throws Exception {
        try (AmdcServer s = AmdcServer.start()) {
            byte[] channel = {'b', 0, (byte) 0xff, '\r', '\n', 'x'};
            byte[] pattern = {'b', '*', 'x'};
            BlockingQueue<byte[][]> got = new LinkedBlockingQueue<>();
            CountDownLatch subscribed = new CountDownLatch(2);
            BinaryJedisPubSub h = new BinaryJedisPubSub() {
                @Override
                public void onMessage(byte[] ch, byte[] message) {
                    got.add(new byte[][]{ch, message});
                }

                @Override
                public void onPMessage(byte[] pat, byte[] ch, byte[] message) {
                    got.add(new byte[][]{pat, ch, message});
                }

                @Override
                public void onSubscribe(byte[] ch, int n) {
                    subscribed.countDown();
                }

                @Override
                public void onPSubscribe(byte[] pat, int n) {
                    subscribed.countDown();
                }
            };
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (Jedis pub = new Jedis("127.0.0.1", s.port())) {
                Future<?> listening = pool.submit(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                        j.subscribe(h, channel);
                    }
                    return null;
                });
                long deadline = System.currentTimeMillis() + 5_000;
                while (!h.isSubscribed() && System.currentTimeMillis() < deadline) Thread.sleep(5);
                h.psubscribe(pattern);
                assertThat(subscribed.await(5, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < 300; i++) {
                    byte[] payload = new byte[256 + i];
                    for (int b = 0; b < payload.length; b++) payload[b] = (byte) (b + i);
                    assertThat(pub.publish(channel, payload)).isEqualTo(2);
                    byte[][] direct = got.poll(5, TimeUnit.SECONDS);
                    byte[][] viaPattern = got.poll(5, TimeUnit.SECONDS);
                    assertThat(direct).isNotNull();
                    assertThat(viaPattern).isNotNull();
                    // Redis delivers to channel subscribers before pattern subscribers.
                    assertThat(direct.length).isEqualTo(2);
                    assertThat(direct[0]).isEqualTo(channel);
                    assertThat(direct[1]).isEqualTo(payload);
                    assertThat(viaPattern[0]).isEqualTo(pattern);
                    assertThat(viaPattern[1]).isEqualTo(channel);
                    assertThat(viaPattern[2]).isEqualTo(payload);
                }
                h.unsubscribe();
                h.punsubscribe();
                listening.get(5, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
