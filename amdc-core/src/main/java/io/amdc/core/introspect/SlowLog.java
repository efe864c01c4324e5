package io.amdc.core.introspect;

import io.amdc.core.command.CommandSpec;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** SLOWLOG: the newest commands that ran longer than slowlog-log-slower-than, newest first. */
public final class SlowLog {
    /** Redis keeps at most this many arguments and this many bytes of each. */
    static final int MAX_ARGC = 32;
    static final int MAX_STRING = 128;

    public record Entry(long id, long timeSec, long durationUs, byte[][] args, String addr, String name) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    public void add(Client c, CommandSpec cmd, byte[][] argv, long durationUs, int maxLen) {
        byte[][] args = trim(Redaction.apply(cmd, argv));
        long now = System.currentTimeMillis() / 1000;
        synchronized (this) {
            entries.addFirst(new Entry(nextId++, now, durationUs, args, c.addr(), c.name()));
            while (entries.size() > maxLen) entries.removeLast();
        }
    }

    static byte[][] trim(byte[][] argv) {
        int n = Math.min(argv.length, MAX_ARGC);
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            if (i == n - 1 && n < argv.length) {
                out[i] = Bytes.bytes("... (" + (argv.length - n + 1) + " more arguments)");
            } else if (argv[i].length > MAX_STRING) {
                byte[] tail = Bytes.bytes("... (" + (argv[i].length - MAX_STRING) + " more bytes)");
                byte[] t = new byte[MAX_STRING + tail.length];
                System.arraycopy(argv[i], 0, t, 0, MAX_STRING);
                System.arraycopy(tail, 0, t, MAX_STRING, tail.length);
                out[i] = t;
            } else {
                out[i] = argv[i];
            }
        }
        return out;
    }

    /** The newest {@code count} entries (all when negative). */
    public synchronized List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext() && (count < 0 || out.size() < count)) out.add(it.next());
        return out;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void reset() {
        entries.clear();
    }
}
