package io.amdc.core.scripting;

import io.netty.buffer.ByteBuf;
import party.iroiro.luajava.Lua;

import java.nio.charset.StandardCharsets;

/**
 * Converts one command reply (RESP2 or RESP3 bytes from the script client) into a Lua value on
 * the stack, by Redis's documented rules: integer -> number, bulk -> string, null bulk/array ->
 * false (RESP2) or nil (RESP3 null), array -> table, status -> {ok=}, error -> {err=}, map ->
 * {map=}, set -> {set=}, double -> {double=}, boolean -> boolean, big number -> {big_number=},
 * verbatim -> {verbatim_string={format=, string=}}.
 */
final class RespToLua {
    private RespToLua() {
    }

    static void push(LuaVm vm, ByteBuf buf) {
        value(vm, vm.lua(), buf);
    }

    private static void value(LuaVm vm, Lua l, ByteBuf b) {
        l.checkStack(4);
        byte type = b.readByte();
        switch (type) {
            case '+' -> {
                l.newTable();
                vm.pushBytes(line(b));
                l.setField(-2, "ok");
            }
            case '-' -> {
                l.newTable();
                vm.pushBytes(line(b));
                l.setField(-2, "err");
            }
            case ':' -> l.push((double) Long.parseLong(ascii(line(b))));
            case '$' -> {
                long n = Long.parseLong(ascii(line(b)));
                if (n < 0) {
                    l.push(false);
                } else {
                    byte[] s = new byte[(int) n];
                    b.readBytes(s);
                    b.skipBytes(2);
                    vm.pushBytes(s);
                }
            }
            case '*', '~', '>' -> {
                long n = Long.parseLong(ascii(line(b)));
                if (n < 0) {
                    l.push(false);
                    return;
                }
                if (type == '~') {
                    l.newTable();
                    l.newTable();
                    for (int i = 0; i < n; i++) {
                        value(vm, l, b);
                        l.push(true);
                        l.rawSet(-3);
                    }
                    l.setField(-2, "set");
                    return;
                }
                l.createTable((int) n, 0);
                for (int i = 1; i <= n; i++) {
                    value(vm, l, b);
                    l.rawSetI(-2, i);
                }
            }
            case '%' -> {
                long n = Long.parseLong(ascii(line(b)));
                l.newTable();
                l.newTable();
                for (int i = 0; i < n; i++) {
                    value(vm, l, b);
                    value(vm, l, b);
                    l.rawSet(-3);
                }
                l.setField(-2, "map");
            }
            case '_' -> {
                line(b);
                l.pushNil();
            }
            case '#' -> l.push(line(b)[0] == 't');
            case ',' -> {
                String s = ascii(line(b));
                double d = switch (s) {
                    case "inf" -> Double.POSITIVE_INFINITY;
                    case "-inf" -> Double.NEGATIVE_INFINITY;
                    case "nan" -> Double.NaN;
                    default -> Double.parseDouble(s);
                };
                l.newTable();
                l.push(d);
                l.setField(-2, "double");
            }
            case '(' -> {
                l.newTable();
                vm.pushBytes(line(b));
                l.setField(-2, "big_number");
            }
            case '=' -> {
                long n = Long.parseLong(ascii(line(b)));
                byte[] s = new byte[(int) n];
                b.readBytes(s);
                b.skipBytes(2);
                l.newTable();
                l.newTable();
                vm.pushBytes(s, 0, Math.min(3, s.length));
                l.setField(-2, "format");
                vm.pushBytes(s, Math.min(4, s.length), Math.max(0, s.length - 4));
                l.setField(-2, "string");
                l.setField(-2, "verbatim_string");
            }
            default -> throw new IllegalStateException("unexpected reply type " + (char) type);
        }
    }

    private static byte[] line(ByteBuf b) {
        int start = b.readerIndex();
        int end = b.indexOf(start, b.writerIndex(), (byte) '\r');
        byte[] s = new byte[end - start];
        b.readBytes(s);
        b.skipBytes(2);
        return s;
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
