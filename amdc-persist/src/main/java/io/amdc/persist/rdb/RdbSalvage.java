package io.amdc.persist.rdb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * Writes the keys that decoded intact into a fresh RDB file (check-rdb --fix). Values are
 * re-encoded from their neutral form, so a file with a damaged tail still yields every key before it.
 */
public final class RdbSalvage implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final RdbFiles.Writer w;
    private final RdbOutput o = new RdbOutput(1 << 16);
    private int db = -1;
    private long keys;

    public RdbSalvage(Path target) throws IOException {
        this.target = target;
        this.tmp = target.resolveSibling(target.getFileName() + ".tmp");
        this.w = new RdbFiles.Writer(tmp, true);
        w.write(RdbFiles.header(new LinkedHashMap<>()));
    }

    public void key(int dbIndex, byte[] key, Object value, long expireMs) throws IOException {
        o.reset();
        if (dbIndex != db) {
            o.u8(RdbConst.OP_SELECTDB);
            o.length(dbIndex);
            db = dbIndex;
        }
        if (expireMs != 0) {
            o.u8(RdbConst.OP_EXPIRETIME_MS);
            o.le(expireMs, 8);
        }
        RdbOutput v = new RdbOutput(64);
        NeutralWriter.write(v, value);
        o.u8(v.array()[0] & 0xff);
        o.string(key, true);
        o.write(v.array(), 1, v.size() - 1);
        w.write(o.array(), 0, o.size());
        keys++;
    }

    public long keys() {
        return keys;
    }

    public void finish() throws IOException {
        w.finish();
        w.close();
        RdbFiles.commit(tmp, target);
    }

    @Override
    public void close() throws IOException {
        w.close();
        java.nio.file.Files.deleteIfExists(tmp);
    }
}
