package io.amdc.core.scripting;

import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;

/** The bit and cjson libraries Redis gives scripts, written in Java against the Lua stack. */
final class LuaLibs {
    private LuaLibs() {
    }

    // ---- bit (LuaBitOp semantics: 32-bit two's complement results) ----

    static void installBit(Lua L) {
        RedisApi.fn(L, "tobit", l -> ret(l, arg(l, 1)));
        RedisApi.fn(L, "bnot", l -> ret(l, ~arg(l, 1)));
        RedisApi.fn(L, "band", l -> fold(l, 0));
        RedisApi.fn(L, "bor", l -> fold(l, 1));
        RedisApi.fn(L, "bxor", l -> fold(l, 2));
        RedisApi.fn(L, "lshift", l -> ret(l, arg(l, 1) << (arg(l, 2) & 31)));
        RedisApi.fn(L, "rshift", l -> ret(l, arg(l, 1) >>> (arg(l, 2) & 31)));
        RedisApi.fn(L, "arshift", l -> ret(l, arg(l, 1) >> (arg(l, 2) & 31)));
        RedisApi.fn(L, "rol", l -> ret(l, Integer.rotateLeft(arg(l, 1), arg(l, 2) & 31)));
        RedisApi.fn(L, "ror", l -> ret(l, Integer.rotateRight(arg(l, 1), arg(l, 2) & 31)));
        RedisApi.fn(L, "bswap", l -> ret(l, Integer.reverseBytes(arg(l, 1))));
        RedisApi.fn(L, "tohex", l -> {
            int x = arg(l, 1);
            int n = l.getTop() >= 2 && !l.isNil(2) ? arg(l, 2) : 8;
            boolean upper = n < 0;
            if (n < 0) n = -n;
            if (n > 8) n = 8;
            String h = String.format(upper ? "%08X" : "%08x", x);
            l.setTop(0);
            l.push(h.substring(8 - n));
            return 1;
        });
    }

    /** Lua number to int as LuaBitOp does: modulo 2^32 of the rounded value. */
    private static int arg(Lua l, int i) {
        double d = l.toNumber(i);
        return (int) (long) Math.rint(d);
    }

    private static int ret(Lua l, int v) {
        l.setTop(0);
        l.push((double) v);
        return 1;
    }

    private static int fold(Lua l, int op) {
        int acc = arg(l, 1);
        for (int i = 2; i <= l.getTop(); i++) {
            int v = arg(l, i);
            acc = op == 0 ? acc & v : op == 1 ? acc | v : acc ^ v;
        }
        return ret(l, acc);
    }

    // ---- cjson ----

    static void installCjson(Lua L, LuaVm vm) {
        RedisApi.fn(L, "encode", l -> {
            vm.on(l);
            if (l.getTop() != 1) return vm.raise("bad argument #1 to 'encode' (expected 1 argument)");
            StringBuilder sb = new StringBuilder();
            String err = encode(vm, l, 1, sb, 0);
            if (err != null) return luaError(l, err);
            l.setTop(0);
            vm.pushBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            return 1;
        });
        RedisApi.fn(L, "decode", l -> {
            vm.on(l);
            if (l.getTop() != 1) return vm.raise("bad argument #1 to 'decode' (expected 1 argument)");
            byte[] s = vm.bytesAt(1);
            l.setTop(0);
            if (s == null) {
                l.push("bad argument #1 to 'decode' (string expected, got " + l.type(1) + ")");
                return -1;
            }
            JsonReader r = new JsonReader(vm, l, s);
            String err = r.decodeTop();
            if (err != null) return luaError(l, err);
            return 1;
        });
        pushNull(L);
        L.setField(-2, "null");
    }

    /** Raises msg prefixed with the calling script's position, as luaL_error does. */
    static int luaError(Lua l, String msg) {
        l.setTop(0);
        ((Lua51Natives) l.getLuaNatives()).luaL_where(l.getPointer(), 1);
        l.push(msg);
        l.concat(2);
        return -1;
    }

    static void pushNull(Lua l) {
        ((Lua51Natives) l.getLuaNatives()).lua_pushlightuserdata(l.getPointer(), 0);
    }

    /** Appends JSON for the value at idx (strings as ISO-8859-1 chars = raw bytes); returns an error text or null. */
    private static String encode(LuaVm vm, Lua l, int idx, StringBuilder sb, int depth) {
        if (idx < 0) idx = l.getTop() + idx + 1;
        switch (l.type(idx)) {
            case NIL -> sb.append("null");
            case BOOLEAN -> sb.append(l.toBoolean(idx) ? "true" : "false");
            case NUMBER -> {
                double d = l.toNumber(idx);
                if (Double.isNaN(d) || Double.isInfinite(d)) return "Cannot serialise number: must not be NaN or Inf";
                sb.append(fmt14g(d));
            }
            case STRING -> quote(vm.bytesAt(idx), sb);
            case LIGHTUSERDATA -> sb.append("null");
            case TABLE -> {
                if (depth >= 1000) return "Cannot serialise, excessive nesting (1001)";
                l.checkStack(4);
                int max = 0;
                int items = 0;
                boolean array = true;
                l.pushNil();
                while (l.next(idx) != 0) {
                    items++;
                    if (array && l.type(-2) == Lua.LuaType.NUMBER) {
                        double k = l.toNumber(-2);
                        if (k >= 1 && k == Math.floor(k)) max = (int) Math.max(max, k);
                        else array = false;
                    } else {
                        array = false;
                    }
                    l.pop(1);
                }
                // lua-cjson's default: arrays may be sparse up to ratio 2 beyond 10 items.
                if (array && max > 10 && max > items * 2) return "Cannot serialise table: excessively sparse array";
                if (array && items > 0) {
                    sb.append('[');
                    for (int i = 1; i <= max; i++) {
                        if (i > 1) sb.append(',');
                        l.rawGetI(idx, i);
                        String err = encode(vm, l, -1, sb, depth + 1);
                        l.pop(1);
                        if (err != null) return err;
                    }
                    sb.append(']');
                } else {
                    sb.append('{');
                    boolean first = true;
                    l.pushNil();
                    while (l.next(idx) != 0) {
                        if (!first) sb.append(',');
                        first = false;
                        Lua.LuaType kt = l.type(-2);
                        if (kt == Lua.LuaType.STRING) {
                            quote(vm.bytesAt(-2), sb);
                        } else if (kt == Lua.LuaType.NUMBER) {
                            sb.append('"').append(fmt14g(l.toNumber(-2))).append('"');
                        } else {
                            l.pop(2);
                            return "Cannot serialise " + typeName(kt) + ": table key must be a number or string";
                        }
                        sb.append(':');
                        String err = encode(vm, l, -1, sb, depth + 1);
                        if (err != null) {
                            l.pop(2);
                            return err;
                        }
                        l.pop(1);
                    }
                    sb.append('}');
                }
            }
            default -> {
                return "Cannot serialise " + typeName(l.type(idx)) + ": type not supported";
            }
        }
        return null;
    }

    private static String typeName(Lua.LuaType t) {
        return switch (t) {
            case FUNCTION -> "function";
            case USERDATA -> "userdata";
            case THREAD -> "thread";
            case TABLE -> "table";
            case BOOLEAN -> "boolean";
            default -> t.name().toLowerCase();
        };
    }

    private static void quote(byte[] b, StringBuilder sb) {
        sb.append('"');
        for (byte x : b) {
            int c = x & 0xff;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '/' -> sb.append("\\/");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", c));
                    else sb.append((char) c);
                }
            }
        }
        sb.append('"');
    }

    /** C's printf("%.14g"), which is how Lua 5.1 and cjson print numbers. */
    static String fmt14g(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d == 0 && 1 / d < 0 ? "-0" : Long.toString((long) d);
        }
        BigDecimal bd = new BigDecimal(d).round(new MathContext(14));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 14) {
            BigDecimal mant = bd.movePointLeft(exp).stripTrailingZeros();
            String m = mant.toPlainString();
            return m + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return bd.stripTrailingZeros().toPlainString();
    }

    /** A JSON parser pushing Lua values directly. */
    private static final class JsonReader {
        private final LuaVm vm;
        private final Lua l;
        private final byte[] s;
        private int p;

        JsonReader(LuaVm vm, Lua l, byte[] s) {
            this.vm = vm;
            this.l = l;
            this.s = s;
        }

        String decodeTop() {
            try {
                skip();
                value(0);
                skip();
                if (p < s.length) throw error("the end", tokenName());
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }

        private IllegalArgumentException error(String expected, String found) {
            return new IllegalArgumentException("Expected " + expected + " but found " + found + " at character " + (p + 1));
        }

        private String tokenName() {
            if (p >= s.length) return "T_END";
            return switch (s[p]) {
                case '{' -> "T_OBJ_BEGIN";
                case '}' -> "T_OBJ_END";
                case '[' -> "T_ARR_BEGIN";
                case ']' -> "T_ARR_END";
                case ',' -> "T_COMMA";
                case ':' -> "T_COLON";
                case '"' -> "T_STRING";
                default -> "invalid token";
            };
        }

        private void skip() {
            while (p < s.length && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r')) p++;
        }

        private void value(int depth) {
            if (depth > 1000) throw new IllegalArgumentException("Found too many nested data structures (1001) at character " + (p + 1));
            l.checkStack(4);
            if (p >= s.length) throw error("value", "T_END");
            byte c = s[p];
            switch (c) {
                case '{' -> {
                    p++;
                    l.newTable();
                    skip();
                    if (p < s.length && s[p] == '}') {
                        p++;
                        return;
                    }
                    while (true) {
                        skip();
                        if (p >= s.length || s[p] != '"') throw error("object key string", tokenName());
                        vm.pushBytes(string());
                        skip();
                        if (p >= s.length || s[p] != ':') throw error("colon", tokenName());
                        p++;
                        skip();
                        value(depth + 1);
                        l.rawSet(-3);
                        skip();
                        if (p < s.length && s[p] == ',') {
                            p++;
                            continue;
                        }
                        if (p < s.length && s[p] == '}') {
                            p++;
                            return;
                        }
                        throw error("comma or object end", tokenName());
                    }
                }
                case '[' -> {
                    p++;
                    l.newTable();
                    skip();
                    if (p < s.length && s[p] == ']') {
                        p++;
                        return;
                    }
                    for (int i = 1; ; i++) {
                        skip();
                        value(depth + 1);
                        l.rawSetI(-2, i);
                        skip();
                        if (p < s.length && s[p] == ',') {
                            p++;
                            continue;
                        }
                        if (p < s.length && s[p] == ']') {
                            p++;
                            return;
                        }
                        throw error("comma or array end", tokenName());
                    }
                }
                case '"' -> vm.pushBytes(string());
                case 't' -> literal("true", () -> l.push(true));
                case 'f' -> literal("false", () -> l.push(false));
                case 'n' -> literal("null", () -> pushNull(l));
                default -> {
                    int start = p;
                    while (p < s.length && "+-0123456789.eE".indexOf(s[p]) >= 0) p++;
                    if (start == p) throw error("value", tokenName());
                    try {
                        l.push(Double.parseDouble(new String(s, start, p - start, StandardCharsets.US_ASCII)));
                    } catch (NumberFormatException e) {
                        p = start;
                        throw error("value", "invalid number");
                    }
                }
            }
        }

        private void literal(String word, Runnable push) {
            byte[] w = word.getBytes(StandardCharsets.US_ASCII);
            if (p + w.length > s.length) throw error("value", "invalid token");
            for (int i = 0; i < w.length; i++) if (s[p + i] != w[i]) throw error("value", "invalid token");
            p += w.length;
            push.run();
        }

        private byte[] string() {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            p++;
            while (true) {
                if (p >= s.length) throw error("value", "unexpected end of string");
                byte c = s[p++];
                if (c == '"') return out.toByteArray();
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (p >= s.length) throw error("value", "invalid escape code");
                byte e = s[p++];
                switch (e) {
                    case '"', '\\', '/' -> out.write(e);
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> {
                        int cp = hex4();
                        if (cp >= 0xD800 && cp < 0xDC00 && p + 6 <= s.length && s[p] == '\\' && s[p + 1] == 'u') {
                            p += 2;
                            int lo = hex4();
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        }
                        byte[] u = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                        out.write(u, 0, u.length);
                    }
                    default -> throw error("value", "invalid escape code");
                }
            }
        }

        private int hex4() {
            if (p + 4 > s.length) throw error("value", "invalid unicode escape code");
            int v = Integer.parseInt(new String(s, p, 4, StandardCharsets.US_ASCII), 16);
            p += 4;
            return v;
        }
    }

    /** Lua's luaL_typename for argument i ("no value" past the top). */
    static String argType(Lua l, int i) {
        if (i > l.getTop()) return "no value";
        Lua.LuaType t = l.type(i);
        return t == null ? "no value" : switch (t) {
            case NIL -> "nil";
            case BOOLEAN -> "boolean";
            case NUMBER -> "number";
            case STRING -> "string";
            case TABLE -> "table";
            case FUNCTION -> "function";
            case THREAD -> "thread";
            default -> "userdata";
        };
    }

    /** luaL_argerror's text, raised without a position (the caller is a C function). */
    static int argError(Lua l, int arg, String fn, String msg) {
        return luaError(l, "bad argument #" + arg + " to '" + fn + "' (" + msg + ")");
    }
}
