package io.amdc.persist.rdb;

import io.amdc.core.Engine;
import io.amdc.core.Persistence;
import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.config.Config;
import io.amdc.core.keyspace.AccessClock;
import io.amdc.core.keyspace.Db;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;
import io.amdc.core.util.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * RDB persistence for one engine: SAVE/BGSAVE/LASTSAVE/DUMP/RESTORE, save points, the
 * MISCONF guard, loading at start-up, DEBUG RELOAD, the save on SHUTDOWN/SIGTERM and the INFO
 * persistence fields. Saves are {@link SlotSnapshot}s: consistent without fork or a dataset copy.
 */
public final class RdbPersistence implements Persistence {
    static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
            + "persist to disk. Commands that may modify the data set are disabled, because this instance is "
            + "configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error "
            + "option). Please check the Redis logs for details about the RDB error.";

    private final Engine engine;
    private final Config config;
    private final Keyspace ks;
    private volatile SlotSnapshot current;
    private final AtomicBoolean saving = new AtomicBoolean();
    private volatile boolean bgsaveInProgress;
    private volatile long saveStartedMs;
    private volatile long lastSaveSec;
    private volatile boolean lastBgsaveOk = true;
    private volatile long lastBgsaveTimeSec = -1;
    private volatile long lastBgsaveTryMs;
    private volatile long saves;
    private volatile long lastLoadLoaded;
    private volatile long lastLoadExpired;
    private volatile boolean loading;
    private volatile long loadStartSec;
    private volatile long loadTotal;
    private volatile long loadDone;
    private volatile boolean shutdownDone;
    private ScheduledExecutorService cron;

    private RdbPersistence(Engine engine) {
        this.engine = engine;
        this.config = engine.config();
        this.ks = engine.keyspace();
        this.lastSaveSec = engine.startTimeMs() / 1000;
    }

    /** Installs RDB persistence into a freshly built engine (before it serves clients). */
    public static RdbPersistence install(Engine engine) {
        RdbPersistence p = new RdbPersistence(engine);
        engine.persistence(p);
        declare(engine.commands(), p);
        return p;
    }

    private static void declare(CommandTable t, RdbPersistence p) {
        t.add("save", 1, "admin noscript no_async_loading no_multi", "", (c, a) -> p.saveCommand(c))
                .doc("Synchronously saves the database(s) to disk.", "1.0.0", "server", "O(N) where N is the total number of keys in all databases");
        t.add("bgsave", -1, "admin noscript no_async_loading", "", p::bgsaveCommand)
                .doc("Asynchronously saves the database(s) to disk.", "1.0.0", "server", "O(N) where N is the total number of keys in all databases");
        t.add("lastsave", 1, "loading stale fast", "@admin @dangerous", (c, a) -> c.out().integer(p.lastSaveSec))
                .doc("Returns the Unix timestamp of the last successful save to disk.", "1.0.0", "server", "O(1)");
        t.add("dump", 2, "readonly", "@keyspace", 1, 1, 1, DumpRestore::dump)
                .doc("Returns a serialized representation of the value stored at a key.", "2.6.0", "generic",
                        "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).");
        t.add("restore", -4, "write denyoom", "@keyspace @dangerous", 1, 1, 1, DumpRestore::restore)
                .doc("Creates a key from the serialized representation of a value.", "2.6.0", "generic",
                        "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).");
    }

    /** Starts the save-point timer. */
    public void startCron() {
        cron = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "amdc-rdb-cron");
            t.setDaemon(true);
            return t;
        });
        cron.scheduleAtFixedRate(this::checkSavePoints, 1, 1, TimeUnit.SECONDS);
    }

    public void stopCron() {
        if (cron != null) cron.shutdownNow();
    }

    // ------------------------------------------------------------------ paths and settings

    public Path file() {
        return Path.of(config.get("dir")).resolve(config.get("dbfilename"));
    }

    private long[] savePoints() {
        String s = config.get("save").trim();
        if (s.isEmpty()) return new long[0];
        String[] w = s.split("\\s+");
        long[] out = new long[w.length - w.length % 2];
        for (int i = 0; i < out.length; i++) out[i] = Long.parseLong(w[i]);
        return out;
    }

    private void checkSavePoints() {
        try {
            if (saving.get() || loading) return;
            long changes = engine.dirty().sum();
            long elapsed = System.currentTimeMillis() / 1000 - lastSaveSec;
            long[] sp = savePoints();
            for (int i = 0; i + 1 < sp.length; i += 2) {
                // After a failed save, wait 5 seconds before retrying (as Redis does).
                if (changes >= sp[i + 1] && elapsed >= sp[i]
                        && (lastBgsaveOk || System.currentTimeMillis() - lastBgsaveTryMs > 5000)) {
                    Log.notice(sp[i + 1] + " changes in " + sp[i] + " seconds. Saving...");
                    startBgsave();
                    return;
                }
            }
        } catch (RuntimeException e) {
            Log.warning("save point check: " + e);
        }
    }

    // ------------------------------------------------------------------ Persistence hooks

    @Override
    public boolean loading() {
        return loading;
    }

    @Override
    public String refuseWrites() {
        if (lastBgsaveOk || !config.getBool("stop-writes-on-bgsave-error") || savePoints().length == 0) return null;
        return MISCONF;
    }

    @Override
    public boolean prepareShutdown(boolean save, boolean noSave) {
        if (shutdownDone) return true;
        if (noSave || (!save && savePoints().length == 0)) {
            shutdownDone = true;
            return true;
        }
        Log.notice("Saving the final RDB snapshot before exiting.");
        // A background save in progress is superseded by this one.
        while (!saving.compareAndSet(false, true)) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        try {
            saveNow();
            shutdownDone = true;
            Log.notice("DB saved on disk");
            return true;
        } catch (IOException e) {
            Log.warning("Error trying to save the DB, can't exit: " + e.getMessage());
            return false;
        } finally {
            saving.set(false);
        }
    }

    @Override
    public String debugReload() {
        if (!saving.compareAndSet(false, true)) return "ERR Background save already in progress";
        try {
            saveNow();
        } catch (IOException e) {
            return "ERR Error trying to save the DB: " + e.getMessage();
        } finally {
            saving.set(false);
        }
        ks.lockAll();
        try {
            for (int i = 0; i < ks.databases(); i++) ks.flush(i);
            load(file());
            return null;
        } catch (IOException | RuntimeException e) {
            for (int i = 0; i < ks.databases(); i++) ks.flush(i);
            Log.warning("DEBUG RELOAD: " + e.getMessage());
            return "ERR Error trying to load the RDB dump, check server logs.";
        } finally {
            ks.unlockAll();
        }
    }

    // ------------------------------------------------------------------ SAVE / BGSAVE

    private void saveCommand(Client c) {
        if (!saving.compareAndSet(false, true)) throw new CommandError("ERR Background save already in progress");
        try {
            saveNow();
            c.out().ok();
        } catch (IOException e) {
            Log.warning("Error saving DB on disk: " + e.getMessage());
            throw new CommandError("ERR");
        } finally {
            saving.set(false);
        }
    }

    private void bgsaveCommand(Client c, byte[][] argv) {
        if (argv.length > 2 || (argv.length == 2 && !Bytes.eqIgnoreCase(argv[1], "SCHEDULE"))) {
            throw CommandError.syntax();
        }
        if (!startBgsave()) throw new CommandError("ERR Background save already in progress");
        c.out().simple("Background saving started");
    }

    /** Starts a background save; false when one is already running. */
    public boolean startBgsave() {
        if (!saving.compareAndSet(false, true)) return false;
        bgsaveInProgress = true;
        lastBgsaveTryMs = System.currentTimeMillis();
        Thread t = new Thread(() -> {
            long start = System.currentTimeMillis();
            try {
                saveNow();
                lastBgsaveOk = true;
                Log.notice("Background saving terminated with success");
            } catch (IOException | RuntimeException e) {
                lastBgsaveOk = false;
                Log.warning("Background saving error: " + e.getMessage());
            } finally {
                lastBgsaveTimeSec = (System.currentTimeMillis() - start) / 1000;
                bgsaveInProgress = false;
                saving.set(false);
            }
        }, "amdc-bgsave");
        t.setDaemon(true);
        Log.notice("Background saving started");
        t.start();
        return true;
    }

    /** True while a SAVE, BGSAVE or shutdown save runs. */
    public boolean saveInProgress() {
        return saving.get();
    }

    /** Writes the snapshot to dir/dbfilename; caller owns {@link #saving}. */
    private void saveNow() throws IOException {
        Path target = file();
        Path tmp = target.resolveSibling("temp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId() + ".rdb");
        saveStartedMs = System.currentTimeMillis();
        long dirtyAtStart = engine.dirty().sum();
        SlotSnapshot snap = new SlotSnapshot(ks, config.getBool("rdbcompression"), config.get("maxmemory-policy"));
        boolean ok = false;
        try (RdbFiles.Writer w = new RdbFiles.Writer(tmp, config.getBool("rdbchecksum"))) {
            LinkedHashMap<String, String> aux = new LinkedHashMap<>();
            aux.put("repl-stream-db", "0");
            w.write(RdbFiles.header(aux));
            w.write(RdbFiles.functions(engine));
            // Installed with every lock held, so no command is half-way through a slot; from then
            // on whoever locks a slot first serializes it.
            snap.writeThrough(w::write);
            ks.lockAll();
            try {
                ks.addGuard(snap);
                current = snap;
            } finally {
                ks.unlockAll();
            }
            try {
                for (int slot = 0; slot < Slots.COUNT; slot++) {
                    snap.visit(slot);
                    for (byte[] b; (b = snap.pollChunk()) != null; ) w.write(b);
                }
            } finally {
                ks.removeGuard(snap);
                current = null;
            }
            for (byte[] b; (b = snap.pollChunk()) != null; ) w.write(b);
            if (snap.failure() != null) throw new IOException(snap.failure().getMessage(), snap.failure());
            w.finish();
            ok = true;
        } finally {
            if (!ok) Files.deleteIfExists(tmp);
        }
        RdbFiles.commit(tmp, target);
        engine.dirty().add(-dirtyAtStart);
        lastSaveSec = System.currentTimeMillis() / 1000;
        lastBgsaveOk = true;
        saves++;
        Log.notice("DB saved on disk: " + snap.keys.get() + " keys in "
                + (System.currentTimeMillis() - saveStartedMs) + " ms");
    }

    // ------------------------------------------------------------------ loading

    /** Loads dir/dbfilename at start-up when it exists. Throws when the file is damaged. */
    public void loadAtStartup() throws IOException {
        Path f = file();
        if (!Files.exists(f)) return;
        long t0 = System.nanoTime();
        load(f);
        Log.notice(String.format("DB loaded from disk: %.3f seconds", (System.nanoTime() - t0) / 1e9));
    }

    /** Loads a file into the keyspace, merging over what is there (caller flushed if needed). */
    public void load(Path f) throws IOException {
        loading = true;
        loadStartSec = System.currentTimeMillis() / 1000;
        loadDone = 0;
        try (RdbInput in = RdbFiles.open(f)) {
            loadTotal = in.length();
            RdbLoader loader = new RdbLoader(engine, true);
            new RdbReader(in).readFile(new RdbReader.Listener() {
                int lastPct = -1;

                @Override
                public void version(int v) {
                    loader.version(v);
                }

                @Override
                public void aux(String key, byte[] value) {
                    loader.aux(key, value);
                }

                @Override
                public void key(int db, byte[] key, Object value, long expireMs, long idle, int freq, long offset)
                        throws IOException {
                    loader.key(db, key, value, expireMs, idle, freq, offset);
                }

                @Override
                public void function(byte[] code, long offset) throws IOException {
                    loader.function(code, offset);
                }

                @Override
                public void skipped(String what) {
                    Log.warning("RDB load: skipped " + what);
                }

                @Override
                public void progress(long offset, long total) {
                    loadDone = offset;
                    int pct = total == 0 ? 100 : (int) (offset * 100 / total);
                    if (total > (16 << 20) && pct / 10 != lastPct / 10) {
                        Log.notice("Loading RDB: " + pct + "% (" + offset + " of " + total + " bytes)");
                    }
                    lastPct = pct;
                }
            }, config.getBool("rdbchecksum"));
            lastLoadLoaded = loader.loaded;
            lastLoadExpired = loader.expired;
            Log.notice("Done loading RDB, keys loaded: " + loader.loaded + ", keys expired: " + loader.expired + ".");
        } finally {
            loading = false;
        }
    }

    // ------------------------------------------------------------------ INFO

    @Override
    public void infoLoading(StringBuilder sb) {
        sb.append("loading:").append(loading ? 1 : 0).append("\r\n");
        sb.append("async_loading:0\r\n");
        if (loading) {
            long now = System.currentTimeMillis() / 1000;
            long total = loadTotal;
            long done = loadDone;
            double perc = total == 0 ? 0 : done * 100.0 / total;
            long elapsed = Math.max(1, now - loadStartSec);
            long eta = done == 0 ? 1 : (long) ((total - done) / (done / (double) elapsed));
            sb.append("loading_start_time:").append(loadStartSec).append("\r\n");
            sb.append("loading_total_bytes:").append(total).append("\r\n");
            sb.append("loading_rdb_used_mem:0\r\n");
            sb.append("loading_loaded_bytes:").append(done).append("\r\n");
            sb.append("loading_loaded_perc:").append(String.format("%.2f", perc)).append("\r\n");
            sb.append("loading_eta_seconds:").append(eta).append("\r\n");
        }
    }

    @Override
    public void infoRdb(StringBuilder sb, long startTimeMs) {
        SlotSnapshot s = current;
        long keysTotal = s == null ? 0 : ks.totalKeys();
        sb.append("current_cow_peak:0\r\ncurrent_cow_size:0\r\ncurrent_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\n");
        sb.append("current_save_keys_processed:").append(s == null ? 0 : s.keys.get()).append("\r\n");
        sb.append("current_save_keys_total:").append(keysTotal).append("\r\n");
        sb.append("rdb_changes_since_last_save:").append(Math.max(0, engine.dirty().sum())).append("\r\n");
        sb.append("rdb_bgsave_in_progress:").append(bgsaveInProgress ? 1 : 0).append("\r\n");
        sb.append("rdb_last_save_time:").append(lastSaveSec).append("\r\n");
        sb.append("rdb_last_bgsave_status:").append(lastBgsaveOk ? "ok" : "err").append("\r\n");
        sb.append("rdb_last_bgsave_time_sec:").append(lastBgsaveTimeSec).append("\r\n");
        sb.append("rdb_current_bgsave_time_sec:")
                .append(bgsaveInProgress ? (System.currentTimeMillis() - saveStartedMs) / 1000 : -1).append("\r\n");
        sb.append("rdb_saves:").append(saves).append("\r\n");
        sb.append("rdb_last_cow_size:0\r\n");
        sb.append("rdb_last_load_keys_expired:").append(lastLoadExpired).append("\r\n");
        sb.append("rdb_last_load_keys_loaded:").append(lastLoadLoaded).append("\r\n");
    }

    /** Loads an RDB image (the base file of an AOF with aof-use-rdb-preamble) into the keyspace. */
    public static long loadRdbBase(Engine engine, Path file) throws IOException {
        return RdbLoader.loadFile(engine, file, engine.config().getBool("rdbchecksum"));
    }

    /** Access word for a restored/loaded key from RDB's IDLE or FREQ info (-1 = none). */
    static int accessWord(Config cfg, long idleSec, int freq) {
        String policy = cfg.get("maxmemory-policy");
        if (freq >= 0 && policy.contains("lfu")) {
            int minutes = (int) ((System.currentTimeMillis() / 60_000) & 0xffff);
            return (minutes << 8) | (freq & 0xff);
        }
        if (idleSec >= 0 && !policy.contains("lfu")) {
            long w = AccessClock.lru() - Math.min(idleSec, AccessClock.LRU_MAX);
            return (int) (w < 0 ? w + AccessClock.LRU_MAX : w);
        }
        return -1;
    }

    static void placeKey(Db db, byte[] key, Object value, long expireMs, int access) {
        db.set(key, value, expireMs);
        if (access >= 0) db.accessWord(key, access);
    }
}
