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
    private static final int MULTIBULK_MAX = 1024 * 1024;

    private long maxBulkLen = 512L * 1024 * 1024;

    // State of a multibulk in progress.
    private int argc = -1;        // expected number of args; -1 when not inside a multibulk
    private int argi;             // args read so far
    private long bulkLen = -1;    // length of the bulk being read; -1 when expecting a '$' line
    private byte[][] argv;
    private boolean lastWasInline;

    public void maxBulkLen(long max) {
        this.maxBulkLen = max;
    }

    /** True when the last command returned was sent inline (telnet style). */
    public boolean lastWasInline() {
        return lastWasInline;
    }

    /** Bytes of request data held in partially parsed state, for query buffer accounting. */
    public long pendingBytes() {
        long n = 0;
        if (argv != null) {
            for (int i = 0; i < argi; i++) n += argv[i].length;
        }
        return n;
    }

    /**
     * Parses one command from {@code in}. Returns its arguments, or null when more bytes are
     * needed. Consumed bytes are skipped in {@code in}.
     *
     * @throws ProtocolException on malformed input; the connection is unusable afterwards
     */
    public byte[][] parse(ByteBuf in) {
        if (argc < 0) {
            if (!in.isReadable()) return null;
            byte first = in.getByte(in.readerIndex());
            if (first != '*') {
                return parseInline(in);
            }
            int eol = findCrlf(in, in.readerIndex());
            if (eol < 0) {
                if (in.readableBytes() > INLINE_MAX) {
                    throw new ProtocolException("Protocol error: too big mbulk count string");
                }
                return null;
            }
            long n = parseNumber(in, in.readerIndex() + 1, eol);
            if (n == Long.MIN_VALUE || n > MULTIBULK_MAX) {
                throw new ProtocolException("Protocol error: invalid multibulk length");
            }
            in.readerIndex(eol + 2);
            if (n <= 0) {
                // "*0" and "*-1" are empty requests Redis skips silently.
                return parse(in);
            }
            argc = (int) n;
            argi = 0;
            bulkLen = -1;
            // Do not trust the client's count for the allocation: grow as args arrive.
            argv = new byte[Math.min(argc, 64)][];
        }
        while (argi < argc) {
            if (bulkLen < 0) {
                if (!in.isReadable()) return null;
                int r = in.readerIndex();
                byte b = in.getByte(r);
                if (b != '$') {
                    throw new ProtocolException("Protocol error: expected '$', got '" + (char) (b & 0xff) + "'");
                }
                int eol = findCrlf(in, r);
                if (eol < 0) {
                    if (in.readableBytes() > INLINE_MAX) {
                        throw new ProtocolException("Protocol error: too big bulk count string");
                    }
                    return null;
                }
                long len = parseNumber(in, r + 1, eol);
                if (len < 0 || len > maxBulkLen) {
                    throw new ProtocolException("Protocol error: invalid bulk length");
                }
                in.readerIndex(eol + 2);
                bulkLen = len;
            }
            if (in.readableBytes() < bulkLen + 2) {
                return null;
            }
            byte[] arg = new byte[(int) bulkLen];
            in.readBytes(arg);
            in.skipBytes(2); // CRLF; Redis does not check these two bytes either
            if (argi == argv.length) {
                byte[][] grown = new byte[Math.min(argc, argv.length * 2)][];
                System.arraycopy(argv, 0, grown, 0, argv.length);
                argv = grown;
            }
            argv[argi++] = arg;
            bulkLen = -1;
        }
        byte[][] done = argv;
        argv = null;
        argc = -1;
        lastWasInline = false;
        return done;
    }

    private byte[][] parseInline(ByteBuf in) {
        int start = in.readerIndex();
        int nl = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (nl < 0) {
            if (in.readableBytes() > INLINE_MAX) {
                throw new ProtocolException("Protocol error: too big inline request");
            }
            return null;
        }
        int end = nl;
        if (end > start && in.getByte(end - 1) == '\r') end--;
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(nl + 1);
        List<byte[]> args = InlineSplitter.split(line);
        if (args == null) {
            throw new ProtocolException("Protocol error: unbalanced quotes in request");
        }
        lastWasInline = true;
        if (args.isEmpty()) {
            return parse(in); // empty line: ignored as Redis does
        }
        return args.toArray(new byte[0][]);
    }

    private static int findCrlf(ByteBuf in, int from) {
        int limit = Math.min(in.writerIndex(), from + INLINE_MAX + 2);
        int i = in.indexOf(from, limit, (byte) '\r');
        if (i < 0 || i + 1 >= in.writerIndex()) return -1;
        return i;
    }

    /** Parses a signed decimal between [from, to); Long.MIN_VALUE when it is not a number. */
    private static long parseNumber(ByteBuf in, int from, int to) {
        if (from >= to || to - from > 19) return Long.MIN_VALUE;
        boolean neg = false;
        int i = from;
        if (in.getByte(i) == '-') {
            neg = true;
            i++;
            if (i == to) return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            int c = in.getByte(i) - '0';
            if (c < 0 || c > 9) return Long.MIN_VALUE;
            v = v * 10 + c;
        }
        return neg ? -v : v;
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
