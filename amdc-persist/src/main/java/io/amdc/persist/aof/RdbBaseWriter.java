package io.amdc.persist.aof;

import io.amdc.core.Engine;
import io.amdc.persist.rdb.RdbSlotFile;

import java.io.IOException;
import java.nio.file.Path;

/** The base file as an RDB image (aof-use-rdb-preamble yes, Redis's default): appendonly.aof.N.base.rdb. */
final class RdbBaseWriter implements BaseWriter {
    private final RdbSlotFile file;

    RdbBaseWriter(Engine engine, Path path) throws IOException {
        this.file = new RdbSlotFile(engine, path);
    }

    @Override
    public String extension() {
        return "rdb";
    }

    @Override
    public void writeSlot(int slot) throws IOException {
        file.writeSlot(slot);
    }

    @Override
    public void finish() throws IOException {
        file.finish();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
