package io.amdc.persist.rdb;

import io.amdc.core.Engine;
import io.amdc.core.config.Config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * An RDB image written one hash slot at a time, from whichever thread holds the slot's lock: the
 * base file of an AOF rewrite with aof-use-rdb-preamble (its slots arrive in any order, which RDB
 * allows since every chunk starts with SELECTDB). Carries the function libraries, as Redis's does.
 */
public final class RdbSlotFile implements AutoCloseable {
    private final SlotSnapshot serializer;
    private final RdbFiles.Writer w;

    public RdbSlotFile(Engine engine, Path file) throws IOException {
        Config cfg = engine.config();
        serializer = new SlotSnapshot(engine.keyspace(), cfg.getBool("rdbcompression"), cfg.get("maxmemory-policy"));
        w = new RdbFiles.Writer(file, cfg.getBool("rdbchecksum"));
        LinkedHashMap<String, String> aux = new LinkedHashMap<>();
        aux.put("aof-base", "1");
        w.write(RdbFiles.header(aux));
        w.write(RdbFiles.functions(engine));
    }

    /** Appends the slot's keys. Caller holds the slot's lock. */
    public void writeSlot(int slot) throws IOException {
        byte[] chunk = serializer.serialize(slot);
        if (chunk == null) return;
        synchronized (w) {
            w.write(chunk);
        }
    }

    public long keys() {
        return serializer.keys.get();
    }

    /** End marker, checksum, fsync. */
    public void finish() throws IOException {
        synchronized (w) {
            w.finish();
        }
    }

    @Override
    public void close() throws IOException {
        w.close();
    }
}
