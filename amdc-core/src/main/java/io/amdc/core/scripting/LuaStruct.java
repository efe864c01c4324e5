package io.amdc.core.scripting;

import party.iroiro.luajava.Lua;

import java.io.ByteArrayOutputStream;

/**
 * The struct library Redis gives scripts (Roberto Ierusalimschy's struct 0.2 semantics on an
 * LP64 little-endian machine): pack, unpack and size of binary records described by a format of
 * options {@code > < ! x b B h H l L T i I f d s c} with optional counts.
 */
final class LuaStruct {
    private static final int MAX_INT_SIZE = 32;
    private static final int MAX_ALIGN = 8;

    private LuaStruct() {
    }

    static void install(Lua L, LuaVm vm) {
        RedisApi.fn(L, "pack", l -> pack(vm.on(l), l));
        RedisApi.fn(L, "unpack", l -> unpack(vm.on(l), l));
        RedisApi.fn(L, "size", l -> size(vm.on(l), l));
    }

    /** Thrown with the final error text; the library function turns it into a Lua error. */
    private static final class Fail extends RuntimeException {
        Fail(String msg) {
            super(msg, null, false, false);
        }
    }

    /** Format cursor plus the header state (endianness, alignment). */
    private static final class Fmt {
        final byte[] f;
        final String fn;
        int p;
        boolean little = true;
        int align = 1;

        Fmt(byte[] f, String fn) {
            this.f = f;
            this.fn = fn;
        }

        boolean more() {
            return p < f.length && f[p] != 0;
        }

        int num(int dflt) {
            if (p >= f.length || !digit(f[p])) return dflt;
            int a = 0;
            do {
                int d = f[p] - '0';
                if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - d) throw new Fail("integral size overflow");
                a = a * 10 + d;
                p++;
            } while (p < f.length && digit(f[p]));
            return a;
        }

        /** The size of option {@code opt} (0 for options without data), reading its count. */
        int size(int opt) {
            return switch (opt) {
                case 'B', 'b' -> 1;
                case 'H', 'h' -> 2;
                case 'L', 'l', 'T' -> 8;
                case 'f' -> 4;
                case 'd' -> 8;
                case 'x' -> 1;
                case 'c' -> num(1);
                case 'i', 'I' -> {
                    int sz = num(4);
                    if (sz > MAX_INT_SIZE) throw new Fail("integral size " + sz + " is larger than limit of " + MAX_INT_SIZE);
                    yield sz;
                }
                default -> 0;
            };
        }

        long toAlign(long len, int opt, int size) {
            if (size == 0 || opt == 'c') return 0;
            if (size > align) size = align;
            return (size - (len & (size - 1))) & (size - 1);
        }

        void control(int opt) {
            switch (opt) {
                case ' ' -> {
                }
                case '>' -> little = false;
                case '<' -> little = true;
                case '!' -> {
                    int a = num(MAX_ALIGN);
                    if ((a & (a - 1)) != 0) throw new Fail("alignment " + a + " is not a power of 2");
                    align = a;
                }
                default -> throw new Fail("bad argument #1 to '" + fn + "' (invalid format option '" + (char) opt + "')");
            }
        }
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static byte[] checkString(LuaVm vm, Lua l, int arg, String fn) {
        Lua.LuaType t = arg <= l.getTop() ? l.type(arg) : null;
        if (t != Lua.LuaType.STRING && t != Lua.LuaType.NUMBER) {
            throw new Fail("bad argument #" + arg + " to '" + fn + "' (string expected, got " + LuaLibs.argType(l, arg) + ")");
        }
        return vm.bytesAt(arg);
    }

    private static double checkNumber(Lua l, int arg, String fn) {
        if (arg > l.getTop() || !l.isNumber(arg)) {
            throw new Fail("bad argument #" + arg + " to '" + fn + "' (number expected, got " + LuaLibs.argType(l, arg) + ")");
        }
        return l.toNumber(arg);
    }

    private static int pack(LuaVm vm, Lua l) {
        try {
            Fmt h = new Fmt(checkString(vm, l, 1, "pack"), "pack");
            // struct pushes a nil mark after the arguments: one missing argument reads as nil.
            l.setTop(l.getTop() + 1);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int arg = 2;
            long total = 0;
            while (h.more()) {
                int opt = h.f[h.p++];
                int size = h.size(opt);
                long pad = h.toAlign(total, opt, size);
                total += pad;
                for (long i = 0; i < pad; i++) b.write(0);
                switch (opt) {
                    case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                        double n = checkNumber(l, arg++, "pack");
                        // C: negative through a signed 64-bit cast, else unsigned (x86 saturates huge values).
                        long v = n < 0 ? (long) n : n >= 0x1p63 ? (n >= 0x1p64 ? 0 : (long) (n - 0x1p63) ^ Long.MIN_VALUE) : (long) n;
                        byte[] buf = new byte[size];
                        for (int i = 0; i < size; i++) {
                            buf[h.little ? i : size - 1 - i] = (byte) v;
                            v >>>= 8;
                        }
                        b.write(buf, 0, size);
                    }
                    case 'x' -> b.write(0);
                    case 'f' -> writeBits(b, Float.floatToRawIntBits((float) checkNumber(l, arg++, "pack")) & 0xffffffffL, 4, h.little);
                    case 'd' -> writeBits(b, Double.doubleToRawLongBits(checkNumber(l, arg++, "pack")), 8, h.little);
                    case 'c', 's' -> {
                        byte[] s = checkString(vm, l, arg++, "pack");
                        if (size == 0) size = s.length;
                        if (s.length < size) throw new Fail("bad argument #" + arg + " to 'pack' (string too short)");
                        b.write(s, 0, size);
                        if (opt == 's') {
                            b.write(0);
                            size++;
                        }
                    }
                    default -> h.control(opt);
                }
                total += size;
            }
            l.setTop(0);
            vm.pushBytes(b.toByteArray());
            return 1;
        } catch (Fail e) {
            return LuaLibs.luaError(l, e.getMessage());
        }
    }

    private static void writeBits(ByteArrayOutputStream b, long bits, int size, boolean little) {
        for (int i = 0; i < size; i++) {
            int shift = little ? 8 * i : 8 * (size - 1 - i);
            b.write((int) (bits >>> shift));
        }
    }

    private static long readBits(byte[] d, int pos, int size, boolean little) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            int idx = little ? pos + size - 1 - i : pos + i;
            v = (v << 8) | (d[idx] & 0xff);
        }
        return v;
    }

    private static int unpack(LuaVm vm, Lua l) {
        try {
            Fmt h = new Fmt(checkString(vm, l, 1, "unpack"), "unpack");
            byte[] data = checkString(vm, l, 2, "unpack");
            long ld = data.length;
            long offset = 1;
            if (l.getTop() >= 3 && !l.isNil(3)) offset = (long) checkNumber(l, 3, "unpack");
            if (offset == 0) throw new Fail("bad argument #3 to 'unpack' (offset must be 1 or greater)");
            // The C library keeps the offset in a size_t: a negative one wraps to a huge position,
            // so it passes the check above and fails as "data string too short" instead.
            long pos = offset < 0 ? Long.MAX_VALUE / 4 : offset - 1;
            l.setTop(0);
            int n = 0;
            while (h.more()) {
                int opt = h.f[h.p++];
                long size = h.size(opt);
                pos += h.toAlign(pos, opt, (int) size);
                if (size > ld || pos > ld - size) throw new Fail("bad argument #2 to 'unpack' (data string too short)");
                l.checkStack(2);
                switch (opt) {
                    case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                        int sz = (int) size;
                        long v = 0;
                        for (int i = 0; i < sz; i++) {
                            int idx = h.little ? (int) pos + sz - 1 - i : (int) pos + i;
                            v = (v << 8) | (data[idx] & 0xff);
                        }
                        double r;
                        if (Character.isLowerCase(opt)) {
                            long mask = -1L << (sz * 8 - 1); // C's shift is taken mod 64 on x86, as Java's
                            if ((v & mask) != 0) v |= mask;
                            r = v;
                        } else {
                            r = unsignedToDouble(v);
                        }
                        l.push(r);
                        n++;
                    }
                    case 'x' -> {
                    }
                    case 'f' -> {
                        l.push((double) Float.intBitsToFloat((int) readBits(data, (int) pos, 4, h.little)));
                        n++;
                    }
                    case 'd' -> {
                        l.push(Double.longBitsToDouble(readBits(data, (int) pos, 8, h.little)));
                        n++;
                    }
                    case 'c' -> {
                        if (size == 0) {
                            if (n == 0 || !l.isNumber(-1)) throw new Fail("format 'c0' needs a previous size");
                            size = (long) l.toNumber(-1);
                            l.pop(1);
                            n--;
                            if (size > ld || pos > ld - size) throw new Fail("bad argument #2 to 'unpack' (data string too short)");
                        }
                        vm.pushBytes(data, (int) pos, (int) size);
                        n++;
                    }
                    case 's' -> {
                        int e = (int) pos;
                        while (e < data.length && data[e] != 0) e++;
                        if (e == data.length) throw new Fail("unfinished string in data");
                        size = e - pos + 1;
                        vm.pushBytes(data, (int) pos, (int) size - 1);
                        n++;
                    }
                    default -> h.control(opt);
                }
                pos += size;
            }
            l.push((double) (pos + 1));
            return n + 1;
        } catch (Fail e) {
            return LuaLibs.luaError(l, e.getMessage());
        }
    }

    static double unsignedToDouble(long v) {
        if (v >= 0) return v;
        // Halve keeping the low bit (round-to-nearest stays right), convert, double.
        return ((double) ((v >>> 1) | (v & 1))) * 2.0;
    }

    private static int size(LuaVm vm, Lua l) {
        try {
            Fmt h = new Fmt(checkString(vm, l, 1, "size"), "size");
            long pos = 0;
            while (h.more()) {
                int opt = h.f[h.p++];
                int size = h.size(opt);
                pos += h.toAlign(pos, opt, size);
                if (opt == 's') throw new Fail("bad argument #1 to 'size' (option 's' has no fixed size)");
                if (opt == 'c' && size == 0) throw new Fail("bad argument #1 to 'size' (option 'c0' has no fixed size)");
                if (!Character.isLetterOrDigit(opt)) h.control(opt);
                pos += size;
            }
            l.setTop(0);
            l.push((double) pos);
            return 1;
        } catch (Fail e) {
            return LuaLibs.luaError(l, e.getMessage());
        }
    }
}
