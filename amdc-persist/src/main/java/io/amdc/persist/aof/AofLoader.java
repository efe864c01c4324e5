package io.amdc.persist.aof;

import io.amdc.core.Engine;
import io.amdc.core.util.Bytes;
import io.amdc.core.util.Log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a multi-part AOF at start-up: the base, then each incremental file in manifest order.
 * A command cut short at the end of the last file is dropped (and the file truncated to the last
 * whole command) when aof-load-truncated is yes; anywhere else, or with it off, loading fails.
 */
final class AofLoader {
    /** Loading cannot continue; the message is what the server prints before exiting. */
    static final class LoadException extends IOException {
        LoadException(String msg) {
            super(msg);
        }
    }

    private final Engine engine;
    private final LoaderClient client;
    long commands;

    AofLoader(Engine engine) {
        this.engine = engine;
        this.client = new LoaderClient(engine);
    }

    void load(Path dir, AofManifest m) throws IOException {
        List<AofManifest.Entry> files = new ArrayList<>();
        if (m.base != null) files.add(m.base);
        files.addAll(m.incrs);
        if (files.isEmpty()) return;
        long start = System.currentTimeMillis();
        for (int i = 0; i < files.size(); i++) {
            AofManifest.Entry e = files.get(i);
            Path p = dir.resolve(e.name());
            if (!Files.exists(p)) {
                // Redis tolerates an empty incr file that was never created; a missing base or data file is fatal.
                if (e.type() == 'i' && i == files.size() - 1) continue;
                throw new LoadException("Append only file " + e.name() + " doesn't exist");
            }
            loadFile(p, i == files.size() - 1);
        }
        Log.notice("DB loaded from append only file: " + String.format("%.3f", (System.currentTimeMillis() - start) / 1000.0)
                + " seconds");
    }

    private void loadFile(Path p, boolean last) throws IOException {
        if (RdbPreamble.isRdb(p)) {
            RdbPreamble.load(engine, p);
            return;
        }
        String name = p.getFileName().toString();
        long multiAt = -1; // offset of an open MULTI: a file ending inside it ends before it
        try (InputStream in = Files.newInputStream(p); AofReader r = new AofReader(in)) {
            try {
                byte[][] argv;
                while ((argv = r.next()) != null) {
                    long before = r.validOffset();
                    if (Bytes.eqIgnoreCase(argv[0], "MULTI")) {
                        // Loading is single-threaded: a transaction's commands simply run in order.
                        multiAt = before - encodedLength(argv);
                        continue;
                    }
                    if (Bytes.eqIgnoreCase(argv[0], "EXEC")) {
                        multiAt = -1;
                        continue;
                    }
                    String err = client.run(argv);
                    if (err != null && err.startsWith("ERR unknown command")) {
                        throw new LoadException("Unknown command '" + Bytes.str(argv[0]) + "' reading the append only file " + name);
                    }
                    commands++;
                }
                if (multiAt >= 0) throw new AofReader.Truncated("transaction not closed");
            } catch (AofReader.Truncated t) {
                long valid = multiAt >= 0 ? multiAt : r.validOffset();
                truncated(p, name, last, valid);
            } catch (AofReader.BadFormat b) {
                throw new LoadException("Bad file format reading the append only file " + name + ": " + b.getMessage()
                        + ". Make a backup of your AOF file, then use ./amdc-check-aof --fix <filename.manifest>");
            }
        }
    }

    private void truncated(Path p, String name, boolean last, long valid) throws IOException {
        if (!last) {
            throw new LoadException("Unexpected end of file reading the append only file " + name
                    + " (it is not the last file of the AOF, so it cannot be truncated safely)");
        }
        if (!engine.config().getBool("aof-load-truncated")) {
            throw new LoadException("Unexpected end of file reading the append only file " + name + ". You can: "
                    + "1) Make a backup of your AOF file, then use ./amdc-check-aof --fix <filename.manifest>. "
                    + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.");
        }
        Log.warning("!!! Warning: short read while loading the AOF file " + name + "!!!");
        Log.warning("!!! Truncating the AOF " + name + " at offset " + valid + " !!!");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(valid);
            ch.force(true);
        }
        Log.warning("AOF " + name + " loaded anyway because aof-load-truncated is enabled");
    }

    static long encodedLength(byte[][] argv) {
        long n = 1 + Integer.toString(argv.length).length() + 2;
        for (byte[] a : argv) n += 1 + Integer.toString(a.length).length() + 2 + a.length + 2;
        return n;
    }
}
