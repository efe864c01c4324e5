package io.amdc.persist.aof;

import io.amdc.core.Engine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the base file of a rewrite, one slot at a time, each call with that slot's lock held.
 * {@link #forConfig} is the one place that picks the format: aof-use-rdb-preamble asks for an
 * RDB base, which needs the RDB writer (io.amdc.persist.rdb); until it is wired here the base is
 * written as RESP commands, which Redis also accepts (it is what aof-use-rdb-preamble no writes).
 */
interface BaseWriter extends AutoCloseable {
    /** "aof" or "rdb": the base file name's extension. */
    String extension();

    /** Serializes every live key of {@code slot} in every database. Caller holds the slot lock. */
    void writeSlot(int slot) throws IOException;

    /** Flushes and fsyncs; the file is complete. */
    void finish() throws IOException;

    @Override
    void close() throws IOException;

    static BaseWriter forConfig(Engine engine, Path file) throws IOException {
        // Switch point for the RDB preamble: return an RDB slot writer when aof-use-rdb-preamble is yes.
        return new RespBaseWriter(engine, file);
    }
}
