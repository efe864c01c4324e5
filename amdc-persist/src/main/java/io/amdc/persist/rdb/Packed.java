package io.amdc.persist.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Decoders (with full integrity checks) for the packed blobs RDB embeds as strings: listpack,
 * ziplist, intset and zipmap; and the listpack encoder used when writing. Every failure is a
 * {@link BadBlob} carrying the reason; the caller adds the file offset.
 */
final class Packed {
    static final class BadBlob extends Exception {
        BadBlob(String m) {
            super(m, null, false, false);
        }
    }

    private Packed() {
    }

    private static int u(byte[] b, int i) {
        return b[i] & 0xff;
    }

    private static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) v |= (long) u(b, off + i) << (8 * i);
        return v;
    }

    private static void need(byte[] b, int off, long n, String what) throws BadBlob {
        if (n < 0 || off + n > b.length) throw new BadBlob(what + " runs past the end of the blob");
    }

    // ------------------------------------------------------------------ listpack

    static int backlenSize(int l) {
        if (l < 128) return 1;
        if (l < 16384) return 2;
        if (l < 2097152) return 3;
        if (l < 268435456) return 4;
        return 5;
    }

    /** Every element of a listpack, integers rendered as decimal text. */
    static List<byte[]> listpack(byte[] b) throws BadBlob {
        if (b.length < 7) throw new BadBlob("listpack shorter than its header");
        long total = le(b, 0, 4);
        if (total != b.length) throw new BadBlob("listpack header says " + total + " bytes, blob has " + b.length);
        int count = (int) le(b, 4, 2);
        List<byte[]> out = new ArrayList<>(Math.min(count, b.length));
        int p = 6;
        while (true) {
            if (p >= b.length) throw new BadBlob("listpack without terminator");
            int e = u(b, p);
            if (e == 0xFF) {
                if (p != b.length - 1) throw new BadBlob("listpack terminator before its end");
                break;
            }
            int start = p;
            byte[] v;
            if ((e & 0x80) == 0) {
                v = RdbStrings.ofLong(e);
                p += 1;
            } else if ((e & 0xC0) == 0x80) {
                int len = e & 0x3F;
                need(b, p + 1, len, "listpack string");
                v = java.util.Arrays.copyOfRange(b, p + 1, p + 1 + len);
                p += 1 + len;
            } else if ((e & 0xE0) == 0xC0) {
                need(b, p, 2, "listpack int");
                int raw = ((e & 0x1F) << 8) | u(b, p + 1);
                v = RdbStrings.ofLong((raw << 19) >> 19);
                p += 2;
            } else if ((e & 0xF0) == 0xE0) {
                need(b, p, 2, "listpack string");
                int len = ((e & 0x0F) << 8) | u(b, p + 1);
                need(b, p + 2, len, "listpack string");
                v = java.util.Arrays.copyOfRange(b, p + 2, p + 2 + len);
                p += 2 + len;
            } else if (e == 0xF0) {
                need(b, p, 5, "listpack string");
                long len = le(b, p + 1, 4);
                need(b, p + 5, len, "listpack string");
                v = java.util.Arrays.copyOfRange(b, p + 5, p + 5 + (int) len);
                p += 5 + (int) len;
            } else {
                int n = switch (e) {
                    case 0xF1 -> 2;
                    case 0xF2 -> 3;
                    case 0xF3 -> 4;
                    case 0xF4 -> 8;
                    default -> throw new BadBlob("bad listpack entry encoding 0x" + Integer.toHexString(e));
                };
                need(b, p + 1, n, "listpack int");
                long x = le(b, p + 1, n);
                int shift = 64 - 8 * n;
                v = RdbStrings.ofLong((x << shift) >> shift);
                p += 1 + n;
            }
            int entryLen = p - start;
            int bl = backlenSize(entryLen);
            need(b, p, bl, "listpack backlen");
            // The backlen, read from its last byte backwards, must give the entry length.
            long got = 0;
            for (int i = 0; i < bl; i++) {
                int x = u(b, p + bl - 1 - i);
                got |= (long) (x & 0x7F) << (7 * i);
                boolean more = (x & 0x80) != 0;
                if (more != (i < bl - 1)) throw new BadBlob("bad listpack backlen");
            }
            if (got != entryLen) throw new BadBlob("listpack backlen " + got + " does not match entry length " + entryLen);
            p += bl;
            out.add(v);
        }
        if (count != 65535 && count != out.size()) {
            throw new BadBlob("listpack header says " + count + " entries, found " + out.size());
        }
        return out;
    }

    /** Builds a listpack; integers are stored in the smallest integer encoding, as Redis does. */
    static final class ListpackWriter {
        private final RdbOutput o = new RdbOutput(64);
        private int count;

        ListpackWriter() {
            o.le(0, 6);
        }

        int count() {
            return count;
        }

        int bytes() {
            return o.size() + 1;
        }

        void add(byte[] v) {
            long n = v.length <= 20 ? RdbStrings.parseCanonical(v) : RdbStrings.NOT_INT;
            if (n != RdbStrings.NOT_INT) {
                addInt(n);
                return;
            }
            int start = o.size();
            int len = v.length;
            if (len < 64) {
                o.u8(0x80 | len);
            } else if (len < 4096) {
                o.u8(0xE0 | (len >>> 8));
                o.u8(len & 0xff);
            } else {
                o.u8(0xF0);
                o.le(len, 4);
            }
            o.write(v);
            backlen(o.size() - start);
        }

        void addInt(long n) {
            int start = o.size();
            if (n >= 0 && n <= 127) {
                o.u8((int) n);
            } else if (n >= -4096 && n <= 4095) {
                o.u8(0xC0 | (int) ((n >>> 8) & 0x1F));
                o.u8((int) n & 0xff);
            } else if (n >= Short.MIN_VALUE && n <= Short.MAX_VALUE) {
                o.u8(0xF1);
                o.le(n, 2);
            } else if (n >= -(1 << 23) && n < (1 << 23)) {
                o.u8(0xF2);
                o.le(n, 3);
            } else if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                o.u8(0xF3);
                o.le(n, 4);
            } else {
                o.u8(0xF4);
                o.le(n, 8);
            }
            backlen(o.size() - start);
        }

        private void backlen(int l) {
            int n = backlenSize(l);
            // Most significant 7-bit group first; every byte but the first carries the 0x80 flag.
            for (int i = n - 1; i >= 0; i--) {
                int x = (l >>> (7 * i)) & 0x7F;
                o.u8(i == n - 1 ? x : x | 0x80);
            }
            count++;
        }

        byte[] finish() {
            o.u8(0xFF);
            byte[] b = o.toByteArray();
            long total = b.length;
            for (int i = 0; i < 4; i++) b[i] = (byte) (total >>> (8 * i));
            int c = Math.min(count, 65535);
            b[4] = (byte) c;
            b[5] = (byte) (c >>> 8);
            return b;
        }
    }

    // ------------------------------------------------------------------ ziplist

    static List<byte[]> ziplist(byte[] b) throws BadBlob {
        if (b.length < 11) throw new BadBlob("ziplist shorter than its header");
        long total = le(b, 0, 4);
        if (total != b.length) throw new BadBlob("ziplist header says " + total + " bytes, blob has " + b.length);
        long tail = le(b, 4, 4);
        int count = (int) le(b, 8, 2);
        List<byte[]> out = new ArrayList<>(Math.min(count, b.length));
        int p = 10;
        int prevLen = 0;
        int lastStart = -1;
        while (true) {
            if (p >= b.length) throw new BadBlob("ziplist without terminator");
            if (u(b, p) == 0xFF) {
                if (p != b.length - 1) throw new BadBlob("ziplist terminator before its end");
                break;
            }
            int start = p;
            int pl;
            if (u(b, p) < 254) {
                pl = u(b, p);
                p += 1;
            } else if (u(b, p) == 254) {
                need(b, p, 5, "ziplist prevlen");
                pl = (int) le(b, p + 1, 4);
                p += 5;
            } else {
                throw new BadBlob("bad ziplist prevlen");
            }
            if (pl != prevLen) throw new BadBlob("ziplist prevlen " + pl + " does not match " + prevLen);
            need(b, p, 1, "ziplist entry");
            int e = u(b, p);
            byte[] v;
            switch (e >>> 6) {
                case 0 -> {
                    int len = e & 0x3F;
                    need(b, p + 1, len, "ziplist string");
                    v = java.util.Arrays.copyOfRange(b, p + 1, p + 1 + len);
                    p += 1 + len;
                }
                case 1 -> {
                    need(b, p, 2, "ziplist string");
                    int len = ((e & 0x3F) << 8) | u(b, p + 1);
                    need(b, p + 2, len, "ziplist string");
                    v = java.util.Arrays.copyOfRange(b, p + 2, p + 2 + len);
                    p += 2 + len;
                }
                case 2 -> {
                    if (e != 0x80) throw new BadBlob("bad ziplist string encoding");
                    need(b, p, 5, "ziplist string");
                    long len = ((long) u(b, p + 1) << 24) | (u(b, p + 2) << 16) | (u(b, p + 3) << 8) | u(b, p + 4);
                    need(b, p + 5, len, "ziplist string");
                    v = java.util.Arrays.copyOfRange(b, p + 5, p + 5 + (int) len);
                    p += 5 + (int) len;
                }
                default -> {
                    int n;
                    long x;
                    if (e >= 0xF1 && e <= 0xFD) {
                        x = (e & 0x0F) - 1;
                        n = 0;
                    } else {
                        n = switch (e) {
                            case 0xC0 -> 2;
                            case 0xD0 -> 4;
                            case 0xE0 -> 8;
                            case 0xF0 -> 3;
                            case 0xFE -> 1;
                            default -> throw new BadBlob("bad ziplist entry encoding 0x" + Integer.toHexString(e));
                        };
                        need(b, p + 1, n, "ziplist int");
                        long raw = le(b, p + 1, n);
                        int shift = 64 - 8 * n;
                        x = (raw << shift) >> shift;
                    }
                    v = RdbStrings.ofLong(x);
                    p += 1 + n;
                }
            }
            prevLen = p - start;
            lastStart = start;
            out.add(v);
        }
        if (count != 65535 && count != out.size()) {
            throw new BadBlob("ziplist header says " + count + " entries, found " + out.size());
        }
        long wantTail = lastStart < 0 ? 10 : lastStart;
        if (tail != wantTail) throw new BadBlob("ziplist tail offset " + tail + " is not " + wantTail);
        return out;
    }

    // ------------------------------------------------------------------ intset

    static List<byte[]> intset(byte[] b) throws BadBlob {
        if (b.length < 8) throw new BadBlob("intset shorter than its header");
        int enc = (int) le(b, 0, 4);
        if (enc != 2 && enc != 4 && enc != 8) throw new BadBlob("bad intset encoding " + enc);
        long n = le(b, 4, 4);
        if (8 + n * enc != b.length) throw new BadBlob("intset of " + n + " entries does not fill " + b.length + " bytes");
        List<byte[]> out = new ArrayList<>((int) n);
        long prev = 0;
        for (int i = 0; i < n; i++) {
            long raw = le(b, 8 + i * enc, enc);
            int shift = 64 - 8 * enc;
            long x = (raw << shift) >> shift;
            if (i > 0 && x <= prev) throw new BadBlob("intset not sorted or has duplicates");
            prev = x;
            out.add(RdbStrings.ofLong(x));
        }
        return out;
    }

    // ------------------------------------------------------------------ zipmap (hashes before 2.6)

    static void zipmap(byte[] b, List<byte[]> fields, List<byte[]> values) throws BadBlob {
        if (b.length < 2) throw new BadBlob("zipmap too short");
        int p = 1;
        while (true) {
            need(b, p, 1, "zipmap");
            if (u(b, p) == 0xFF) {
                if (p != b.length - 1) throw new BadBlob("zipmap terminator before its end");
                return;
            }
            int[] at = {p};
            byte[] k = zipmapStr(b, at, false);
            byte[] v = zipmapStr(b, at, true);
            fields.add(k);
            values.add(v);
            p = at[0];
        }
    }

    private static byte[] zipmapStr(byte[] b, int[] at, boolean value) throws BadBlob {
        int p = at[0];
        need(b, p, 1, "zipmap length");
        long len = u(b, p);
        if (len == 254) {
            need(b, p, 5, "zipmap length");
            len = le(b, p + 1, 4);
            p += 5;
        } else if (len == 255) {
            throw new BadBlob("zipmap ends inside an entry");
        } else {
            p += 1;
        }
        int free = 0;
        if (value) {
            need(b, p, 1, "zipmap free");
            free = u(b, p);
            p += 1;
        }
        need(b, p, len + free, "zipmap string");
        byte[] s = java.util.Arrays.copyOfRange(b, p, p + (int) len);
        at[0] = p + (int) len + free;
        return s;
    }
}
