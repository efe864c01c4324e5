package io.amdc.resp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Encodes replies straight into a Netty {@link ByteBuf}, in RESP2 or RESP3 depending on what the
 * client negotiated with HELLO. Callers ask for the logical type (map, set, null, double...) and
 * this class picks the wire form, so command code never branches on the protocol version.
 */
public final class RespOut {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_BULK2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY2 = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE3 = "#t\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE3 = "#f\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] SMALL_INTS = new byte[1024][];
    private static final byte[][] BULK_HEADERS = new byte[512][];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        for (int i = 0; i < BULK_HEADERS.length; i++) {
            BULK_HEADERS[i] = ("$" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * Bytes staged per client before a copy into the buffer; writes over half of it go to the
     * buffer directly. Small, as every connection has one (Redis keeps 16 KB per client).
     */
    public static final int STAGE = 1024;

    private ByteBuf buf;
    private int protocol = 2;
    /** When false, replies are swallowed (CLIENT REPLY OFF/SKIP). */
    private boolean muted;
    /** Room for two 20-digit numbers and a separator (a stream ID). */
    private final byte[] digitScratch = new byte[41];
    /**
     * Reply bytes not yet copied into {@link #buf}. Every small write into a pooled direct
     * ByteBuf goes through a ByteBuffer slice and a bounds-checked copy (a quarter of a ZRANGE's
     * CPU, an eighth of an LPUSH's); here they are array stores, and the buffer gets one copy per
     * command. Whoever reads or sends the buffer calls {@link #spill} first ({@link #buffer} and
     * {@link #target} do).
     */
    private final byte[] stage = new byte[STAGE];
    private int staged;

    /** Directs replies to {@code buf}; what was staged goes to the previous buffer first. */
    public void target(ByteBuf buf) {
        spill();
        this.buf = buf;
    }

    /** The reply buffer, with every staged byte in it. */
    public ByteBuf buffer() {
        spill();
        return buf;
    }

    /** Reply bytes are staged that have not reached the reply buffer yet. */
    public boolean hasStaged() {
        return staged > 0;
    }

    /** Copies the staged bytes into the reply buffer. */
    public void spill() {
        if (staged > 0) {
            buf.writeBytes(stage, 0, staged);
            staged = 0;
        }
    }

    /** Empties the reply buffer, staged bytes included: internal clients reuse one buffer per command. */
    public void clear() {
        staged = 0;
        buf.clear();
    }

    /** Drops staged bytes (the connection is discarding its replies). */
    public void discard() {
        staged = 0;
    }

    private void put(int b) {
        if (staged == STAGE) spill();
        stage[staged++] = (byte) b;
    }

    private void put(byte[] b) {
        put(b, 0, b.length);
    }

    private void put(byte[] b, int off, int len) {
        if (len > STAGE - staged) {
            spill();
            if (len > STAGE / 2) {
                buf.writeBytes(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, stage, staged, len);
        staged += len;
    }

    private void putAscii(String s) {
        int n = s.length();
        if (n > STAGE - staged) {
            spill();
            if (n > STAGE / 2) {
                buf.writeCharSequence(s, StandardCharsets.US_ASCII);
                return;
            }
        }
        for (int i = 0; i < n; i++) stage[staged + i] = (byte) s.charAt(i);
        staged += n;
    }

    private void putUtf8(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                put(s.getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        putAscii(s); // status lines and errors are ASCII: no array allocated
    }

    public int protocol() {
        return protocol;
    }

    public void protocol(int protocol) {
        this.protocol = protocol;
    }

    public boolean resp3() {
        return protocol >= 3;
    }

    public void muted(boolean muted) {
        this.muted = muted;
    }

    public boolean muted() {
        return muted;
    }

    public void ok() {
        if (muted) return;
        put(OK);
    }

    public void simple(String s) {
        if (muted) return;
        put('+');
        putUtf8(s);
        put(CRLF);
    }

    /** Writes an error line; {@code msg} already carries its code prefix (ERR, WRONGTYPE, ...). */
    public void error(String msg) {
        if (muted) return;
        put('-');
        putUtf8(msg);
        put(CRLF);
    }

    public void integer(long v) {
        if (muted) return;
        if (v >= 0 && v < SMALL_INTS.length) {
            put(SMALL_INTS[(int) v]);
            return;
        }
        put(':');
        writeLong(v);
        put(CRLF);
    }

    public void bulk(byte[] b) {
        if (muted) return;
        if (b == null) {
            nullBulk();
            return;
        }
        bulk(b, 0, b.length);
    }

    public void bulk(byte[] b, int off, int len) {
        if (muted) return;
        if (len < BULK_HEADERS.length) {
            put(BULK_HEADERS[len]);
        } else {
            put('$');
            writeLong(len);
            put(CRLF);
        }
        put(b, off, len);
        put(CRLF);
    }

    public void bulk(String s) {
        if (muted) return;
        if (s == null) {
            nullBulk();
            return;
        }
        bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A stream ID {@code ms-seq} (both unsigned) as a bulk string, formatted in place: XADD's
     * reply went through a StringBuilder, a String and its bytes on every call.
     */
    public void bulkStreamId(long ms, long seq) {
        if (muted) return;
        if (ms < 0 || seq < 0) {
            bulk(Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq));
            return;
        }
        byte[] d = digitScratch;
        int i = Decimal.writeEndingAt(d, d.length, seq);
        d[--i] = '-';
        i = Decimal.writeEndingAt(d, i, ms);
        int len = d.length - i;
        put(BULK_HEADERS[len]); // at most 41
        put(d, i, len);
        put(CRLF);
    }

    /** A number sent as a bulk string (RESP2 style for INCRBYFLOAT and friends). */
    public void bulkLong(long v) {
        bulk(Long.toString(v));
    }

    /** Verbatim string in RESP3 ("txt"), plain bulk in RESP2: INFO, CLIENT INFO, LATENCY DOCTOR. */
    public void verbatim(String s) {
        if (muted) return;
        if (!resp3()) {
            bulk(s);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        put('=');
        writeLong(b.length + 4);
        put(CRLF);
        putAscii("txt:");
        put(b);
        put(CRLF);
    }

    public void nullBulk() {
        if (muted) return;
        put(resp3() ? NULL3 : NULL_BULK2);
    }

    public void nullArray() {
        if (muted) return;
        put(resp3() ? NULL3 : NULL_ARRAY2);
    }

    public void array(int n) {
        if (muted) return;
        aggregate('*', n);
    }

    /** A map of n pairs: RESP3 '%', RESP2 a flat array of 2n. */
    public void map(int pairs) {
        if (muted) return;
        if (resp3()) aggregate('%', pairs);
        else aggregate('*', pairs * 2);
    }

    /** A set: RESP3 '~', RESP2 an array. */
    public void set(int n) {
        if (muted) return;
        aggregate(resp3() ? '~' : '*', n);
    }

    /** An out-of-band push (RESP3 '>'); RESP2 clients see a plain array, as pub/sub messages. */
    public void push(int n) {
        if (muted) return;
        aggregate(resp3() ? '>' : '*', n);
    }

    public void bool(boolean v) {
        if (muted) return;
        if (resp3()) put(v ? TRUE3 : FALSE3);
        else integer(v ? 1 : 0);
    }

    /** A double: RESP3 ',' with Redis's formatting, RESP2 a bulk string. */
    public void dbl(double d) {
        if (muted) return;
        String s = Doubles.format(d);
        if (resp3()) {
            put(',');
            putAscii(s);
            put(CRLF);
        } else {
            bulk(s);
        }
    }

    /** Writes already encoded RESP bytes as they are. */
    public void raw(byte[] resp) {
        if (muted) return;
        put(resp);
    }

    private void aggregate(char type, int n) {
        put(type);
        writeLong(n);
        put(CRLF);
    }

    /**
     * Decimal digits into a scratch array, then one write: per-byte setByte on the buffer pays
     * bounds and reference checks on every digit.
     */
    private void writeLong(long v) {
        if (v >= 0 && v < 10) {
            put('0' + (int) v);
            return;
        }
        byte[] d = digitScratch;
        int i = Decimal.writeEndingAt(d, d.length, v);
        put(d, i, d.length - i);
    }
}
