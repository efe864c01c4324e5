package io.amdc.core.tracking;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.Flag;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Client-side caching (CLIENT TRACKING). The tracking table maps a key name (any database, as in
 * Redis) to the ids of the clients that read it while tracking; a write to the key sends each of
 * them one invalidation and forgets the key. BCAST clients instead register prefixes and hear of
 * every written key under them. Messages are RESP3 pushes ({@code >2 invalidate [keys]}) or, to a
 * RESP2 redirect target, pub/sub messages on {@code __redis__:invalidate}.
 *
 * <p>Reads and writes are recorded by the dispatcher after the command body while the command's
 * slot locks are held, so a read's registration and a concurrent write's invalidation of the same
 * key cannot interleave. With no tracking client the dispatcher pays one volatile read.
 */
public final class Tracking {
    public static final String CHANNEL = "__redis__:invalidate";
    private static final byte[] INVALIDATE = Bytes.bytes("invalidate");

    private final Engine engine;
    private final Map<Key, Set<Long>> table = new ConcurrentHashMap<>();
    private final Map<Key, Set<Long>> prefixes = new ConcurrentHashMap<>();
    private final AtomicInteger trackingClients = new AtomicInteger();
    /**
     * Whether a RESP2 redirect target is in pub/sub context (subscribed to something), which Redis
     * requires before sending it invalidation messages. The pub/sub registry installs the real test;
     * until then every RESP2 redirect target is treated as subscribed.
     */
    private volatile Predicate<Client> subscribed = c -> true;

    public Tracking(Engine engine) {
        this.engine = engine;
    }

    public void subscribedTest(Predicate<Client> p) {
        this.subscribed = p;
    }

    record Key(byte[] b, int hash) {
        static Key of(byte[] b) {
            return new Key(b, Arrays.hashCode(b));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.b, b);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** True while at least one client tracks: the dispatcher's cheap gate. */
    public boolean active() {
        return trackingClients.get() > 0;
    }

    // ---- CLIENT TRACKING / CACHING ----

    /** CLIENT TRACKING ON with its options, checked as Redis does, in Redis's order. */
    public void enable(Client c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
                       List<byte[]> newPrefixes) {
        TrackingState cur = c.tracking();
        if (!bcast && !newPrefixes.isEmpty()) throw new CommandError("ERR PREFIX option requires BCAST mode to be enabled");
        if (cur != null && cur.bcast != bcast) {
            throw new CommandError("ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.");
        }
        if (optin && optout) throw new CommandError("ERR You can't specify both OPTIN mode and OPTOUT mode");
        if (cur != null && ((optin && cur.optout) || (optout && cur.optin))) {
            throw new CommandError("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.");
        }
        if ((optin || optout) && bcast) throw new CommandError("ERR OPTIN and OPTOUT are not compatible with BCAST");
        List<byte[]> existing = cur == null ? List.of() : cur.prefixes;
        List<byte[]> wanted = bcast && newPrefixes.isEmpty() && existing.isEmpty() ? List.of(new byte[0]) : newPrefixes;
        for (int i = 0; i < wanted.size(); i++) {
            byte[] p = wanted.get(i);
            for (byte[] e : existing) {
                if (overlap(p, e) && !Arrays.equals(p, e)) {
                    throw new CommandError("ERR Prefix '" + Bytes.str(p) + "' overlaps with an existing prefix '"
                            + Bytes.str(e) + "'. Prefixes for a single client must not overlap.");
                }
            }
            for (int j = 0; j < wanted.size(); j++) {
                if (j != i && overlap(p, wanted.get(j))) {
                    throw new CommandError("ERR Prefix '" + Bytes.str(p) + "' overlaps with another provided prefix '"
                            + Bytes.str(wanted.get(j)) + "'. Prefixes for a single client must not overlap.");
                }
            }
        }
        // Re-enabling keeps the mode flags already set (Redis only adds flags) and adds prefixes.
        TrackingState s = new TrackingState(bcast, optin || (cur != null && cur.optin),
                optout || (cur != null && cur.optout), noloop || (cur != null && cur.noloop), redirect);
        if (cur != null) s.prefixes.addAll(cur.prefixes);
        for (byte[] p : wanted) {
            if (s.prefixes.stream().noneMatch(e -> Arrays.equals(e, p))) {
                s.prefixes.add(p);
                prefixes.computeIfAbsent(Key.of(p), k -> ConcurrentHashMap.newKeySet()).add(c.id);
            }
        }
        if (cur == null) trackingClients.incrementAndGet();
        c.tracking(s);
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    /** CLIENT TRACKING OFF, or the client went away. Its table entries are dropped lazily. */
    public void disable(Client c) {
        TrackingState s = c.tracking();
        if (s == null) return;
        for (byte[] p : s.prefixes) {
            Key k = Key.of(p);
            Set<Long> ids = prefixes.get(k);
            if (ids != null) {
                ids.remove(c.id);
                if (ids.isEmpty()) prefixes.remove(k, ids);
            }
        }
        c.tracking(null);
        trackingClients.decrementAndGet();
    }

    /** CLIENT CACHING YES|NO, valid only in the matching OPTIN/OPTOUT mode. */
    public void caching(Client c, boolean yes) {
        TrackingState s = c.tracking();
        if (s == null || !(s.optin || s.optout)) {
            throw new CommandError("ERR CLIENT CACHING can be called only when the client is in tracking mode with "
                    + "OPTIN or OPTOUT mode enabled");
        }
        if (yes && !s.optin) {
            throw new CommandError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
        }
        if (!yes && !s.optout) {
            throw new CommandError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
        }
        s.caching = yes ? 1 : -1;
    }

    /** A CLIENT CACHING setting lasts for one command; any CLIENT sub-command keeps it, as in Redis. */
    public static void commandDone(Client c, CommandSpec cmd) {
        TrackingState s = c.tracking();
        if (s != null && s.caching != 0 && (cmd.parent == null || !cmd.parent.name.equals("client"))) s.caching = 0;
    }

    // ---- the dispatcher's hooks ----

    /** After a command body, under its slot locks: remember read keys, invalidate written ones. */
    public void afterCommand(Client c, CommandSpec cmd, byte[][] argv) {
        if (cmd.has(Flag.READONLY)) {
            TrackingState s = c.tracking();
            if (s != null && !s.bcast && s.remembers()) remember(c, cmd, argv);
        } else if (cmd.has(Flag.WRITE)) {
            int[] pos = cmd.keyPositions(argv);
            if (pos.length == 0) return;
            List<byte[]> keys = new ArrayList<>(pos.length);
            for (int p : pos) keys.add(argv[p]);
            invalidate(c, keys);
        }
    }

    private void remember(Client c, CommandSpec cmd, byte[][] argv) {
        for (int p : cmd.keyPositions(argv)) {
            table.computeIfAbsent(Key.of(argv[p]), k -> ConcurrentHashMap.newKeySet()).add(c.id);
        }
        long max = engine.config().getLong("tracking-table-max-keys");
        if (max > 0 && table.size() > max) shrink(max);
    }

    /** tracking-table-max-keys: forget (and invalidate) keys until the table fits. */
    private void shrink(long max) {
        Iterator<Key> it = table.keySet().iterator();
        while (table.size() > max && it.hasNext()) invalidate(null, List.of(it.next().b));
    }

    /** A key changed outside any command (expiry, eviction): tell its trackers. */
    public void keyChanged(byte[] key) {
        if (active()) invalidate(null, List.of(key));
    }

    /**
     * Keys written by {@code by} (null: no client, e.g. expiry): every tracker of each key gets one
     * message per key; each BCAST client one message per matching prefix with the matching keys.
     */
    public void invalidate(Client by, List<byte[]> keys) {
        for (byte[] k : keys) {
            Set<Long> ids = table.remove(Key.of(k));
            if (ids == null) continue;
            List<byte[]> one = List.of(k);
            for (long id : ids) send(by, id, one, false);
        }
        if (prefixes.isEmpty()) return;
        for (Map.Entry<Key, Set<Long>> e : prefixes.entrySet()) {
            byte[] p = e.getKey().b;
            List<byte[]> matching = null;
            for (byte[] k : keys) {
                if (k.length >= p.length && Arrays.equals(k, 0, p.length, p, 0, p.length)) {
                    if (matching == null) matching = new ArrayList<>(keys.size());
                    matching.add(k);
                }
            }
            if (matching == null) continue;
            for (long id : e.getValue()) send(by, id, matching, false);
        }
    }

    /** FLUSHDB/FLUSHALL: every tracking client is told to drop everything (a null key list). */
    public void flushed(Client by) {
        table.clear();
        if (!active()) return;
        for (Client t : engine.clients().values()) {
            if (t.tracking() != null) send(by, t.id, null, true);
        }
    }

    private void send(Client by, long targetId, List<byte[]> keys, boolean flush) {
        Client t = engine.clients().get(targetId);
        if (t == null) return;
        TrackingState s = t.tracking();
        if (s == null) return;
        if (!flush && s.noloop && t == by) return;
        Client dest = t;
        boolean redirected = false;
        if (s.redirect != 0) {
            dest = engine.clients().get(s.redirect);
            if (dest == null) {
                if (!s.brokenRedirect) {
                    s.brokenRedirect = true;
                    if (t.protocol() >= 3) deliver(by, t, brokenRedirect(s.redirect));
                }
                return;
            }
            redirected = true;
        }
        byte[] msg;
        if (dest.protocol() >= 3) msg = encode(">2\r\n", INVALIDATE, keys);
        else if (redirected && subscribed.test(dest)) msg = encode("*3\r\n$7\r\nmessage\r\n", Bytes.bytes(CHANNEL), keys);
        else return; // a RESP2 connection cannot carry pushes
        deliver(by, dest, msg);
    }

    /**
     * The client running the command gets its message right after its own reply, in the same
     * buffer; anyone else on their own event loop.
     */
    private static void deliver(Client by, Client dest, byte[] msg) {
        if (dest == by && by.out().buffer() != null) by.out().buffer().writeBytes(msg);
        else dest.sendAsync(msg);
    }

    private static byte[] encode(String head, byte[] kind, List<byte[]> keys) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        b.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        bulk(b, kind);
        if (keys == null) {
            // RESP3 null for push targets, RESP2 null array for the pub/sub form.
            b.writeBytes((head.startsWith(">") ? "_\r\n" : "*-1\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            b.writeBytes(("*" + keys.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] k : keys) bulk(b, k);
        }
        return b.toByteArray();
    }

    private static byte[] brokenRedirect(long id) {
        return (">2\r\n$21\r\ntracking-redir-broken\r\n:" + id + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void bulk(ByteArrayOutputStream b, byte[] v) {
        b.writeBytes(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(v);
        b.write('\r');
        b.write('\n');
    }

    // ---- INFO ----

    public int clients() {
        return trackingClients.get();
    }

    public long totalKeys() {
        return table.size();
    }

    public long totalItems() {
        long n = 0;
        for (Set<Long> ids : table.values()) n += ids.size();
        return n;
    }

    public long totalPrefixes() {
        return prefixes.size();
    }
}
