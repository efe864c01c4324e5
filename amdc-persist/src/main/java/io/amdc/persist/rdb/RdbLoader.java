package io.amdc.persist.rdb;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandError;
import io.amdc.core.config.Config;
import io.amdc.core.keyspace.Db;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.util.Log;

import java.nio.charset.StandardCharsets;

/** Puts the keys an {@link RdbReader} decodes into the keyspace, as Redis's loader does. */
final class RdbLoader {
    private final Engine engine;
    private final Keyspace ks;
    private final Config cfg;
    private final boolean dropExpired;
    private final long now = System.currentTimeMillis();
    long loaded;
    long expired;
    long skippedUnsupported;

    RdbLoader(Engine engine, boolean dropExpired) {
        this.engine = engine;
        this.ks = engine.keyspace();
        this.cfg = engine.config();
        this.dropExpired = dropExpired;
    }

    void version(int v) {
        Log.notice("Loading RDB format version " + v);
    }

    void aux(String key, byte[] value) {
        String v = new String(value, StandardCharsets.UTF_8);
        switch (key) {
            case "redis-ver" -> Log.notice("Loading RDB produced by version " + v);
            case "ctime" -> {
                try {
                    long age = now / 1000 - Long.parseLong(v);
                    Log.notice("RDB age " + Math.max(0, age) + " seconds");
                } catch (NumberFormatException ignored) {
                    // informational only
                }
            }
            case "used-mem" -> {
                try {
                    Log.notice("RDB memory usage when created " + String.format("%.2f", Long.parseLong(v) / 1048576.0) + " Mb");
                } catch (NumberFormatException ignored) {
                    // informational only
                }
            }
            default -> Log.debug("RDB '" + key + "': " + v);
        }
    }

    /** A function library (opcode 245): loaded as FUNCTION LOAD REPLACE would (DEBUG RELOAD finds it loaded). */
    void function(byte[] code, long offset) throws RdbFormatException {
        try {
            engine.scripting().functionLoad(code, true);
        } catch (CommandError e) {
            throw new RdbFormatException(offset, "Failed loading library: " + e.getMessage());
        }
    }

    /** Loads an RDB file (an AOF's RDB base) into the keyspace; expired keys are dropped. */
    static long loadFile(Engine engine, java.nio.file.Path file, boolean verifyChecksum) throws java.io.IOException {
        RdbLoader loader = new RdbLoader(engine, true);
        try (RdbInput in = RdbFiles.open(file)) {
            new RdbReader(in).readFile(new RdbReader.Listener() {
                @Override
                public void aux(String key, byte[] value) {
                    loader.aux(key, value);
                }

                @Override
                public void key(int db, byte[] key, Object value, long expireMs, long idle, int freq, long offset)
                        throws java.io.IOException {
                    loader.key(db, key, value, expireMs, idle, freq, offset);
                }

                @Override
                public void function(byte[] code, long offset) throws java.io.IOException {
                    loader.function(code, offset);
                }

                @Override
                public void skipped(String what) {
                    Log.warning("RDB load: skipped " + what);
                }
            }, verifyChecksum);
        }
        return loader.loaded;
    }

    void key(int dbIndex, byte[] key, Object value, long expireMs, long idle, int freq, long offset)
            throws RdbFormatException {
        if (dbIndex >= ks.databases()) {
            throw new RdbFormatException(offset, "FATAL: Data file was created with a Redis server configured to handle "
                    + "more than " + ks.databases() + " databases. Exiting");
        }
        Object v;
        try {
            v = ValueCodec.materialize(value, cfg);
        } catch (ValueCodec.InvalidValue e) {
            throw new RdbFormatException(offset, e.getMessage());
        } catch (ValueCodec.UnsupportedType e) {
            if (skippedUnsupported++ == 0) {
                Log.warning("RDB load: skipping keys of a type this build cannot hold (" + e.getMessage() + ")");
            }
            return;
        }
        if (dropExpired && expireMs != 0 && expireMs < now) {
            expired++;
            return;
        }
        int slot = Slots.slot(key);
        Db db = ks.db(dbIndex);
        ks.lock(slot);
        try {
            if (db.exists(key)) throw new RdbFormatException(offset, "duplicate key '" + new String(key, StandardCharsets.UTF_8) + "'");
            RdbPersistence.placeKey(db, key, v, expireMs, RdbPersistence.accessWord(cfg, idle, freq));
        } finally {
            ks.unlock(slot);
        }
        loaded++;
    }
}
