package io.amdc.core.scripting;

import party.iroiro.luajava.Lua;

import java.io.ByteArrayOutputStream;

/**
 * The cmsgpack library Redis gives scripts (lua-cmsgpack semantics): pack(...) concatenates the
 * MessagePack encodings of its arguments; unpack, unpack_one and unpack_limit decode them.
 * Integral numbers use the smallest integer form, others float32 when exact, else float64; a
 * table whose keys are exactly 1..n is an array, any other a map; tables nested 16 deep, and
 * values MessagePack cannot hold, encode as nil.
 */
final class LuaCmsgpack {
    private static final int MAX_NESTING = 16;

    private LuaCmsgpack() {
    }

    static void install(Lua L, LuaVm vm) {
        RedisApi.fn(L, "pack", l -> pack(vm.on(l), l));
        RedisApi.fn(L, "unpack", l -> unpackFull(vm.on(l), l, 0, 0));
        RedisApi.fn(L, "unpack_one", l -> {
            vm.on(l);
            int offset = optInt(l, 2, "unpack_one");
            if (offset == Integer.MIN_VALUE) return -1;
            l.setTop(1);
            return unpackFull(vm, l, 1, offset);
        });
        RedisApi.fn(L, "unpack_limit", l -> {
            vm.on(l);
            if (l.getTop() < 2 || !l.isNumber(2)) {
                return LuaLibs.argError(l, 2, "unpack_limit", "number expected, got " + LuaLibs.argType(l, 2));
            }
            int limit = (int) (long) l.toNumber(2);
            int offset = optInt(l, 3, "unpack_limit");
            if (offset == Integer.MIN_VALUE) return -1;
            l.setTop(1);
            return unpackFull(vm, l, limit, offset);
        });
    }

    /** luaL_optinteger: 0 when absent; on a bad argument pushes the error and returns MIN_VALUE. */
    private static int optInt(Lua l, int arg, String fn) {
        if (arg > l.getTop() || l.isNil(arg)) return 0;
        if (!l.isNumber(arg)) {
            LuaLibs.argError(l, arg, fn, "number expected, got " + LuaLibs.argType(l, arg));
            return Integer.MIN_VALUE;
        }
        return (int) (long) l.toNumber(arg);
    }

    // ---- encoding ----

    private static int pack(LuaVm vm, Lua l) {
        int n = l.getTop();
        if (n == 0) return LuaLibs.argError(l, 0, "pack", "MessagePack pack needs input.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= n; i++) encode(vm, l, i, out, 0);
        l.setTop(0);
        vm.pushBytes(out.toByteArray());
        return 1;
    }

    private static void encode(LuaVm vm, Lua l, int idx, ByteArrayOutputStream out, int level) {
        Lua.LuaType t = l.type(idx);
        if (t == Lua.LuaType.TABLE && level == MAX_NESTING) t = Lua.LuaType.NIL;
        switch (t) {
            case STRING -> {
                byte[] s = vm.bytesAt(idx);
                int len = s.length;
                if (len < 32) out.write(0xa0 | len);
                else if (len <= 0xff) header(out, 0xd9, len, 1);
                else if (len <= 0xffff) header(out, 0xda, len, 2);
                else header(out, 0xdb, len, 4);
                out.write(s, 0, len);
            }
            case BOOLEAN -> out.write(l.toBoolean(idx) ? 0xc3 : 0xc2);
            case NUMBER -> {
                double d = l.toNumber(idx);
                long v = LuaVm.truncate(d);
                if (!Double.isInfinite(d) && v == d) {
                    encodeInt(out, v);
                } else {
                    float f = (float) d;
                    if (d == (double) f) header(out, 0xca, Float.floatToRawIntBits(f) & 0xffffffffL, 4);
                    else header(out, 0xcb, Double.doubleToRawLongBits(d), 8);
                }
            }
            case TABLE -> encodeTable(vm, l, idx, out, level);
            default -> out.write(0xc0);
        }
    }

    private static void encodeInt(ByteArrayOutputStream out, long n) {
        if (n >= 0) {
            if (n <= 127) out.write((int) n);
            else if (n <= 0xff) header(out, 0xcc, n, 1);
            else if (n <= 0xffff) header(out, 0xcd, n, 2);
            else if (n <= 0xffffffffL) header(out, 0xce, n, 4);
            else header(out, 0xcf, n, 8);
        } else {
            if (n >= -32) out.write((int) (n & 0xff));
            else if (n >= -128) header(out, 0xd0, n, 1);
            else if (n >= -32768) header(out, 0xd1, n, 2);
            else if (n >= -2147483648L) header(out, 0xd2, n, 4);
            else header(out, 0xd3, n, 8);
        }
    }

    /** A type byte followed by {@code size} big-endian bytes of {@code v}. */
    private static void header(ByteArrayOutputStream out, int type, long v, int size) {
        out.write(type);
        for (int i = size - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)));
    }

    private static void encodeTable(LuaVm vm, Lua l, int idx, ByteArrayOutputStream out, int level) {
        l.checkStack(4);
        long count = 0;
        long max = 0;
        boolean array = true;
        l.pushNil();
        while (l.next(idx) != 0) {
            l.pop(1);
            count++;
            if (array) {
                if (l.type(-1) == Lua.LuaType.NUMBER) {
                    double k = l.toNumber(-1);
                    long i = (long) k;
                    if (i != k || i < 1) array = false;
                    else if (i > max) max = i;
                } else {
                    array = false;
                }
            }
        }
        if (array && max == count) {
            int len = (int) count;
            if (len <= 15) out.write(0x90 | len);
            else if (len <= 0xffff) header(out, 0xdc, len, 2);
            else header(out, 0xdd, len, 4);
            for (int i = 1; i <= len; i++) {
                l.rawGetI(idx, i);
                encode(vm, l, l.getTop(), out, level + 1);
                l.pop(1);
            }
            return;
        }
        if (count <= 15) out.write(0x80 | (int) count);
        else if (count <= 0xffff) header(out, 0xde, count, 2);
        else header(out, 0xdf, count, 4);
        l.pushNil();
        while (l.next(idx) != 0) {
            int top = l.getTop();
            encode(vm, l, top - 1, out, level + 1);
            encode(vm, l, top, out, level + 1);
            l.pop(1);
        }
    }

    // ---- decoding ----

    private static final class Truncated extends RuntimeException {
        Truncated(String msg) {
            super(msg, null, false, false);
        }
    }

    private static int unpackFull(LuaVm vm, Lua l, int limit, int offset) {
        if (l.getTop() < 1 || (l.type(1) != Lua.LuaType.STRING && l.type(1) != Lua.LuaType.NUMBER)) {
            String fn = limit == 0 && offset == 0 ? "unpack" : limit == 1 ? "unpack_one" : "unpack_limit";
            return LuaLibs.argError(l, 1, fn, "string expected, got " + LuaLibs.argType(l, 1));
        }
        byte[] s = vm.bytesAt(1);
        int len = s.length;
        boolean all = limit == 0 && offset == 0;
        if (offset < 0 || limit < 0) {
            // lua-cmsgpack reports the input length where the limit belongs.
            return LuaLibs.luaError(l, "Invalid request to unpack with offset of " + offset + " and limit of " + len + ".");
        } else if (offset > len) {
            return LuaLibs.luaError(l, "Start offset " + offset + " greater than input length " + len + ".");
        }
        if (all) limit = Integer.MAX_VALUE;
        int base = l.getTop();
        Decoder d = new Decoder(vm, l, s, offset);
        int cnt = 0;
        try {
            for (; d.p < len && cnt < limit; cnt++) d.value();
        } catch (Truncated e) {
            l.setTop(base);
            return LuaLibs.luaError(l, e.getMessage());
        }
        if (!all) {
            l.checkStack(1);
            l.push((double) (d.p == len ? -1 : d.p));
            l.insert(2);
            cnt++;
        }
        return cnt;
    }

    private static final class Decoder {
        private final LuaVm vm;
        private final Lua l;
        private final byte[] s;
        int p;

        Decoder(LuaVm vm, Lua l, byte[] s, int p) {
            this.vm = vm;
            this.l = l;
            this.s = s;
            this.p = p;
        }

        private void need(long n) {
            if (s.length - p < n) throw new Truncated("Missing bytes in input.");
        }

        private long be(int n) {
            need(n);
            long v = 0;
            for (int i = 0; i < n; i++) v = (v << 8) | (s[p++] & 0xff);
            return v;
        }

        void value() {
            l.checkStack(4);
            need(1);
            int c = s[p++] & 0xff;
            switch (c) {
                case 0xcc -> l.push((double) be(1));
                case 0xcd -> l.push((double) be(2));
                case 0xce -> l.push((double) be(4));
                case 0xcf -> l.push((double) be(8)); // lua-cmsgpack reads uint64 through a signed cast
                case 0xd0 -> l.push((double) (byte) be(1));
                case 0xd1 -> l.push((double) (short) be(2));
                case 0xd2 -> l.push((double) (int) be(4));
                case 0xd3 -> l.push((double) be(8));
                case 0xc0 -> l.pushNil();
                case 0xc2 -> l.push(false);
                case 0xc3 -> l.push(true);
                case 0xca -> l.push((double) Float.intBitsToFloat((int) be(4)));
                case 0xcb -> l.push(Double.longBitsToDouble(be(8)));
                case 0xd9 -> string(be(1));
                case 0xda -> string(be(2));
                case 0xdb -> string(be(4));
                case 0xdc -> array(be(2));
                case 0xdd -> array(be(4));
                case 0xde -> map(be(2));
                case 0xdf -> map(be(4));
                default -> {
                    if ((c & 0x80) == 0) l.push((double) c);
                    else if ((c & 0xe0) == 0xe0) l.push((double) (byte) c);
                    else if ((c & 0xe0) == 0xa0) string(c & 0x1f);
                    else if ((c & 0xf0) == 0x90) array(c & 0xf);
                    else if ((c & 0xf0) == 0x80) map(c & 0xf);
                    else throw new Truncated("Bad data format in input.");
                }
            }
        }

        private void string(long n) {
            need(n);
            vm.pushBytes(s, p, (int) n);
            p += (int) n;
        }

        private void array(long n) {
            l.newTable();
            for (long i = 1; i <= n; i++) {
                value();
                l.rawSetI(-2, (int) i);
            }
        }

        private void map(long n) {
            l.newTable();
            for (long i = 0; i < n; i++) {
                value();
                value();
                Lua.LuaType kt = l.type(-2);
                // A nil or NaN key cannot be stored (Lua would raise through JNI): drop the pair.
                if (kt == Lua.LuaType.NIL || (kt == Lua.LuaType.NUMBER && Double.isNaN(l.toNumber(-2)))) l.pop(2);
                else l.rawSet(-3);
            }
        }
    }
}
