package io.amdc.persist.rdb;

import io.amdc.core.Engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** Writing an RDB file (temp file, fsync, atomic rename) and opening one for reading. */
public final class RdbFiles {
    private RdbFiles() {
    }

    /** Hands chunks to the file in order; the CRC covers everything written. */
    public static final class Writer implements AutoCloseable {
        private final FileChannel ch;
        private final boolean checksum;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 17);
        private long crc;
        private long written;

        public Writer(Path tmp, boolean checksum) throws IOException {
            this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            this.checksum = checksum;
        }

        public void write(byte[] b, int off, int len) throws IOException {
            if (checksum) crc = Crc64.update(crc, b, off, len);
            written += len;
            while (len > 0) {
                int k = Math.min(len, buf.remaining());
                buf.put(b, off, k);
                off += k;
                len -= k;
                if (!buf.hasRemaining()) flush();
            }
        }

        public void write(byte[] b) throws IOException {
            write(b, 0, b.length);
        }

        public long written() {
            return written;
        }

        private void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) ch.write(buf);
            buf.clear();
        }

        /** EOF opcode and the checksum (0 when rdbchecksum is off), then fsync. */
        public void finish() throws IOException {
            write(new byte[] {(byte) RdbConst.OP_EOF});
            RdbOutput o = new RdbOutput(8);
            o.le(checksum ? crc : 0, 8);
            write(o.toByteArray());
            flush();
            ch.force(true);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** The "REDIS0010" header and the AUX fields Redis writes. */
    public static byte[] header(Map<String, String> extraAux) {
        RdbOutput o = new RdbOutput(256);
        o.write(String.format("REDIS%04d", RdbConst.WRITE_VERSION).getBytes(StandardCharsets.US_ASCII));
        aux(o, "redis-ver", Engine.REDIS_VERSION);
        aux(o, "redis-bits", "64");
        aux(o, "ctime", Long.toString(System.currentTimeMillis() / 1000));
        aux(o, "used-mem", Long.toString(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()));
        for (Map.Entry<String, String> e : extraAux.entrySet()) aux(o, e.getKey(), e.getValue());
        if (!extraAux.containsKey("aof-base")) aux(o, "aof-base", "0");
        return o.toByteArray();
    }

    /** One function opcode per loaded library, with its source (placed after the AUX fields, as Redis does). */
    public static byte[] functions(Engine engine) {
        RdbOutput o = new RdbOutput(64);
        for (byte[] code : engine.scripting().libraryCodes()) {
            o.u8(RdbConst.OP_FUNCTION2);
            o.string(code, false);
        }
        return o.toByteArray();
    }

    private static void aux(RdbOutput o, String k, String v) {
        o.u8(RdbConst.OP_AUX);
        o.string(k.getBytes(StandardCharsets.UTF_8), false);
        o.string(v.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Renames {@code tmp} over {@code target} atomically and syncs the directory entry. */
    public static void commit(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // Some filesystems cannot open a directory for sync; the rename itself is still atomic.
        }
    }

    public static RdbInput open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new RdbInput(in, Files.size(file));
    }
}
