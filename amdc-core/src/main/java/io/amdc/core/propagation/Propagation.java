package io.amdc.core.propagation;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one ordered stream of write effects (design brief §5) that the AOF and replication consume.
 *
 * <p>Each record is a command in deterministic form, RESP-encoded, preceded by a SELECT when the
 * database differs from the previous record's. Records are appended while the writing command
 * still holds its slot locks, so the order of records touching one key is the order of the
 * changes; records of different slots may interleave in any order that is a valid serial order.
 *
 * <p>Nothing is encoded while no consumer is attached: {@link #active()} is one volatile read.
 */
public final class Propagation {
    /** A consumer of the encoded stream. Called with the stream lock held: keep it to a copy. */
    public interface Sink {
        /** {@code endOffset} is the stream offset after these bytes (see {@link #offset()}). */
        void append(byte[] buf, int off, int len, long endOffset);
    }

    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);

    private final CopyOnWriteArrayList<Sink> sinks = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean active;
    private int lastDb = -1;
    private byte[] buf = new byte[256];
    private int len;
    private long offset;
    /** Inside {@link #beginAtomic}: MULTI is written before the first record, EXEC at the end. */
    private boolean atomic;
    private boolean multiWritten;
    private static final byte[][] MULTI = {"MULTI".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[][] EXEC = {"EXEC".getBytes(StandardCharsets.US_ASCII)};

    public boolean active() {
        return active;
    }

    public void addSink(Sink s) {
        lock.lock();
        try {
            sinks.add(s);
            active = true;
            lastDb = -1; // a new consumer must see a SELECT before its first record
        } finally {
            lock.unlock();
        }
    }

    public void removeSink(Sink s) {
        lock.lock();
        try {
            sinks.remove(s);
            active = !sinks.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} with the stream lock held, so no record is appended meanwhile (a
     * consumer switching files uses this to cut the stream at an exact point).
     */
    public void exclusive(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a unit whose records must replay together (EXEC, a script): the stream lock is held
     * until {@link #endAtomic}, so no other record lands inside it, and its records are wrapped in
     * MULTI/EXEC when there are any. The caller already holds every slot lock the unit needs, so
     * holding the stream lock meanwhile cannot deadlock. No-op when nothing consumes the stream.
     */
    public boolean beginAtomic() {
        if (!active) return false;
        lock.lock();
        atomic = true;
        multiWritten = false;
        return true;
    }

    public void endAtomic() {
        try {
            atomic = false;
            if (multiWritten) write(lastDb, EXEC);
        } finally {
            multiWritten = false;
            lock.unlock();
        }
    }

    /**
     * Appends a unit's records together (a script's writes): wrapped in MULTI/EXEC when there is
     * more than one, so a replay applies them together. Returns the offset after them, 0 when
     * nothing consumes the stream. The caller still holds the unit's slot locks.
     */
    public long emitUnit(java.util.List<Integer> dbs, java.util.List<byte[][]> records) {
        if (!active || records.isEmpty()) return 0;
        lock.lock();
        try {
            boolean wrap = records.size() > 1;
            if (wrap) write(dbs.get(0), MULTI);
            long off = 0;
            for (int i = 0; i < records.size(); i++) off = write(dbs.get(i), records.get(i));
            if (wrap) off = write(lastDb, EXEC);
            return off;
        } finally {
            lock.unlock();
        }
    }

    /** The next record is preceded by a SELECT whatever the previous database was. Stream lock held. */
    public void forceSelect() {
        lastDb = -1;
    }

    /** Bytes appended so far; a position in the stream. */
    public long offset() {
        return offset;
    }

    /**
     * Appends one record for database {@code db}; returns the stream offset after it (0 when no
     * consumer is attached). The caller holds the locks of the slots the record touches.
     */
    public long emit(int db, byte[][] argv) {
        if (!active) return 0;
        lock.lock();
        try {
            if (atomic && !multiWritten) {
                multiWritten = true;
                write(db, MULTI);
            }
            return write(db, argv);
        } finally {
            lock.unlock();
        }
    }

    private long write(int db, byte[][] argv) {
        {
            len = 0;
            if (db != lastDb) {
                header(2);
                bulk(SELECT);
                bulk(Long.toString(db).getBytes(StandardCharsets.US_ASCII));
                lastDb = db;
            }
            header(argv.length);
            for (byte[] a : argv) bulk(a);
            for (Sink s : sinks) s.append(buf, 0, len, offset + len);
            offset += len;
            if (buf.length > 1 << 20) buf = new byte[256]; // do not pin one huge record's buffer
            return offset;
        }
    }

    private void header(int n) {
        ensure(16);
        buf[len++] = '*';
        number(n);
    }

    private void bulk(byte[] a) {
        ensure(a.length + 16);
        buf[len++] = '$';
        number(a.length);
        System.arraycopy(a, 0, buf, len, a.length);
        len += a.length;
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private void number(long n) {
        if (n < 10) {
            buf[len++] = (byte) ('0' + n);
        } else {
            byte[] d = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(d, 0, buf, len, d.length);
            len += d.length;
        }
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
