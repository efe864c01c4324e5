package io.amdc.core.notify;

import io.amdc.core.pubsub.PubSub;
import io.amdc.core.session.Client;

import java.nio.charset.StandardCharsets;

/**
 * Keyspace and keyevent notifications ({@code notify-keyspace-events}). Families call
 * {@link #notify} after each change with Redis's event name; with notifications off (the default)
 * that costs one volatile read. Messages go through the ordinary pub/sub registry on
 * {@code __keyspace@<db>__:<key>} (message: event) and {@code __keyevent@<db>__:<event>} (message: key).
 */
public final class Notifications {
    public static final int KEYSPACE = 1;      // K
    public static final int KEYEVENT = 1 << 1; // E
    public static final int GENERIC = 1 << 2;  // g
    public static final int STRING = 1 << 3;   // $
    public static final int LIST = 1 << 4;     // l
    public static final int SET = 1 << 5;      // s
    public static final int HASH = 1 << 6;     // h
    public static final int ZSET = 1 << 7;     // z
    public static final int EXPIRED = 1 << 8;  // x
    public static final int EVICTED = 1 << 9;  // e
    public static final int STREAM = 1 << 10;  // t
    public static final int KEY_MISS = 1 << 11; // m
    public static final int MODULE = 1 << 12;  // d
    public static final int NEW = 1 << 13;     // n
    /** What 'A' stands for: every class but key-miss and new. */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    public static final String INVALID = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

    private static final byte[] KEYSPACE_PREFIX = "__keyspace@".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEYEVENT_PREFIX = "__keyevent@".getBytes(StandardCharsets.US_ASCII);

    private final PubSub pubsub;
    private volatile int flags;

    public Notifications(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    /** Applies a (validated) notify-keyspace-events value. */
    public void configure(String value) {
        flags = parse(value);
    }

    /** Whether events of {@code typeClass} would be published at all. */
    public boolean enabled(int typeClass) {
        int f = flags;
        return (f & typeClass) != 0 && (f & (KEYSPACE | KEYEVENT)) != 0;
    }

    /** Publishes {@code event} on {@code key} of the client's database, if that class is enabled. */
    public void notify(Client c, int typeClass, String event, byte[] key) {
        int f = flags;
        if ((f & typeClass) == 0) return;
        publish(c, c.db().index(), f, event, key);
    }

    /** The same for changes without a client (expiry, eviction, key creation). */
    public void notify(int db, int typeClass, String event, byte[] key) {
        int f = flags;
        if ((f & typeClass) == 0) return;
        publish(null, db, f, event, key);
    }

    private void publish(Client c, int db, int f, String event, byte[] key) {
        byte[] ev = event.getBytes(StandardCharsets.US_ASCII);
        byte[] dbPart = (db + "__:").getBytes(StandardCharsets.US_ASCII);
        if ((f & KEYSPACE) != 0) pubsub.publish(c, concat(KEYSPACE_PREFIX, dbPart, key), ev);
        if ((f & KEYEVENT) != 0) pubsub.publish(c, concat(KEYEVENT_PREFIX, dbPart, ev), key);
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] out = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }

    /** The class bits of a flag string, or -1 when it holds a character Redis rejects. */
    public static int parse(String s) {
        int f = 0;
        for (int i = 0; i < s.length(); i++) {
            int bit = switch (s.charAt(i)) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 't' -> STREAM;
                case 'm' -> KEY_MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                default -> -1;
            };
            if (bit < 0) return -1;
            f |= bit;
        }
        return f;
    }

    /**
     * The canonical flag string CONFIG GET shows: "A" when every class of A is on (Redis then
     * omits 'n' even if set), otherwise the classes in Redis's order, then K, E and m.
     */
    public static String format(int f) {
        StringBuilder sb = new StringBuilder();
        if ((f & ALL) == ALL) {
            sb.append('A');
        } else {
            if ((f & GENERIC) != 0) sb.append('g');
            if ((f & STRING) != 0) sb.append('$');
            if ((f & LIST) != 0) sb.append('l');
            if ((f & SET) != 0) sb.append('s');
            if ((f & HASH) != 0) sb.append('h');
            if ((f & ZSET) != 0) sb.append('z');
            if ((f & EXPIRED) != 0) sb.append('x');
            if ((f & EVICTED) != 0) sb.append('e');
            if ((f & STREAM) != 0) sb.append('t');
            if ((f & MODULE) != 0) sb.append('d');
            if ((f & NEW) != 0) sb.append('n');
        }
        if ((f & KEYSPACE) != 0) sb.append('K');
        if ((f & KEYEVENT) != 0) sb.append('E');
        if ((f & KEY_MISS) != 0) sb.append('m');
        return sb.toString();
    }
}
