package io.amdc.persist.aof;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandError;
import io.amdc.core.config.Config;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.propagation.AofControl;
import io.amdc.core.propagation.Propagation;
import io.amdc.core.util.Log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The append-only file in Redis 7's multi-part layout: appenddirname/ holds a manifest, one base
 * file and the incremental files written since the base.
 *
 * <p>Writes: records of the propagation stream are copied into {@link #pending} under the stream
 * lock. Before a client's replies leave, {@link #beforeReply} writes what is pending (and with
 * appendfsync always also fsyncs it): whichever thread gets {@link #ioLock} writes everyone's
 * records at once, so concurrent clients share one write and one fsync (group commit). A
 * background thread fsyncs once a second (everysec) and drives automatic rewrites.
 *
 * <p>Lock order: slot locks, then {@link #ioLock}, then the stream lock.
 *
 * <p>Rewrite (BGREWRITEAOF): with every slot lock held for an instant, a new incremental file is
 * opened and a slot guard installed; from then on every slot is serialized into the new base
 * before anyone can change it (by whoever locks it first: the walker or a writer), so the base is
 * the keyspace at that instant and the new incremental file holds exactly the writes after it.
 */
public final class Aof implements AofControl, Propagation.Sink {
    private final Engine engine;
    private final Config config;
    private final Propagation stream;
    private final Object ioLock = new Object();
    private final ScheduledExecutorService cron;

    // guarded by the stream lock
    private byte[] pending = new byte[1 << 16];
    private int pendingLen;
    private long pendingEnd;
    private long lastTimestamp;
    private boolean timestamps;

    // guarded by ioLock (read without it where volatile)
    private byte[] spare = new byte[1 << 16];
    private FileChannel incr;
    private AofManifest manifest;
    private volatile long written;
    private volatile long synced;
    private volatile long currentSize;
    private long baseSize;
    private long sizeAfterRewrite;
    private volatile String writeStatus = "ok";

    private volatile boolean on;
    private volatile boolean rewriting;
    private volatile boolean rewriteScheduled;
    private volatile long rewriteStartMs;
    private volatile long lastRewriteSec = -1;
    private volatile String lastRewriteStatus = "ok";
    private volatile long rewrites;
    private volatile long consecutiveFailures;
    private volatile int policy; // 0 always, 1 everysec, 2 no

    private Aof(Engine engine) {
        this.engine = engine;
        this.config = engine.config();
        this.stream = engine.propagation();
        this.cron = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "amdc-aof");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads the AOF when appendonly is yes (before the server accepts clients), then keeps it
     * appended; also answers BGREWRITEAOF and CONFIG SET appendonly for a server started without it.
     */
    public static Aof start(Engine engine) throws IOException {
        Aof a = new Aof(engine);
        a.readPolicy();
        a.config.param("appendfsync").onChange(p -> a.readPolicy());
        a.config.param("aof-timestamp-enabled").onChange(p -> a.readPolicy());
        a.config.param("appendonly").onChange(p -> {
            if (p.asBool()) a.turnOn();
            else a.turnOff();
        });
        if (a.config.getBool("appendonly")) a.openAtStartup();
        engine.aof(a);
        a.cron.scheduleAtFixedRate(a::tick, 1, 1, TimeUnit.SECONDS);
        return a;
    }

    private void readPolicy() {
        policy = switch (config.get("appendfsync")) {
            case "always" -> 0;
            case "no" -> 2;
            default -> 1;
        };
        boolean ts = config.getBool("aof-timestamp-enabled");
        stream.exclusive(() -> timestamps = ts);
    }

    Path dir() {
        return Path.of(config.get("dir")).resolve(config.get("appenddirname"));
    }

    private String fileName() {
        return config.get("appendfilename");
    }

    private Path manifestPath() {
        return dir().resolve(fileName() + ".manifest");
    }

    // ------------------------------------------------------------------ start-up

    private void openAtStartup() throws IOException {
        Path mp = manifestPath();
        if (!Files.exists(mp)) {
            // A fresh AOF: the base is the keyspace now (empty, or what an RDB load left), then an incr file.
            Files.createDirectories(dir());
            manifest = new AofManifest();
            runRewrite(true);
            return;
        }
        AofManifest m = AofManifest.parse(mp);
        AofLoader loader = new AofLoader(engine);
        loader.load(dir(), m);
        manifest = m;
        baseSize = m.base == null ? 0 : size(dir().resolve(m.base.name()));
        long total = baseSize;
        for (AofManifest.Entry e : m.incrs) total += size(dir().resolve(e.name()));
        synchronized (ioLock) {
            if (m.incrs.isEmpty()) {
                AofManifest.Entry e = new AofManifest.Entry(fileName() + "." + (m.lastIncrSeq() + 1) + ".incr.aof",
                        m.lastIncrSeq() + 1, 'i');
                m.incrs.add(e);
                m.write(mp);
            }
            incr = openIncr(m.incrs.get(m.incrs.size() - 1).name());
            currentSize = total;
            sizeAfterRewrite = total;
            attach();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private FileChannel openIncr(String name) throws IOException {
        FileChannel ch = FileChannel.open(dir().resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        AofManifest.syncDir(dir());
        return ch;
    }

    /** Starts consuming the stream; ioLock held. */
    private void attach() {
        stream.exclusive(() -> {
            stream.addSink(this);
            written = synced = pendingEnd = stream.offset();
            pendingLen = 0;
            lastTimestamp = 0;
        });
        on = true;
    }

    // ------------------------------------------------------------------ appending

    @Override
    public void append(byte[] buf, int off, int len, long endOffset) {
        if (timestamps) {
            long sec = System.currentTimeMillis() / 1000;
            if (sec != lastTimestamp) {
                lastTimestamp = sec;
                byte[] ts = ("#TS:" + sec + "\r\n").getBytes(StandardCharsets.US_ASCII);
                copy(ts, 0, ts.length);
            }
        }
        copy(buf, off, len);
        pendingEnd = endOffset;
    }

    private void copy(byte[] b, int off, int len) {
        if (pendingLen + len > pending.length) {
            pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLen + len));
        }
        System.arraycopy(b, off, pending, pendingLen, len);
        pendingLen += len;
    }

    @Override
    public void beforeReply(long offset) {
        if (!on) return;
        if (policy == 0 && !(rewriting && config.getBool("no-appendfsync-on-rewrite"))) {
            if (synced < offset) flush(offset, true);
        } else if (written < offset) {
            flush(offset, false);
        }
    }

    /** Writes everything pending; with {@code fsync}, also makes it durable. */
    private void flush(long target, boolean fsync) {
        synchronized (ioLock) {
            if (!on || (fsync ? synced >= target : written >= target)) return;
            try {
                writePending();
                if (fsync) {
                    incr.force(false);
                    synced = written;
                }
                writeStatus = "ok";
            } catch (IOException e) {
                if (writeStatus.equals("ok")) Log.warning("Error writing to the AOF file: " + e.getMessage());
                writeStatus = "err";
            }
        }
    }

    /** ioLock held: takes the pending bytes from under the stream lock and writes them to the incr file. */
    private void writePending() throws IOException {
        int[] n = new int[1];
        long[] end = new long[1];
        stream.exclusive(() -> {
            byte[] b = pending;
            pending = spare;
            spare = b;
            n[0] = pendingLen;
            end[0] = pendingEnd;
            pendingLen = 0;
        });
        ByteBuffer bb = ByteBuffer.wrap(spare, 0, n[0]);
        while (bb.hasRemaining()) incr.write(bb);
        currentSize += n[0];
        written = end[0];
        if (spare.length > 1 << 22) spare = new byte[1 << 16]; // do not keep a burst's buffer forever
    }

    /** Once a second: write and (everysec) fsync, and start a rewrite when the file has grown enough. */
    private void tick() {
        try {
            if (on) {
                boolean fsync = policy == 1 && !(rewriting && config.getBool("no-appendfsync-on-rewrite"));
                flush(Long.MAX_VALUE, false);
                if (fsync) {
                    synchronized (ioLock) {
                        if (on && synced < written) {
                            incr.force(false);
                            synced = written;
                        }
                    }
                }
            }
            if (rewriteScheduled && !rewriting) {
                rewriteScheduled = false;
                startRewrite();
            }
            long pct = config.getLong("auto-aof-rewrite-percentage");
            if (on && !rewriting && pct > 0) {
                long cur = currentSize;
                long base = Math.max(1, sizeAfterRewrite);
                if (cur >= config.getLong("auto-aof-rewrite-min-size") && (cur - base) * 100 / base >= pct) {
                    Log.notice("Starting automatic rewriting of AOF on " + (cur - base) * 100 / base + "% growth");
                    startRewrite();
                }
            }
        } catch (Exception e) {
            Log.warning("AOF background task: " + e);
        }
    }

    // ------------------------------------------------------------------ on / off

    private void turnOn() {
        if (on) return;
        try {
            Files.createDirectories(dir());
            if (manifest == null) {
                manifest = Files.exists(manifestPath()) ? AofManifest.parse(manifestPath()) : new AofManifest();
            }
        } catch (IOException e) {
            Log.warning("Can't turn on the AOF: " + e.getMessage());
            return;
        }
        // As Redis: appendonly yes at run time writes a base of the current data, then appends.
        if (rewriting) rewriteScheduled = true;
        else startRewrite();
    }

    private void turnOff() {
        synchronized (ioLock) {
            if (!on) return;
            flush(Long.MAX_VALUE, true);
            stream.removeSink(this);
            on = false;
            try {
                incr.close();
            } catch (IOException e) {
                Log.warning("Closing the AOF: " + e.getMessage());
            }
            incr = null;
        }
    }

    /** Shutdown: everything appended reaches the disk. */
    public void close() {
        cron.shutdownNow();
        synchronized (ioLock) {
            if (on) {
                flush(Long.MAX_VALUE, true);
                try {
                    incr.force(true);
                } catch (IOException e) {
                    Log.warning("Final AOF fsync: " + e.getMessage());
                }
            }
        }
    }

    // ------------------------------------------------------------------ rewrite

    @Override
    public String rewrite() {
        synchronized (this) {
            if (rewriting) throw new CommandError("ERR Background append only file rewriting already in progress");
            startRewrite();
        }
        return "Background append only file rewriting started";
    }

    private synchronized void startRewrite() {
        if (rewriting) return;
        rewriting = true;
        rewriteStartMs = System.currentTimeMillis();
        Thread t = new Thread(() -> runRewrite(false), "amdc-aof-rewrite");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Writes a new base and switches to a new incremental file; {@code startup}: synchronously, for
     * a server whose AOF did not exist yet.
     */
    private void runRewrite(boolean startup) {
        rewriting = true;
        rewriteStartMs = System.currentTimeMillis();
        Keyspace ks = engine.keyspace();
        Path tmp = null;
        try {
            Path dir = dir();
            Files.createDirectories(dir);
            AofManifest old = manifest == null ? new AofManifest() : manifest;
            boolean appending = on || startup || config.getBool("appendonly");
            long baseSeq = (old.base == null ? 0 : old.base.seq()) + 1;
            long incrSeq = old.lastIncrSeq() + 1;
            tmp = dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
            try (BaseWriter w = BaseWriter.forConfig(engine, tmp)) {
                boolean[] done = new boolean[Slots.COUNT];
                IOException[] failure = new IOException[1];
                Keyspace.SlotGuard guard = slot -> {
                    if (done[slot]) return;
                    done[slot] = true; // guarded by the slot's own lock
                    try {
                        w.writeSlot(slot);
                    } catch (IOException e) {
                        failure[0] = e;
                    } catch (RuntimeException e) {
                        // Never out of the guard: the slot lock's taker must get to its unlock.
                        failure[0] = new IOException(e.getMessage(), e);
                    }
                };
                AofManifest.Entry newIncr = new AofManifest.Entry(fileName() + "." + incrSeq + ".incr.aof", incrSeq, 'i');
                ks.lockAll();
                try {
                    if (appending) switchIncr(newIncr, old);
                    ks.addGuard(guard);
                } finally {
                    ks.unlockAll();
                }
                try {
                    for (int s = 0; s < Slots.COUNT; s++) {
                        ks.lock(s);
                        ks.unlock(s);
                    }
                } finally {
                    ks.removeGuard(guard);
                }
                if (failure[0] != null) throw failure[0];
                w.finish();
                String baseName = fileName() + "." + baseSeq + ".base." + w.extension();
                Files.move(tmp, dir.resolve(baseName), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                tmp = null;
                AofManifest m = new AofManifest();
                m.base = new AofManifest.Entry(baseName, baseSeq, 'b');
                if (appending) m.incrs.add(newIncr);
                List<String> obsolete = new ArrayList<>();
                if (old.base != null) obsolete.add(old.base.name());
                for (AofManifest.Entry e : old.incrs) obsolete.add(e.name());
                for (AofManifest.Entry e : old.history) obsolete.add(e.name());
                synchronized (ioLock) {
                    m.write(manifestPath());
                    manifest = m;
                    baseSize = size(dir.resolve(baseName));
                    currentSize = baseSize + (incr == null ? 0 : incr.size());
                    sizeAfterRewrite = currentSize;
                }
                for (String n : obsolete) Files.deleteIfExists(dir.resolve(n));
            }
            lastRewriteStatus = "ok";
            consecutiveFailures = 0;
            if (!startup) rewrites++; // creating the first base at start-up is not a BGREWRITEAOF
            Log.notice("Background AOF rewrite finished successfully");
        } catch (IOException | RuntimeException e) {
            lastRewriteStatus = "err";
            consecutiveFailures++;
            Log.warning("Background AOF rewrite failed: " + e);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
            if (startup) throw new IllegalStateException("Can't create the AOF: " + e.getMessage(), e);
        } finally {
            lastRewriteSec = (System.currentTimeMillis() - rewriteStartMs) / 1000;
            rewriting = false;
        }
    }

    /**
     * Every slot lock held: later records go to {@code next}, earlier ones are written to the old
     * file first; a server that was not appending starts now.
     */
    private void switchIncr(AofManifest.Entry next, AofManifest old) throws IOException {
        synchronized (ioLock) {
            FileChannel ch = openIncr(next.name());
            if (on) {
                writePending();
                incr.force(false);
                synced = written;
                incr.close();
            }
            incr = ch;
            AofManifest m = new AofManifest();
            m.base = old.base;
            m.incrs.addAll(old.incrs);
            m.incrs.add(next);
            m.write(manifestPath());
            manifest = m;
            if (on) stream.exclusive(stream::forceSelect);
            else attach();
        }
    }

    // ------------------------------------------------------------------ INFO

    @Override
    public void info(BiConsumer<String, Object> f) {
        f.accept("aof_enabled", on ? 1 : 0);
        f.accept("aof_rewrite_in_progress", rewriting ? 1 : 0);
        f.accept("aof_rewrite_scheduled", rewriteScheduled ? 1 : 0);
        f.accept("aof_last_rewrite_time_sec", lastRewriteSec);
        f.accept("aof_current_rewrite_time_sec", rewriting ? (System.currentTimeMillis() - rewriteStartMs) / 1000 : -1);
        f.accept("aof_last_bgrewrite_status", lastRewriteStatus);
        f.accept("aof_rewrites", rewrites);
        f.accept("aof_rewrites_consecutive_failures", consecutiveFailures);
        f.accept("aof_last_write_status", writeStatus);
        f.accept("aof_last_cow_size", 0);
        if (on) {
            f.accept("aof_current_size", currentSize);
            f.accept("aof_base_size", baseSize);
            f.accept("aof_pending_rewrite", rewriteScheduled ? 1 : 0);
            f.accept("aof_buffer_length", 0);
            f.accept("aof_pending_bio_fsync", 0);
            f.accept("aof_delayed_fsync", 0);
        }
    }
}
