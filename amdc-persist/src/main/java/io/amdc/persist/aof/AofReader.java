package io.amdc.persist.aof;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the commands of one AOF file (RESP multibulk, with "#..." annotation lines such as
 * Redis's "#TS:" timestamps), tracking the offset after the last complete command so a loader
 * or checker knows where a truncated tail begins.
 */
public final class AofReader implements AutoCloseable {
    /** The file ends in the middle of a command: everything before {@link #validOffset()} is good. */
    public static final class Truncated extends EOFException {
        public Truncated(String msg) {
            super(msg);
        }
    }

    /** Bytes that are not an AOF command where one must start (or inside one). */
    public static final class BadFormat extends IOException {
        public BadFormat(String msg) {
            super(msg);
        }
    }

    private static final int MAX_ARGS = 1 << 20;
    private static final long MAX_BULK = 512L * 1024 * 1024;

    private final InputStream in;
    private long pos;
    private long valid;
    private long commands;

    public AofReader(InputStream in) {
        this.in = new BufferedInputStream(in, 1 << 16);
    }

    /** Offset just after the last complete command or annotation. */
    public long validOffset() {
        return valid;
    }

    /** Bytes consumed so far (for progress reports). */
    public long position() {
        return pos;
    }

    public long commands() {
        return commands;
    }

    /** The next command, or null at a clean end of file. */
    public byte[][] next() throws IOException {
        while (true) {
            int b = in.read();
            if (b < 0) return null;
            pos++;
            if (b == '#') { // annotation line
                readLine();
                valid = pos;
                continue;
            }
            if (b != '*') throw new BadFormat("Bad file format reading the append only file at offset " + (pos - 1));
            long n = number();
            if (n < 1 || n > MAX_ARGS) throw new BadFormat("invalid multibulk length " + n + " at offset " + valid);
            byte[][] argv = new byte[(int) n][];
            for (int i = 0; i < n; i++) {
                int d = read();
                if (d != '$') throw new BadFormat("expected '$' at offset " + (pos - 1));
                long len = number();
                if (len < 0 || len > MAX_BULK) throw new BadFormat("invalid bulk length " + len + " at offset " + (pos - 1));
                byte[] a = new byte[(int) len];
                int off = 0;
                while (off < len) {
                    int r = in.read(a, off, (int) len - off);
                    if (r < 0) throw truncated();
                    off += r;
                }
                pos += len;
                if (read() != '\r' || read() != '\n') throw new BadFormat("bulk not terminated by CRLF at offset " + (pos - 2));
                argv[i] = a;
            }
            valid = pos;
            commands++;
            return argv;
        }
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) throw truncated();
        pos++;
        return b;
    }

    private Truncated truncated() {
        return new Truncated("Unexpected end of file after offset " + valid);
    }

    private void readLine() throws IOException {
        int b;
        while ((b = read()) != '\n') {
            if (b < 0) throw truncated();
        }
    }

    /** Digits up to CRLF. */
    private long number() throws IOException {
        long v = 0;
        int digits = 0;
        boolean neg = false;
        while (true) {
            int b = read();
            if (b == '\r') {
                if (read() != '\n') throw new BadFormat("expected LF at offset " + (pos - 1));
                if (digits == 0) throw new BadFormat("missing number at offset " + (pos - 2));
                return neg ? -v : v;
            }
            if (b == '-' && digits == 0 && !neg) {
                neg = true;
                continue;
            }
            if (b < '0' || b > '9' || digits > 18) throw new BadFormat("bad number at offset " + (pos - 1));
            v = v * 10 + (b - '0');
            digits++;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
