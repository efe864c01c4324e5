package io.amdc.persist.aof;

import io.amdc.core.Engine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the base file of a rewrite, one slot at a time, each call with that slot's lock held.
 * {@link #forConfig} is the one place that picks the format: an RDB image with
 * aof-use-rdb-preamble yes, RESP commands with no (both as Redis writes them).
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
        if (engine.config().getBool("aof-use-rdb-preamble")) return new RdbBaseWriter(engine, file);
        return new RespBaseWriter(engine, file);
    }
}
