package io.amdc.server.persist;

import io.amdc.core.config.Config;
import io.amdc.core.types.TypedValue;
import io.amdc.persist.rdb.RdbTypeExtension;
import io.amdc.persist.rdb.RdbValue;
import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RdbSaveTest {
    static Path dirOf(RawClient c) {
        return Path.of(c.call("CONFIG", "GET", "dir").replaceAll("^\\[dir, (.*)]$", "$1"));
    }

    static void awaitBgsave(RawClient c) throws InterruptedException {
        for (int i = 0; i < 2000 && c.call("INFO", "persistence").contains("rdb_bgsave_in_progress:1"); i++) Thread.sleep(5);
    }

    /**
     * Writers keep incrementing counters (each writer its own keys, in a known order) while
     * BGSAVE runs on io-threads 4. The saved file must be the state after some prefix of every
     * writer's sequence: a slot serialized late would show increments a slot serialized early misses.
     */
    @Test
    void bgsaveIsAPointInTimeSnapshot() throws Exception {
        int writers = 3;
        int n = 20000;
        Path loadDir = Files.createTempDirectory("bgsave-check");
        try (AmdcServer a = AmdcServer.start("io-threads 4", "save \"\""); RawClient c = a.client()) {
            for (int w = 0; w < writers; w++) {
                for (int base = 0; base < n; base += 1000) {
                    List<Object> mset = new ArrayList<>(List.of("MSET"));
                    for (int j = base; j < base + 1000; j++) {
                        mset.add("w" + w + ":k" + j);
                        mset.add("1000");
                    }
                    assertThat(c.call(mset.toArray())).isEqualTo("OK");
                }
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong ops = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int ww = w;
                Thread t = new Thread(() -> {
                    try (RawClient wc = a.client()) {
                        for (long s = 1; !stop.get(); s++) {
                            wc.call("INCR", "w" + ww + ":k" + ((s * 7919) % n));
                            ops.incrementAndGet();
                        }
                    }
                });
                t.start();
                threads.add(t);
            }
            while (ops.get() < 2000) Thread.sleep(1);
            assertThat(c.call("BGSAVE")).isEqualTo("Background saving started");
            awaitBgsave(c);
            long during = ops.get();
            stop.set(true);
            for (Thread t : threads) t.join();
            assertThat(c.call("INFO", "persistence")).contains("rdb_last_bgsave_status:ok");
            assertThat(during).isGreaterThan(2000);
            Files.copy(dirOf(c).resolve("dump.rdb"), loadDir.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        }
        try (AmdcServer b = AmdcServer.start("dir " + loadDir); RawClient c = b.client()) {
            for (int w = 0; w < writers; w++) {
                long[] got = new long[n];
                long p = 0;
                for (int base = 0; base < n; base += 1000) {
                    List<Object> mget = new ArrayList<>(List.of("MGET"));
                    for (int j = base; j < base + 1000; j++) mget.add("w" + w + ":k" + j);
                    String r = c.call(mget.toArray());
                    String[] vals = r.substring(1, r.length() - 1).split(", ");
                    for (int j = 0; j < 1000; j++) {
                        got[base + j] = Long.parseLong(vals[j]) - 1000;
                        p += got[base + j];
                    }
                }
                long[] want = new long[n];
                for (long s = 1; s <= p; s++) want[(int) ((s * 7919) % n)]++;
                assertThat(got).as("writer " + w + " after " + p + " increments").isEqualTo(want);
            }
        }
    }

    /** A value whose serialization fails, standing in for a disk error in the middle of a save. */
    static final class Exploding extends io.amdc.core.types.AccountedValue {
        public String typeName() {
            return "exploding";
        }

        public String encoding() {
            return "raw";
        }

        public long memoryUsage() {
            return 0;
        }

        public TypedValue copy() {
            return this;
        }
    }

    static {
        RdbTypeExtension.register(new RdbTypeExtension() {
            public Object materialize(RdbValue v, Config config) {
                return null;
            }

            public RdbValue describe(Object value) {
                if (value instanceof Exploding) throw new IllegalStateException("simulated write failure");
                return null;
            }
        });
    }

    @Test
    void failedSaveKeepsTheOldFileAndStopsWrites() throws Exception {
        try (AmdcServer a = AmdcServer.start("save \"3600 1\""); RawClient c = a.client()) {
            c.call("SET", "a", "1");
            assertThat(c.call("SAVE")).isEqualTo("OK");
            Path dir = dirOf(c);
            byte[] before = Files.readAllBytes(dir.resolve("dump.rdb"));
            byte[] key = "boom".getBytes(StandardCharsets.US_ASCII);
            int slot = io.amdc.core.keyspace.Slots.slot(key);
            a.engine().keyspace().lock(slot);
            try {
                a.engine().keyspace().db(0).set(key, new Exploding());
            } finally {
                a.engine().keyspace().unlock(slot);
            }
            c.call("SET", "a", "2");
            assertThat(c.call("BGSAVE")).isEqualTo("Background saving started");
            awaitBgsave(c);
            assertThat(c.call("INFO", "persistence")).contains("rdb_last_bgsave_status:err");
            assertThat(Files.readAllBytes(dir.resolve("dump.rdb"))).isEqualTo(before);
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("temp-"))).isEmpty();
            }
            assertThat(c.call("SET", "a", "3")).startsWith("!MISCONF Redis is configured to save RDB snapshots");
            assertThat(c.call("GET", "a")).isEqualTo("2");
            assertThat(c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no")).isEqualTo("OK");
            assertThat(c.call("DEL", "boom")).isEqualTo("(integer) 1");
            assertThat(c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes")).isEqualTo("OK");
            assertThat(c.call("BGSAVE")).isEqualTo("Background saving started");
            awaitBgsave(c);
            assertThat(c.call("SET", "a", "4")).isEqualTo("OK");
        }
    }

    @Test
    void commandsCountersAndRestart() throws Exception {
        Path dir = Files.createTempDirectory("rdb-restart");
        try (AmdcServer a = AmdcServer.start("dir " + dir, "save \"\"", "enable-debug-command yes"); RawClient c = a.client()) {
            assertThat(c.call("BGSAVE", "BOGUS")).isEqualTo("!ERR syntax error");
            c.call("SET", "x", "1");
            c.call("INCR", "x");
            c.call("GET", "x");
            c.call("INCR", "notanumber", "extra");
            assertThat(c.call("INFO", "persistence")).contains("rdb_changes_since_last_save:2");
            assertThat(c.call("SAVE")).isEqualTo("OK");
            String info = c.call("INFO", "persistence");
            assertThat(info).contains("rdb_changes_since_last_save:0").contains("rdb_saves:1");
            long last = Long.parseLong(c.call("LASTSAVE").replace("(integer) ", ""));
            assertThat(last).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
            c.call("RPUSH", "l", "a", "b");
            c.call("HSET", "h", "f", "v");
            c.call("SET", "t", "v", "EX", "1000");
            assertThat(c.call("BGSAVE", "SCHEDULE")).isEqualTo("Background saving started");
            awaitBgsave(c);
            c.call("SET", "after", "bgsave");
            assertThat(c.call("DEBUG", "RELOAD")).isEqualTo("OK");
            assertThat(c.call("GET", "after")).isEqualTo("bgsave");
            assertThat(c.call("LRANGE", "l", 0, -1)).isEqualTo("[a, b]");
            c.call("SET", "last", "write");
            // SHUTDOWN SAVE saves even without save points; the file is loaded at the next start.
            c.send(RawClient.encode("SHUTDOWN", "SAVE"));
            for (int i = 0; i < 200 && !c.isClosedByServer(); i++) Thread.sleep(10);
        }
        try (AmdcServer b = AmdcServer.start("dir " + dir); RawClient c = b.client()) {
            assertThat(c.call("GET", "x")).isEqualTo("2");
            assertThat(c.call("GET", "last")).isEqualTo("write");
            assertThat(c.call("HGET", "h", "f")).isEqualTo("v");
            long ttl = Long.parseLong(c.call("TTL", "t").replace("(integer) ", ""));
            assertThat(ttl).isBetween(990L, 1000L);
            assertThat(c.call("INFO", "persistence")).contains("rdb_last_load_keys_loaded:6").contains("loading:0");
        }
    }

    @Test
    void savePointsTriggerABackgroundSave() throws Exception {
        try (AmdcServer a = AmdcServer.start("save \"1 1\""); RawClient c = a.client()) {
            c.call("SET", "k", "v");
            for (int i = 0; i < 400 && !c.call("INFO", "persistence").contains("rdb_saves:1"); i++) Thread.sleep(10);
            assertThat(c.call("INFO", "persistence")).contains("rdb_saves:1").contains("rdb_changes_since_last_save:0");
            assertThat(dirOf(c).resolve("dump.rdb")).exists();
        }
    }

    @Test
    void damagedFileStopsTheStart() throws Exception {
        Path dir = Files.createTempDirectory("rdb-bad");
        Files.write(dir.resolve("dump.rdb"), "REDIS0010\u00fe\u0000\u0000\u0003key".getBytes(StandardCharsets.ISO_8859_1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AmdcServer.start("dir " + dir))
                .hasMessageContaining("offset");
    }
}
