package io.amdc.persist.rdb;

import java.util.Arrays;

/** A growable byte buffer with the RDB primitive encoders (lengths, strings, integers). */
public final class RdbOutput {
    private byte[] buf;
    private int len;

    public RdbOutput(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    public int size() {
        return len;
    }

    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    public void reset() {
        len = 0;
    }

    /** Drops everything after the first {@code n} bytes. */
    public void truncate(int n) {
        if (n < len) len = n;
    }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }

    public void u8(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    public void write(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    public void le(long v, int n) {
        ensure(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) (v >>> (8 * i));
    }

    public void be(long v, int n) {
        ensure(n);
        for (int i = n - 1; i >= 0; i--) buf[len++] = (byte) (v >>> (8 * i));
    }

    /** RDB length: 6 bits, 14 bits, 32 or 64 bits big-endian. */
    public void length(long n) {
        // Unsigned: stream IDs and counters use the full 64 bits (an unknown entries-read is -1).
        if (Long.compareUnsigned(n, 64) < 0) {
            u8((int) n);
        } else if (Long.compareUnsigned(n, 16384) < 0) {
            u8(0x40 | (int) (n >>> 8));
            u8((int) n & 0xff);
        } else if (Long.compareUnsigned(n, 0xffffffffL) <= 0) {
            u8(0x80);
            be(n, 4);
        } else {
            u8(0x81);
            be(n, 8);
        }
    }

    /** A string: integer-encoded when it is a small canonical integer, LZF when asked and worth it. */
    public void string(byte[] s, boolean compress) {
        if (s.length <= 11) {
            long v = RdbStrings.parseCanonical(s);
            if (v != RdbStrings.NOT_INT && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                integer(v);
                return;
            }
        }
        if (compress && s.length > 20) {
            byte[] c = Lzf.compress(s);
            if (c != null) {
                u8(0xC3);
                length(c.length);
                length(s.length);
                write(c);
                return;
            }
        }
        length(s.length);
        write(s);
    }

    public void rawString(byte[] s) {
        length(s.length);
        write(s);
    }

    private void integer(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            u8(0xC0);
            le(v, 1);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            u8(0xC1);
            le(v, 2);
        } else {
            u8(0xC2);
            le(v, 4);
        }
    }
}
