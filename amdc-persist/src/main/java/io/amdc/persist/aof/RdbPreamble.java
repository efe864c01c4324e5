package io.amdc.persist.aof;

import io.amdc.core.Engine;
import io.amdc.core.util.Log;
import io.amdc.persist.rdb.RdbFormatException;
import io.amdc.persist.rdb.RdbPersistence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * AOF base files that are an RDB image (Redis's aof-use-rdb-preamble): the one place the AOF
 * loader meets the RDB reader.
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
        try {
            long keys = RdbPersistence.loadRdbBase(engine, p);
            Log.notice("Reading RDB base file on AOF loading... Done (" + keys + " keys)");
        } catch (RdbFormatException e) {
            throw new AofLoader.LoadException("Bad file format reading the append only file " + p.getFileName()
                    + " (RDB base): " + e.getMessage());
        }
    }
}
