package io.amdc.persist.aof;

import io.amdc.core.Engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * AOF files that begin with an RDB image (Redis's aof-use-rdb-preamble). The one place the AOF
 * loader meets RDB: wire io.amdc.persist.rdb's reader into {@link #load} when it is present.
 */
final class RdbPreamble {
    private RdbPreamble() {
    }

    private static final byte[] MAGIC = {'R', 'E', 'D', 'I', 'S'};

    static boolean isRdb(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return Arrays.equals(in.readNBytes(5), MAGIC);
        }
    }

    static void load(Engine engine, Path p) throws IOException {
        throw new AofLoader.LoadException("The AOF file " + p.getFileName() + " starts with an RDB preamble, which this "
                + "build cannot read yet. Start Redis on it with aof-use-rdb-preamble no and BGREWRITEAOF to convert it.");
    }
}
