package io.amdc.core.tx;

import io.amdc.core.keyspace.Db;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.KeyspaceListener;
import io.amdc.core.session.Client;
import io.amdc.core.types.HashValue;
import io.amdc.core.types.ElementSource;
import io.amdc.core.types.ZSet;
import io.amdc.core.util.ByteKey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WATCHed keys of every client, and the detection of their modification (Redis's
 * signalModifiedKey points).
 *
 * <p>How a modification is detected: families mutate aggregates in place all over their code,
 * so instead of hooking every mutation site, the dispatcher asks {@link #before} for a
 * fingerprint of each watched key a write command declares (value identity, expiry, content
 * hash) while it holds the command's slot locks, and {@link #after} compares once the command
 * ran. A write that changed nothing (SET k v NX on an existing key, SADD of a present member,
 * ZADD with the same score) therefore does not touch the key, exactly as in Redis, and the cost
 * is paid only when a write hits a watched key: the no-watcher path is one volatile read. Keys
 * are matched in every database, so MOVE and COPY ... DB touch the destination's watchers.
 * Known divergence: re-setting an aggregate element to the value it already had (HSET f same)
 * is not seen as a modification, where Redis signals it. Expiry, FLUSHDB/FLUSHALL and SWAPDB
 * arrive through the {@link KeyspaceListener} hooks.
 */
public final class Watches implements KeyspaceListener {
    /** One WATCHed key of one client. */
    public static final class Watch {
        final Client client;
        final int db;
        final byte[] key;
        final ByteKey k;
        volatile boolean live = true;

        Watch(Client client, int db, byte[] key) {
            this.client = client;
            this.db = db;
            this.key = key;
            this.k = new ByteKey(key);
        }

        public int db() {
            return db;
        }

        public byte[] key() {
            return key;
        }
    }

    private static final Watch[] NONE = new Watch[0];

    private final Keyspace keyspace;
    /** Key name → its watchers in any database; arrays are replaced, never mutated. */
    private final ConcurrentHashMap<ByteKey, Watch[]> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    public Watches(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /** True when some client watches some key; the dispatcher's only check on the common path. */
    public boolean active() {
        return count.get() != 0;
    }

    /** INFO's watching_clients-like count of watched (client, key) pairs. */
    public int watchedKeys() {
        return count.get();
    }

    /** WATCH one key of {@code db}; the caller holds the key's slot lock. */
    public void watch(Client c, int db, byte[] key) {
        List<Watch> mine = c.watched();
        if (mine == null) {
            mine = new ArrayList<>(4);
            c.watched(mine);
        }
        for (Watch w : mine) {
            if (w.db == db && Arrays.equals(w.key, key)) return;
        }
        // Looking the key up expires it lazily now, so a later expiry deletion is a real change.
        keyspace.db(db).exists(key);
        Watch w = new Watch(c, db, key);
        mine.add(w);
        byKey.compute(w.k, (k, arr) -> {
            Watch[] n = arr == null ? new Watch[1] : Arrays.copyOf(arr, arr.length + 1);
            n[n.length - 1] = w;
            return n;
        });
        count.incrementAndGet();
    }

    /** UNWATCH, EXEC, DISCARD, RESET and disconnect: forgets every watched key of {@code c}. */
    public void unwatchAll(Client c) {
        List<Watch> mine = c.watched();
        if (mine != null) {
            c.watched(null);
            for (Watch w : mine) {
                w.live = false;
                byKey.computeIfPresent(w.k, (k, arr) -> {
                    Watch[] n = new Watch[arr.length];
                    int j = 0;
                    for (Watch x : arr) {
                        if (x != w) n[j++] = x;
                    }
                    return j == 0 ? null : Arrays.copyOf(n, j);
                });
                count.decrementAndGet();
            }
        }
        c.dirtyCas(false);
    }

    /** Marks the watchers of {@code key} in {@code db} dirty; caller holds the key's slot lock. */
    public void touched(int db, byte[] key) {
        Watch[] arr = byKey.getOrDefault(new ByteKey(key), NONE);
        for (Watch w : arr) {
            if (w.db == db && w.live) w.client.dirtyCas(true);
        }
    }

    /** A key's state as seen before a write command, to compare after it. */
    public static final class Print {
        final int db;
        final byte[] key;
        final Object value;
        final long expire;
        final long content;

        Print(int db, byte[] key, Object value, long expire, long content) {
            this.db = db;
            this.key = key;
            this.value = value;
            this.expire = expire;
            this.content = content;
        }
    }

    /**
     * Fingerprints the watched keys among {@code argv[pos[i]]}, in every database they are watched
     * in. Returns null when none is watched. The caller holds the keys' slot locks.
     */
    public List<Print> before(byte[][] argv, int[] pos) {
        List<Print> prints = null;
        for (int p : pos) {
            Watch[] arr = byKey.get(new ByteKey(argv[p]));
            if (arr == null) continue;
            for (Watch w : arr) {
                if (prints == null) prints = new ArrayList<>(2);
                else if (seen(prints, w.db, w.key)) continue;
                prints.add(print(w.db, w.key));
            }
        }
        return prints;
    }

    /** Touches every fingerprinted key whose state changed. */
    public void after(List<Print> prints) {
        for (Print p : prints) {
            Print now = print(p.db, p.key);
            if (!java.util.Objects.equals(now.value, p.value) || now.expire != p.expire || now.content != p.content
                    || p.content == UNKNOWN) {
                touched(p.db, p.key);
            }
        }
    }

    private static boolean seen(List<Print> prints, int db, byte[] key) {
        for (Print p : prints) {
            if (p.db == db && Arrays.equals(p.key, key)) return true;
        }
        return false;
    }

    private Print print(int dbIndex, byte[] key) {
        Db db = keyspace.db(dbIndex);
        Object v = db.peek(key);
        if (v == null) return new Print(dbIndex, key, null, -2, 0);
        return new Print(dbIndex, key, db.identity(key), db.expireTime(key), content(v));
    }

    /** Content hash of a type this class cannot walk: any write to it counts as a change. */
    private static final long UNKNOWN = 0x5bd1e9955bd1e995L;

    /** A 64-bit hash of a value's content; strings and aggregates are mutated in place at times. */
    static long content(Object v) {
        if (v instanceof byte[] b) return bytes(FNV, b, 0, b.length);
        // Lists, and sets once they land: an unchanged value iterates in the same order.
        if (v instanceof ElementSource l) {
            long[] h = {FNV};
            l.forEachElement(e -> h[0] = mix(bytes(h[0], e, 0, e.length)));
            return h[0];
        }
        if (v instanceof HashValue hv) {
            // Order-independent: a sum of per-entry hashes, each covering the field's TTL.
            long[] h = {hv.size()};
            hv.forEach((fb, fo, fl, vb, vo, vl) -> {
                long e = bytes(bytes(FNV, fb, fo, fl), vb, vo, vl);
                long ttl = hv.expireAt(Arrays.copyOfRange(fb, fo, fo + fl));
                h[0] += mix(e ^ ttl);
            });
            return h[0];
        }
        if (v instanceof ZSet z) {
            long[] h = {FNV};
            if (z.size() > 0) {
                z.forRange(0, z.size() - 1, false, (m, score) ->
                        h[0] = mix(bytes(h[0], m, 0, m.length) ^ Double.doubleToLongBits(score)));
            }
            return h[0];
        }
        return UNKNOWN;
    }

    private static final long FNV = 0xcbf29ce484222325L;

    private static long bytes(long h, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            h ^= b[i];
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    // ---- keyspace events that are not a command's declared keys ----

    @Override
    public void expired(int db, byte[] key) {
        if (active()) touched(db, key);
    }

    /** FLUSHDB/FLUSHALL (every lock held): touches watched keys that exist in {@code db}. */
    @Override
    public void flushing(int db) {
        if (!active()) return;
        Db d = keyspace.db(db);
        for (Watch[] arr : byKey.values()) {
            for (Watch w : arr) {
                if (w.db == db && w.live && d.exists(w.key)) w.client.dirtyCas(true);
            }
        }
    }

    /** SWAPDB (every lock held): a watched key of either db that exists in either changes. */
    @Override
    public void swapping(int a, int b) {
        if (!active()) return;
        Db da = keyspace.db(a);
        Db dbb = keyspace.db(b);
        for (Watch[] arr : byKey.values()) {
            for (Watch w : arr) {
                if ((w.db == a || w.db == b) && w.live && (da.exists(w.key) || dbb.exists(w.key))) {
                    w.client.dirtyCas(true);
                }
            }
        }
    }
}
