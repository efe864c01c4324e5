package io.amdc.core.scripting;

import party.iroiro.luajava.Lua;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The struct library Redis gives scripts (pack/unpack/size of binary records), written from its
 * documented format language: {@code < > !n} set endianness / max alignment, {@code b B h H l L T
 * iN IN} integers (1, 2, 8, 8, N bytes; C sizes of the 64-bit build Redis ships), {@code f d}
 * floats, {@code cN} fixed strings ({@code c0}: whole string on pack, length taken from the previous
 * value on unpack), {@code s} zero-terminated string, {@code x} padding byte. Redisson's rate
 * limiter and other client-side scripts depend on it.
 */
final class LuaStruct {
    private static final int MAX_INT_SIZE = 32;
    /** Largest natural alignment of the 64-bit C build: what a bare "!" selects. */
    private static final int MAX_ALIGN = 8;

    private LuaStruct() {
    }

    /** A script-visible error; raised by the library function that caught it. */
    private static final class StructError extends RuntimeException {
        StructError(String msg) {
            super(msg, null, false, false);
        }
    }

    /** Format cursor plus the header options the control characters change. */
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
            return p < f.length;
        }

        int number(int dflt) {
            if (p >= f.length || !isDigit(f[p])) return dflt;
            int a = 0;
            while (p < f.length && isDigit(f[p])) {
                int d = f[p] - '0';
                if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - d) {
                    throw new StructError("integral size overflow");
                }
                a = a * 10 + d;
                p++;
            }
            return a;
        }

        /** Size of the item opt denotes (0 for variable-size items and control characters). */
        int size(int opt) {
            return switch (opt) {
                case 'b', 'B', 'x' -> 1;
                case 'h', 'H' -> 2;
                case 'l', 'L', 'T', 'd' -> 8;
                case 'f' -> 4;
                case 'c' -> number(1);
                case 'i', 'I' -> {
                    int sz = number(4);
                    if (sz > MAX_INT_SIZE) {
                        throw new StructError("integral size " + sz + " is larger than limit of " + MAX_INT_SIZE);
                    }
                    yield sz;
                }
                default -> 0;
            };
        }

        /** Padding needed before an item of this size at offset len. */
        int padding(long len, int opt, int size) {
            if (size == 0 || opt == 'c') return 0;
            // Not checked for a power of 2 here (i3, i5... pad by this same formula in the library).
            int a = Math.min(size, align);
            return (int) ((a - (len & (a - 1))) & (a - 1));
        }

        void control(int opt) {
            switch (opt) {
                case ' ' -> {
                }
                case '>' -> little = false;
                case '<' -> little = true;
                case '!' -> {
                    int a = number(MAX_ALIGN);
                    if ((a & (a - 1)) != 0) throw new StructError("alignment " + a + " is not a power of 2");
                    align = a;
                }
                default -> throw argError(1, fn, "invalid format option '" + (char) opt + "'");
            }
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlnum(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static void install(Lua L, LuaVm vm) {
        RedisApi.fn(L, "pack", l -> guarded(l, () -> pack(vm.on(l), l)));
        RedisApi.fn(L, "unpack", l -> guarded(l, () -> unpack(vm.on(l), l)));
        RedisApi.fn(L, "size", l -> guarded(l, () -> size(vm.on(l), l)));
    }

    private static int guarded(Lua l, java.util.function.IntSupplier body) {
        try {
            return body.getAsInt();
        } catch (StructError e) {
            return LuaLibs.luaError(l, e.getMessage());
        }
    }

    private static StructError argError(int arg, String fn, String msg) {
        return new StructError("bad argument #" + arg + " to '" + fn + "' (" + msg + ")");
    }

    private static String typeName(Lua l, int i) {
        return switch (l.type(i)) {
            case NONE -> "no value";
            case LIGHTUSERDATA -> "userdata";
            default -> l.type(i).name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** luaL_checklstring: strings as they are, numbers in Lua's own text form. */
    private static byte[] checkString(LuaVm vm, Lua l, int i, String fn) {
        if (l.type(i) == Lua.LuaType.STRING) return vm.bytesAt(i);
        if (l.type(i) == Lua.LuaType.NUMBER) return l.toString(i).getBytes(StandardCharsets.ISO_8859_1);
        throw argError(i, fn, "string expected, got " + typeName(l, i));
    }

    private static double checkNumber(Lua l, int i, String fn) {
        if (!l.isNumber(i)) throw argError(i, fn, "number expected, got " + typeName(l, i));
        return l.toNumber(i);
    }

    private static int pack(LuaVm vm, Lua l) {
        Fmt h = new Fmt(checkString(vm, l, 1, "pack"), "pack");
        // The library pushes a nil marker after the arguments: a missing first value reads as "nil".
        l.pushNil();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 2;
        long total = 0;
        while (h.more()) {
            int opt = h.f[h.p++];
            int size = h.size(opt);
            int pad = h.padding(total, opt, size);
            total += pad;
            for (int i = 0; i < pad; i++) out.write(0);
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    long v = toBits(checkNumber(l, arg++, "pack"));
                    putInteger(out, v, size, h.little);
                }
                case 'x' -> out.write(0);
                case 'f' -> putInteger(out, Float.floatToRawIntBits((float) checkNumber(l, arg++, "pack")) & 0xffffffffL, 4, h.little);
                case 'd' -> putInteger(out, Double.doubleToRawLongBits(checkNumber(l, arg++, "pack")), 8, h.little);
                case 'c', 's' -> {
                    byte[] s = checkString(vm, l, arg++, "pack");
                    if (size == 0) size = s.length;
                    // The library reports the argument after the string here; kept for identical errors.
                    if (s.length < size) throw argError(arg, "pack", "string too short");
                    out.write(s, 0, size);
                    if (opt == 's') {
                        out.write(0);
                        size++;
                    }
                }
                default -> h.control(opt);
            }
            total += size;
        }
        l.setTop(0);
        vm.pushBytes(out.toByteArray());
        return 1;
    }

    /** The C library's number-to-integer conversion: negatives through signed, the rest unsigned. */
    private static long toBits(double n) {
        if (n < 0) return (long) n;
        if (n >= 0x1p63) return (long) (n - 0x1p63) ^ Long.MIN_VALUE;
        return (long) n;
    }

    private static void putInteger(ByteArrayOutputStream out, long v, int size, boolean little) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[little ? i : size - 1 - i] = (byte) v;
            v >>>= 8;
        }
        out.write(b, 0, size);
    }

    private static int unpack(LuaVm vm, Lua l) {
        Fmt h = new Fmt(checkString(vm, l, 1, "unpack"), "unpack");
        byte[] data = checkString(vm, l, 2, "unpack");
        long ld = data.length;
        long offset = l.isNoneOrNil(3) ? 1 : (long) checkNumber(l, 3, "unpack");
        if (offset == 0) throw argError(3, "unpack", "offset must be 1 or greater");
        // A negative offset is a huge unsigned one to the library: every item is then out of range.
        long pos = offset - 1;
        int n = 0;
        while (h.more()) {
            int opt = h.f[h.p++];
            int size = h.size(opt);
            pos += h.padding(pos, opt, size);
            if (pos < 0 || size > ld || pos > ld - size) throw argError(2, "unpack", "data string too short");
            try {
                l.checkStack(2);
            } catch (RuntimeException e) {
                throw new StructError("stack overflow (too many results)");
            }
            int at = (int) pos;
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    long v = getInteger(data, at, size, h.little);
                    boolean signed = opt >= 'a';
                    if (signed) {
                        long mask = -1L << (size * 8 - 1);
                        if ((v & mask) != 0) v |= mask;
                        l.push((double) v);
                    } else {
                        l.push(unsignedToDouble(v));
                    }
                    n++;
                }
                case 'x' -> {
                }
                case 'f' -> {
                    l.push((double) Float.intBitsToFloat((int) getInteger(data, at, 4, h.little)));
                    n++;
                }
                case 'd' -> {
                    l.push(Double.longBitsToDouble(getInteger(data, at, 8, h.little)));
                    n++;
                }
                case 'c' -> {
                    if (size == 0) {
                        if (n == 0 || l.type(-1) != Lua.LuaType.NUMBER && !l.isNumber(-1)) {
                            throw new StructError("format 'c0' needs a previous size");
                        }
                        double prev = l.toNumber(-1);
                        l.pop(1);
                        n--;
                        if (prev < 0 || prev > ld || pos > ld - (long) prev) {
                            throw argError(2, "unpack", "data string too short");
                        }
                        size = (int) prev;
                    }
                    vm.pushBytes(data, at, size);
                    n++;
                }
                case 's' -> {
                    int e = at;
                    while (e < data.length && data[e] != 0) e++;
                    if (e == data.length) throw new StructError("unfinished string in data");
                    size = e - at + 1;
                    vm.pushBytes(data, at, size - 1);
                    n++;
                }
                default -> h.control(opt);
            }
            pos += size;
        }
        l.push((double) (pos + 1));
        // Results sit above the arguments; Lua takes the top n+1 values.
        return n + 1;
    }

    private static long getInteger(byte[] d, int at, int size, boolean little) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 8) | (d[little ? at + size - 1 - i : at + i] & 0xff);
        }
        return v;
    }

    private static double unsignedToDouble(long v) {
        if (v >= 0) return v;
        // Halve (keeping the low bit for rounding), convert, double back.
        return ((double) ((v >>> 1) | (v & 1))) * 2.0;
    }

    private static int size(LuaVm vm, Lua l) {
        Fmt h = new Fmt(checkString(vm, l, 1, "size"), "size");
        long pos = 0;
        while (h.more()) {
            int opt = h.f[h.p++];
            int size = h.size(opt);
            pos += h.padding(pos, opt, size);
            if (opt == 's') throw argError(1, "size", "option 's' has no fixed size");
            if (opt == 'c' && size == 0) throw argError(1, "size", "option 'c0' has no fixed size");
            // Unknown letters and digits take no room here (they are not rejected, as in the library).
            if (!isAlnum(opt)) h.control(opt);
            pos += size;
        }
        l.setTop(0);
        l.push((double) pos);
        return 1;
    }
}
