package io.amdc.server.testing;

import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Producers push distinct members while consumers pop them with a blocking command, each on its
 * own connection; every member must be popped exactly once (none lost, none delivered twice).
 */
public final class PopRace {
    /** Pushes member {@code i} of producer {@code producer}. */
    @FunctionalInterface
    public interface Push {
        void push(Jedis j, int producer, int i, String member);
    }

    /** One blocking pop of consumer {@code consumer}: the members it got (none on timeout). */
    @FunctionalInterface
    public interface Pop {
        List<String> pop(Jedis j, int consumer);
    }

    private PopRace() {
    }

    public static void run(AmdcServer s, int producers, int perProducer, int consumers, Push push, Pop pop) throws Exception {
        int total = producers * perProducer;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger dups = new AtomicInteger();
        AtomicInteger consumed = new AtomicInteger();
        ExecutorService ex = Executors.newFixedThreadPool(producers + consumers);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                int id = c;
                fs.add(ex.submit(() -> {
                    try (Jedis j = new Jedis(s.host(), s.port(), 10_000)) {
                        while (consumed.get() < total) {
                            for (String m : pop.pop(j, id)) {
                                if (!seen.add(m)) dups.incrementAndGet();
                                consumed.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (int p = 0; p < producers; p++) {
                int id = p;
                fs.add(ex.submit(() -> {
                    try (Jedis j = new Jedis(s.host(), s.port())) {
                        for (int i = 0; i < perProducer; i++) push.push(j, id, i, id + ":" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
        } finally {
            ex.shutdownNow();
        }
        assertThat(dups.get()).as("members popped twice").isZero();
        assertThat(seen).hasSize(total);
    }
}
