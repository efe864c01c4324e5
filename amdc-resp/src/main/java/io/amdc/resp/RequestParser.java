package io.amdc.resp;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Incremental parser for client requests: RESP multibulk ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") and
 * inline commands ("GET k\r\n"). It keeps its state between calls, so a 500 MB bulk arriving in
 * many reads is parsed once, not re-scanned on every read.
 *
 * <p>Errors carry Redis's exact protocol error text; after one the connection must be closed.
 */
public final class RequestParser {
    /** Redis refuses inline requests and count lines longer than this (PROTO_INLINE_MAX_SIZE). */
    public static final int INLINE_MAX = 64 * 1024;
    /** Before AUTH, Redis refuses larger requests so an anonymous peer cannot make it allocate much. */
    static final int UNAUTH_MULTIBULK_MAX = 10;
    static final int UNAUTH_BULK_MAX = 16 * 1024;
    /**
     * Bulks at least this long are copied out of the input as they arrive, so a 500 MB value does
     * not first sit whole in the connection's input buffer and then get copied again.
     */
    static final int BIG_ARG = 32 * 1024;
    /** Heap cost of one parsed argument beyond its bytes (array header + reference), for the query limit. */
    private static final int ARG_OVERHEAD = 24;
    private static final long INVALID = Long.MIN_VALUE;

    private long maxBulkLen = 512L * 1024 * 1024;
    private boolean authenticated = true;

    // State of a multibulk in progress.
    private int argc = -1;        // expected number of args; -1 when not inside a multibulk
    private int argi;             // args read so far
    private long bulkLen = -1;    // length of the bulk being read; -1 when expecting a '$' line
    private byte[][] argv;
    private byte[] big;           // a big bulk being filled as its bytes arrive
    private int bigFill;
    private long pending;         // bytes held by the args parsed so far
    /** Bytes after the reader index already searched for a line end, so a slow line is scanned once. */
    private int scanned;
    private boolean lastWasInline;

    public void maxBulkLen(long max) {
        // A Java array cannot hold more; such a bulk is refused as too long.
        this.maxBulkLen = Math.min(max, Integer.MAX_VALUE - 16);
    }

    /** Whether the client has authenticated; until then Redis's small unauthenticated limits apply. */
    public void authenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /** True when the last command returned was sent inline (telnet style). */
    public boolean lastWasInline() {
        return lastWasInline;
    }

    /** Bytes of request data held in partially parsed state, for query buffer accounting. */
    public long pendingBytes() {
        return pending + bigFill;
    }

    /**
     * The previous command's name: a pipeline repeats it, and reusing the array saves one
     * allocation per command (about a seventh of what a pipelined SET allocates).
     */
    private byte[] lastName;
    private static final int NAME_MAX = 32;

    private boolean sameAsLastName(ByteBuf in, int len) {
        byte[] n = lastName;
        if (n == null || n.length != len) return false;
        int r = in.readerIndex();
        for (int i = 0; i < len; i++) {
            if (in.getByte(r + i) != n[i]) return false;
        }
        return true;
    }

    /**
     * Parses one command from {@code in}. Returns its arguments, or null when more bytes are
     * needed. Consumed bytes are skipped in {@code in}. Empty lines, "*0" and "*-1" are skipped
     * silently, as Redis does.
     *
     * @throws ProtocolException on malformed input; the connection is unusable afterwards
     */
    public byte[][] parse(ByteBuf in) {
        while (argc < 0) {
            if (!in.isReadable()) return null;
            int r = in.readerIndex();
            if (in.getByte(r) != '*') {
                byte[][] inline = parseInline(in);
                if (inline == null || inline.length > 0) return inline;
                continue; // blank line
            }
            int eol = findCr(in);
            if (eol < 0) {
                if (in.readableBytes() > INLINE_MAX) {
                    throw new ProtocolException("Protocol error: too big mbulk count string");
                }
                return null;
            }
            long n = parseNumber(in, r + 1, eol);
            if (n == INVALID || n > Integer.MAX_VALUE) {
                throw new ProtocolException("Protocol error: invalid multibulk length");
            }
            if (n > UNAUTH_MULTIBULK_MAX && !authenticated) {
                throw new ProtocolException("Protocol error: unauthenticated multibulk length");
            }
            advance(in, eol + 2);
            if (n > 0) {
                argc = (int) n;
                argi = 0;
                bulkLen = -1;
                pending = 0;
                // Do not trust the client's count for the allocation: grow as args arrive.
                argv = new byte[Math.min(argc, 16)][];
            }
        }
        while (argi < argc) {
            if (bulkLen < 0) {
                if (!in.isReadable()) return null;
                int r = in.readerIndex();
                int eol = findCr(in);
                if (eol < 0) {
                    if (in.readableBytes() > INLINE_MAX) {
                        throw new ProtocolException("Protocol error: too big bulk count string");
                    }
                    return null;
                }
                // Like Redis, the type byte is judged only once its whole line has arrived.
                byte b = in.getByte(r);
                if (b != '$') {
                    // Redis blanks CR/LF in error texts; other bytes go out raw (sent as ISO-8859-1).
                    char got = b == '\r' || b == '\n' ? ' ' : (char) (b & 0xff);
                    throw new ProtocolException("Protocol error: expected '$', got '" + got + "'");
                }
                long len = parseNumber(in, r + 1, eol);
                if (len < 0 || len > maxBulkLen) {
                    throw new ProtocolException("Protocol error: invalid bulk length");
                }
                if (len > UNAUTH_BULK_MAX && !authenticated) {
                    throw new ProtocolException("Protocol error: unauthenticated bulk length");
                }
                advance(in, eol + 2);
                bulkLen = len;
            }
            byte[] arg;
            if (big == null && in.readableBytes() >= bulkLen + 2) {
                if (argi == 0 && sameAsLastName(in, (int) bulkLen)) {
                    arg = lastName; // nothing writes into argv arrays: the command name is shared
                    in.skipBytes((int) bulkLen);
                } else {
                    arg = new byte[(int) bulkLen];
                    in.readBytes(arg);
                    if (argi == 0 && bulkLen <= NAME_MAX) lastName = arg;
                }
                in.skipBytes(2); // CRLF; Redis does not check these two bytes either
            } else if (bulkLen < BIG_ARG) {
                return null;
            } else {
                arg = fillBig(in);
                if (arg == null) return null;
            }
            if (argi == argv.length) {
                argv = java.util.Arrays.copyOf(argv, (int) Math.min(argc, argv.length * 2L));
            }
            argv[argi++] = arg;
            pending += arg.length + ARG_OVERHEAD;
            bulkLen = -1;
        }
        byte[][] done = argv;
        argv = null;
        argc = -1;
        pending = 0;
        lastWasInline = false;
        return done;
    }

    /** Copies what has arrived of a big bulk; returns it once complete with its CRLF, else null. */
    private byte[] fillBig(ByteBuf in) {
        int len = (int) bulkLen;
        int n = Math.min(len - bigFill, in.readableBytes());
        if (n > 0) {
            if (big == null || bigFill + n > big.length) {
                // Grow with what actually arrives rather than allocating the client's claimed length up front.
                int cap = (int) Math.min(len, Math.max(bigFill + (long) n, Math.max(2L * BIG_ARG, 2L * bigFill)));
                big = big == null ? new byte[cap] : java.util.Arrays.copyOf(big, cap);
            }
            in.readBytes(big, bigFill, n);
            bigFill += n;
        }
        if (bigFill < len || in.readableBytes() < 2) return null;
        in.skipBytes(2);
        byte[] arg = big;
        big = null;
        bigFill = 0;
        return arg;
    }

    private static final byte[][] BLANK = new byte[0][];

    /** An inline command, {@link #BLANK} for an empty line, or null when the line is incomplete. */
    private byte[][] parseInline(ByteBuf in) {
        int start = in.readerIndex();
        int nl = in.indexOf(start + scanned, in.writerIndex(), (byte) '\n');
        if (nl < 0) {
            if (in.readableBytes() > INLINE_MAX) {
                throw new ProtocolException("Protocol error: too big inline request");
            }
            scanned = in.readableBytes();
            return null;
        }
        int end = nl;
        if (end > start && in.getByte(end - 1) == '\r') end--;
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        advance(in, nl + 1);
        List<byte[]> args = InlineSplitter.split(line);
        if (args == null) {
            throw new ProtocolException("Protocol error: unbalanced quotes in request");
        }
        if (args.isEmpty()) return BLANK;
        lastWasInline = true;
        return args.toArray(new byte[0][]);
    }

    private void advance(ByteBuf in, int readerIndex) {
        in.readerIndex(readerIndex);
        scanned = 0;
    }

    /** Index of the '\r' ending the line at the reader index, once the byte after it has arrived too; else -1. */
    private int findCr(ByteBuf in) {
        int r = in.readerIndex();
        int i = in.indexOf(r + scanned, in.writerIndex(), (byte) '\r');
        if (i < 0) {
            scanned = in.readableBytes();
            return -1;
        }
        if (i + 1 >= in.writerIndex()) {
            scanned = i - r;
            return -1;
        }
        return i;
    }

    /**
     * Parses a decimal between [from, to) as strictly as Redis's string2ll: optional '-', no '+',
     * no leading zeros, no "-0", no overflow. Returns {@link #INVALID} when it is not such a number.
     */
    static long parseNumber(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) return INVALID;
        int i = from;
        boolean neg = in.getByte(i) == '-';
        if (neg) i++;
        if (i == to) return INVALID;
        int d = in.getByte(i) - '0';
        if (d == 0) return (len == 1) ? 0 : INVALID;
        long v = 0; // accumulated negatively so Long.MIN_VALUE fits
        for (; i < to; i++) {
            d = in.getByte(i) - '0';
            if (d < 0 || d > 9) return INVALID;
            if (v < (Long.MIN_VALUE + d) / 10) return INVALID;
            v = v * 10 - d;
        }
        if (neg) return v == Long.MIN_VALUE ? Long.MIN_VALUE + 1 : v; // any huge negative count means the same
        return v == Long.MIN_VALUE ? INVALID : -v;
    }

    /** Splits an inline request as Redis's sdssplitargs does: spaces, "double" and 'single' quotes. */
    static final class InlineSplitter {
        static List<byte[]> split(byte[] line) {
            List<byte[]> out = new ArrayList<>();
            int i = 0;
            int n = line.length;
            java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
            while (true) {
                while (i < n && isSpace(line[i])) i++;
                if (i >= n) return out;
                boolean inDq = false;
                boolean inSq = false;
                boolean done = false;
                cur.reset();
                while (!done) {
                    if (inDq) {
                        if (i >= n) return null;
                        byte c = line[i];
                        if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
                            cur.write(hex(line[i + 2]) * 16 + hex(line[i + 3]));
                            i += 3;
                        } else if (c == '\\' && i + 1 < n) {
                            i++;
                            byte e = line[i];
                            cur.write(switch (e) {
                                case 'n' -> '\n';
                                case 'r' -> '\r';
                                case 't' -> '\t';
                                case 'b' -> '\b';
                                case 'a' -> 7;
                                default -> e;
                            });
                        } else if (c == '"') {
                            if (i + 1 < n && !isSpace(line[i + 1])) return null;
                            done = true;
                        } else {
                            cur.write(c);
                        }
                    } else if (inSq) {
                        if (i >= n) return null;
                        byte c = line[i];
                        if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
                            i++;
                            cur.write('\'');
                        } else if (c == '\'') {
                            if (i + 1 < n && !isSpace(line[i + 1])) return null;
                            done = true;
                        } else {
                            cur.write(c);
                        }
                    } else {
                        if (i >= n) {
                            done = true;
                            break;
                        }
                        byte c = line[i];
                        if (isSpace(c)) {
                            done = true;
                        } else if (c == '"') {
                            inDq = true;
                        } else if (c == '\'') {
                            inSq = true;
                        } else {
                            cur.write(c);
                        }
                    }
                    if (i < n) i++;
                }
                out.add(cur.toByteArray());
            }
        }

        private static boolean isSpace(byte c) {
            return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == '\f';
        }

        private static boolean isHex(byte c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }

        private static int hex(byte c) {
            if (c <= '9') return c - '0';
            if (c >= 'a') return c - 'a' + 10;
            return c - 'A' + 10;
        }
    }
}
