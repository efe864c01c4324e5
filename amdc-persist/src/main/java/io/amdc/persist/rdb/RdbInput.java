package io.amdc.persist.rdb;

import java.io.IOException;
import java.io.InputStream;

/**
 * Buffered reader of RDB primitives over a stream of known length. Keeps the byte offset (for
 * error messages) and the running CRC-64 of everything consumed. Every allocation is checked
 * against the bytes left, so a hostile length cannot make the reader allocate more than the
 * input could possibly hold.
 */
public final class RdbInput implements AutoCloseable {
    private final InputStream in;
    private final long total;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private int crcFrom;
    private long base;
    private long crc;

    public RdbInput(InputStream in, long totalLength) {
        this.in = in;
        this.total = totalLength;
    }

    public static RdbInput of(byte[] b, int off, int len) {
        return new RdbInput(new java.io.ByteArrayInputStream(b, off, len), len);
    }

    /** Bytes consumed so far. */
    public long offset() {
        return base + pos;
    }

    public long length() {
        return total;
    }

    public long remaining() {
        return total - offset();
    }

    /** CRC-64 of every byte consumed so far. */
    public long crc() {
        if (pos > crcFrom) {
            crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
            crcFrom = pos;
        }
        return crc;
    }

    public RdbFormatException error(String reason) {
        return new RdbFormatException(offset(), reason);
    }

    private boolean fill() throws IOException {
        crc();
        base += lim;
        pos = 0;
        lim = 0;
        crcFrom = 0;
        long left = total - base;
        if (left <= 0) return false;
        int want = (int) Math.min(buf.length, left);
        while (lim < want) {
            int r = in.read(buf, lim, want - lim);
            if (r < 0) break;
            lim += r;
        }
        return lim > 0;
    }

    public int u8() throws IOException {
        if (pos == lim && !fill()) throw truncated(1);
        return buf[pos++] & 0xff;
    }

    private RdbFormatException truncated(long need) {
        return error("unexpected end of file (needed " + need + " more bytes)");
    }

    /** Reads exactly n bytes into a new array; n is checked against what is left first. */
    public byte[] bytes(long n) throws IOException {
        if (n < 0 || n > remaining()) throw error("length " + n + " exceeds the " + remaining() + " bytes left");
        byte[] out = new byte[(int) n];
        int done = 0;
        while (done < n) {
            if (pos == lim && !fill()) throw truncated(n - done);
            int k = Math.min(lim - pos, out.length - done);
            System.arraycopy(buf, pos, out, done, k);
            pos += k;
            done += k;
        }
        return out;
    }

    public void skip(long n) throws IOException {
        if (n < 0 || n > remaining()) throw error("length " + n + " exceeds the " + remaining() + " bytes left");
        while (n > 0) {
            if (pos == lim && !fill()) throw truncated(n);
            int k = (int) Math.min(lim - pos, n);
            pos += k;
            n -= k;
        }
    }

    public long le(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) v |= (long) u8() << (8 * i);
        return v;
    }

    public long be(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) v = (v << 8) | u8();
        return v;
    }

    /** True when at least one more byte exists. */
    public boolean more() throws IOException {
        return pos < lim || fill();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
