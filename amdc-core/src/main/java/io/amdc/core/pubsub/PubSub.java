package io.amdc.core.pubsub;

import io.amdc.core.Engine;
import io.amdc.core.session.Client;
import io.amdc.core.util.ByteKey;
import io.amdc.core.util.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's pub/sub registry: channel → subscribers, pattern → subscribers, shard channel →
 * subscribers. Subscriber lists are copy-on-write arrays so PUBLISH walks them without locks;
 * (un)subscribing, which is rare next to publishing, pays the copy. A message is encoded once per
 * PUBLISH and handed to each {@link Subscriber}, which batches it for its connection.
 */
public final class PubSub {
    /** One channel, pattern or shard channel with its subscribers. */
    static final class Topic {
        final ByteKey key;
        volatile Subscriber[] subs = NO_SUBS;
        /** Set once removed from its map; a subscriber racing with the removal retries. */
        boolean dead;

        Topic(ByteKey key) {
            this.key = key;
        }
    }

    static final Subscriber[] NO_SUBS = new Subscriber[0];
    private static final Topic[] NO_TOPICS = new Topic[0];

    static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PMESSAGE = "pmessage".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SMESSAGE = "smessage".getBytes(StandardCharsets.US_ASCII);

    public enum Kind { CHANNEL, PATTERN, SHARD }

    private final Engine engine;
    private final ConcurrentHashMap<ByteKey, Topic> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ByteKey, Topic> patterns = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ByteKey, Topic> shards = new ConcurrentHashMap<>();
    /** Snapshot of {@link #patterns} for PUBLISH; rebuilt under the patterns' lock. */
    private volatile Topic[] patternList = NO_TOPICS;

    public PubSub(Engine engine) {
        this.engine = engine;
    }

    Engine engine() {
        return engine;
    }

    private ConcurrentHashMap<ByteKey, Topic> map(Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shards;
        };
    }

    /** Adds {@code s} to a topic; called by the subscriber's own thread under its lock. */
    void add(Kind kind, ByteKey key, Subscriber s) {
        ConcurrentHashMap<ByteKey, Topic> map = map(kind);
        while (true) {
            Topic t = map.computeIfAbsent(key, Topic::new);
            boolean created;
            synchronized (t) {
                if (t.dead) continue;
                created = t.subs.length == 0;
                Subscriber[] n = Arrays.copyOf(t.subs, t.subs.length + 1);
                n[n.length - 1] = s;
                t.subs = n;
            }
            if (created && kind == Kind.PATTERN) rebuildPatterns();
            return;
        }
    }

    void remove(Kind kind, ByteKey key, Subscriber s) {
        ConcurrentHashMap<ByteKey, Topic> map = map(kind);
        Topic t = map.get(key);
        if (t == null) return;
        boolean gone = false;
        synchronized (t) {
            Subscriber[] cur = t.subs;
            int i = 0;
            while (i < cur.length && cur[i] != s) i++;
            if (i == cur.length) return;
            Subscriber[] n = new Subscriber[cur.length - 1];
            System.arraycopy(cur, 0, n, 0, i);
            System.arraycopy(cur, i + 1, n, i, n.length - i);
            t.subs = n;
            if (n.length == 0) {
                t.dead = true;
                map.remove(key, t);
                gone = true;
            }
        }
        if (gone && kind == Kind.PATTERN) rebuildPatterns();
    }

    private void rebuildPatterns() {
        synchronized (patterns) {
            patternList = patterns.values().toArray(NO_TOPICS);
        }
    }

    /** Subscribers this thread queued messages for, woken once its batch of commands ends. */
    private static final io.netty.util.concurrent.FastThreadLocal<ArrayList<Subscriber>> TO_WAKE =
            new io.netty.util.concurrent.FastThreadLocal<>() {
                @Override
                protected ArrayList<Subscriber> initialValue() {
                    return new ArrayList<>();
                }
            };

    void wakeLater(Subscriber s) {
        TO_WAKE.get().add(s);
    }

    /**
     * Called by the network layer when it finished a batch of commands (before flushing their
     * replies): hands the messages published meanwhile to their subscribers' loops, one task per
     * subscriber however many messages the batch published.
     */
    public static void wakeDeferred() {
        ArrayList<Subscriber> l = TO_WAKE.getIfExists();
        if (l == null || l.isEmpty()) return;
        for (int i = 0; i < l.size(); i++) l.get(i).wake();
        l.clear();
    }

    /** PUBLISH: delivers to channel and pattern subscribers; returns how many received it. */
    public int publish(Client publisher, byte[] channel, byte[] message) {
        int n = 0;
        ByteKey key = new ByteKey(channel);
        Topic t = channels.get(key);
        if (t != null) {
            Subscriber[] subs = t.subs;
            if (subs.length > 0) {
                byte[] frame = frame(MESSAGE, null, channel, message);
                for (Subscriber s : subs) {
                    if (s.offer(Kind.CHANNEL, key, frame, publisher)) n++;
                }
            }
        }
        for (Topic p : patternList) {
            if (!Glob.match(p.key.bytes, channel, false)) continue;
            Subscriber[] subs = p.subs;
            if (subs.length == 0) continue;
            byte[] frame = frame(PMESSAGE, p.key.bytes, channel, message);
            for (Subscriber s : subs) {
                if (s.offer(Kind.PATTERN, p.key, frame, publisher)) n++;
            }
        }
        return n;
    }

    /** SPUBLISH: delivers to the shard channel's subscribers only. */
    public int spublish(Client publisher, byte[] channel, byte[] message) {
        ByteKey key = new ByteKey(channel);
        Topic t = shards.get(key);
        if (t == null) return 0;
        Subscriber[] subs = t.subs;
        if (subs.length == 0) return 0;
        byte[] frame = frame(SMESSAGE, null, channel, message);
        int n = 0;
        for (Subscriber s : subs) {
            if (s.offer(Kind.SHARD, key, frame, publisher)) n++;
        }
        return n;
    }

    /**
     * The RESP2 encoding of a message (an array); RESP3 subscribers get the same bytes with the
     * first one turned into '>' (a push), so a message is encoded once for every subscriber.
     */
    static byte[] frame(byte[] kind, byte[] pattern, byte[] channel, byte[] message) {
        int parts = pattern == null ? 3 : 4;
        int size = 4 + bulkSize(kind) + bulkSize(channel) + bulkSize(message) + (pattern == null ? 0 : bulkSize(pattern));
        byte[] out = new byte[size];
        int at = 0;
        out[at++] = '*';
        out[at++] = (byte) ('0' + parts);
        out[at++] = '\r';
        out[at++] = '\n';
        at = bulk(out, at, kind);
        if (pattern != null) at = bulk(out, at, pattern);
        at = bulk(out, at, channel);
        bulk(out, at, message);
        return out;
    }

    private static int bulkSize(byte[] b) {
        return 1 + Integer.toString(b.length).length() + 2 + b.length + 2;
    }

    private static int bulk(byte[] out, int at, byte[] b) {
        out[at++] = '$';
        byte[] len = Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(len, 0, out, at, len.length);
        at += len.length;
        out[at++] = '\r';
        out[at++] = '\n';
        System.arraycopy(b, 0, out, at, b.length);
        at += b.length;
        out[at++] = '\r';
        out[at++] = '\n';
        return at;
    }

    // ---- PUBSUB introspection ----

    /** Active channels (with at least one subscriber) matching {@code pattern} (null = all). */
    public List<byte[]> channels(Kind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (Topic t : map(kind).values()) {
            if (t.subs.length == 0) continue;
            if (pattern == null || Glob.match(pattern, t.key.bytes, false)) out.add(t.key.bytes);
        }
        return out;
    }

    public int subscribers(Kind kind, byte[] channel) {
        Topic t = map(kind).get(new ByteKey(channel));
        return t == null ? 0 : t.subs.length;
    }

    private String limitSpec;
    private long[] limit = {0, 0, 0};

    /**
     * The pubsub class of client-output-buffer-limit as {hard, soft, soft seconds}, re-parsed only
     * when CONFIG SET changed the directive.
     */
    long[] outputLimit() {
        String spec = engine.config().get("client-output-buffer-limit");
        if (spec != limitSpec) {
            long[] l = {0, 0, 0};
            String[] parts = spec.trim().split("\\s+");
            for (int i = 0; i + 3 < parts.length; i += 4) {
                if (parts[i].equalsIgnoreCase("pubsub")) {
                    for (int j = 0; j < 3; j++) l[j] = memory(parts[i + 1 + j]);
                }
            }
            limit = l;
            limitSpec = spec;
        }
        return limit;
    }

    private static long memory(String v) {
        String s = v.toLowerCase(java.util.Locale.ROOT);
        long mul = 1;
        if (s.endsWith("gb")) mul = 1L << 30;
        else if (s.endsWith("mb")) mul = 1L << 20;
        else if (s.endsWith("kb")) mul = 1L << 10;
        else if (s.endsWith("g")) mul = 1_000_000_000L;
        else if (s.endsWith("m")) mul = 1_000_000L;
        else if (s.endsWith("k")) mul = 1_000L;
        String digits = s.replaceAll("[a-z]+$", "");
        try {
            return Long.parseLong(digits) * mul;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** PUBSUB NUMPAT: distinct patterns with subscribers. */
    public int patternCount() {
        return patterns.size();
    }

    /** INFO's pubsub_channels. */
    public int channelCount() {
        return channels.size();
    }

    public int shardChannelCount() {
        return shards.size();
    }

    /** The client disconnected or RESET: drop all its subscriptions. */
    public void forget(Client c) {
        Subscriber s = c.subscriber();
        if (s != null) s.unsubscribeAll(true);
    }
}
