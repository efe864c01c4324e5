package io.amdc.persist.rdb;

import io.amdc.core.keyspace.AccessClock;
import io.amdc.core.keyspace.Db;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.SlotTable;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.util.Log;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A point-in-time snapshot taken without fork and without copying the dataset: "serialize before
 * mutate". Installed as a {@link Keyspace.SlotGuard}, it serializes each hash slot exactly once,
 * the first time anyone takes that slot's lock after the snapshot began: the saving thread walking
 * the slots in order, or a command, expiry or eviction reaching it first. Every slot therefore
 * lands in the file as it was when the snapshot started. Each slot's chunk is a SELECTDB plus that
 * slot's keys per database; RDB allows SELECTDB to repeat, so chunks may come in any order.
 */
final class SlotSnapshot implements Keyspace.SlotGuard {
    private final Keyspace ks;
    private final boolean compress;
    private final int accessMode; // 0 none, 1 LRU idle, 2 LFU freq
    /** done[s] is read and written only under slot s's lock, which orders it between threads. */
    private final boolean[] done = new boolean[Slots.COUNT];
    private final ConcurrentLinkedQueue<byte[]> chunks = new ConcurrentLinkedQueue<>();
    final AtomicLong keys = new AtomicLong();
    final AtomicLong skippedKeys = new AtomicLong();

    SlotSnapshot(Keyspace ks, boolean compress, String maxmemoryPolicy) {
        this.ks = ks;
        this.compress = compress;
        this.accessMode = maxmemoryPolicy.contains("lfu") ? 2 : maxmemoryPolicy.contains("lru") ? 1 : 0;
    }

    /** Where serialized slots go straight away, instead of the chunk queue (see {@link #writeThrough}). */
    interface ChunkSink {
        void write(byte[] b, int off, int len) throws java.io.IOException;
    }

    private volatile ChunkSink sink;

    /**
     * Serialized slots are appended to {@code s} by whichever thread serialized them (under the
     * sink's monitor) rather than queued for the saver: under a write load, writers reach most
     * slots before the walker does, and queueing would hold the whole serialized dataset in memory.
     */
    void writeThrough(ChunkSink s) {
        this.sink = s;
    }

    /** The caller just took slot's lock (and may be about to change it). */
    @Override
    public void locked(int slot) {
        if (done[slot]) return;
        done[slot] = true;
        try {
            RdbOutput o = serializeInto(slot);
            if (o == null) return;
            ChunkSink s = sink;
            if (s == null) {
                chunks.add(o.toByteArray());
            } else {
                synchronized (s) {
                    s.write(o.array(), 0, o.size());
                }
            }
            if (o.array().length > (4 << 20)) buffers.remove(); // do not pin a buffer grown by one huge slot
        } catch (RuntimeException e) {
            // The save fails, not the command that happened to lock the slot (see failure()).
            failure.compareAndSet(null, e);
        } catch (java.io.IOException e) {
            failure.compareAndSet(null, new java.io.UncheckedIOException(e));
        }
    }

    private final java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();

    /** The first serialization error, or null. */
    RuntimeException failure() {
        return failure.get();
    }

    /** Saver side: makes sure the slot is serialized (by taking its lock, which runs the guard). */
    void visit(int slot) {
        ks.lock(slot);
        ks.unlock(slot);
    }

    /** Chunks serialized since the last call, by any thread. */
    byte[] pollChunk() {
        return chunks.poll();
    }

    private final ThreadLocal<RdbOutput> buffers = ThreadLocal.withInitial(() -> new RdbOutput(1 << 16));

    /** The slot's live keys in every database, or null when it has none. Caller holds the slot lock. */
    byte[] serialize(int slot) {
        RdbOutput o = serializeInto(slot);
        return o == null ? null : o.toByteArray();
    }

    /** Serializes into this thread's buffer; null when the slot has no live key. */
    private RdbOutput serializeInto(int slot) {
        RdbOutput o = buffers.get();
        o.reset();
        long now = System.currentTimeMillis();
        for (int d = 0; d < ks.databases(); d++) {
            Db db = ks.db(d);
            SlotTable t = db.table(slot);
            if (t == null || t.size() == 0) continue;
            o.u8(RdbConst.OP_SELECTDB);
            o.length(d);
            for (int i = 0, n = t.capacity(); i < n; i++) {
                byte[] k = t.keyAt(i);
                if (k == null) continue;
                long exp = t.expireAt(i);
                if (exp != 0 && exp <= now) continue;
                int mark = o.size();
                if (exp != 0) {
                    o.u8(RdbConst.OP_EXPIRETIME_MS);
                    o.le(exp, 8);
                }
                if (accessMode == 1) {
                    o.u8(RdbConst.OP_IDLE);
                    o.length(AccessClock.idleSeconds(t.accessAt(i)));
                } else if (accessMode == 2) {
                    o.u8(RdbConst.OP_FREQ);
                    o.u8(t.accessAt(i) & 0xff);
                }
                try {
                    writeKey(o, k, t.valueAt(i));
                    keys.incrementAndGet();
                } catch (ValueCodec.UnsupportedType e) {
                    o.truncate(mark);
                    if (skippedKeys.getAndIncrement() == 0) Log.warning("RDB save: skipping keys: " + e.getMessage());
                }
            }
        }
        return o.size() == 0 ? null : o;
    }

    private void writeKey(RdbOutput o, byte[] key, Object value) throws ValueCodec.UnsupportedType {
        // The value is written first into a side buffer only to learn its type byte, which precedes the key.
        RdbOutput v = valueBuf.get();
        v.reset();
        ValueCodec.write(v, value, compress);
        o.u8(v.array()[0] & 0xff);
        o.string(key, compress);
        o.write(v.array(), 1, v.size() - 1);
        if (v.array().length > (4 << 20)) valueBuf.remove();
    }

    private final ThreadLocal<RdbOutput> valueBuf = ThreadLocal.withInitial(() -> new RdbOutput(1 << 12));
}
