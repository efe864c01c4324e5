package io.amdc.persist.aof;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis 7's multi-part AOF manifest: one line per file, "file NAME seq N type b|h|i". b is the
 * base (RDB or RESP), i the incremental files in order, h files awaiting deletion.
 */
public final class AofManifest {
    public record Entry(String name, long seq, char type) {
        String line() {
            return "file " + name + " seq " + seq + " type " + type + "\n";
        }
    }

    public Entry base;
    public final List<Entry> incrs = new ArrayList<>();
    public final List<Entry> history = new ArrayList<>();

    public static AofManifest parse(Path file) throws IOException {
        AofManifest m = new AofManifest();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] w = line.split("\\s+");
            String name = null;
            long seq = -1;
            char type = 0;
            for (int i = 0; i + 1 < w.length; i += 2) {
                switch (w[i]) {
                    case "file" -> name = w[i + 1];
                    case "seq" -> seq = parseSeq(w[i + 1], file, lineNo);
                    case "type" -> type = w[i + 1].length() == 1 ? w[i + 1].charAt(0) : 0;
                    default -> { } // unknown keys are ignored, as Redis does for forward compatibility
                }
            }
            if (name == null || seq < 0 || (type != 'b' && type != 'i' && type != 'h') || (w.length & 1) != 0) {
                throw new IOException("Invalid AOF manifest file format: " + file + " line " + lineNo);
            }
            Entry e = new Entry(name, seq, type);
            switch (type) {
                case 'b' -> {
                    if (m.base != null) throw new IOException("Found duplicate base file information in " + file);
                    m.base = e;
                }
                case 'i' -> {
                    if (!m.incrs.isEmpty() && m.incrs.get(m.incrs.size() - 1).seq >= seq) {
                        throw new IOException("Found a non-monotonic sequence number in " + file + " line " + lineNo);
                    }
                    m.incrs.add(e);
                }
                default -> m.history.add(e);
            }
        }
        return m;
    }

    private static long parseSeq(String s, Path file, int line) throws IOException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException("Invalid AOF manifest sequence number in " + file + " line " + line);
        }
    }

    public long lastIncrSeq() {
        return incrs.isEmpty() ? 0 : incrs.get(incrs.size() - 1).seq;
    }

    String format() {
        StringBuilder sb = new StringBuilder();
        if (base != null) sb.append(base.line());
        for (Entry e : history) sb.append(e.line());
        for (Entry e : incrs) sb.append(e.line());
        return sb.toString();
    }

    /** Replaces {@code file} atomically: temp file, fsync, rename, fsync of the directory. */
    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling("temp-" + file.getFileName());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(format().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDir(file.getParent());
    }

    static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for sync; the rename is still in place.
        }
    }
}
