package io.amdc.server.scripting;

import io.amdc.server.testing.DifferentialSuite;
import org.junit.jupiter.api.Test;

import java.util.Random;


/** The struct library scripts see: byte-identical to redis-server for packing, unpacking, sizes and errors. */
class LuaStructDifferentialTest extends DifferentialSuite {

    /** Evaluates expr (Lua values) and returns them as strings so doubles survive the reply. */
    private static void eval(String expr) {
        d.run("EVAL", "local t = {" + expr + "} for i = 1, #t do t[i] = tostring(t[i]) end return t", "0");
    }

    @Test
    void packMatchesRedis() {
        String[] cases = {
                "struct.pack('b', -1)", "struct.pack('B', 255)", "struct.pack('>h', 258)", "struct.pack('<h', 258)",
                "struct.pack('=H', 65535)", "struct.pack('>i', -2)", "struct.pack('<I', 4294967295)",
                "struct.pack('>l', -3)", "struct.pack('<L', 2^53)", "struct.pack('>T', 7)", "struct.pack('i3', 70000)",
                "struct.pack('>I16', 1)", "struct.pack('<i16', -1)", "struct.pack('>f', 1.5)", "struct.pack('<d', -0.1)",
                "struct.pack('c0', 'hello')", "struct.pack('c3', 'hello')", "struct.pack('s', 'abc')",
                "struct.pack('Bc0I', 5, 'hello', 9)", "struct.pack('!4 b i', 1, 2)", "struct.pack('!bxh', 1, 2)",
                "struct.pack('!2 b d', 1, 2)", "struct.pack('>!8 b l b L', 1, 2, 3, 4)", "struct.pack('xxb', 1)",
                "struct.pack('i', '12')", "struct.pack('c0', 12)", "struct.pack('>I', 2^32 + 5)", "struct.pack('<i', 3.9)",
                "struct.pack('<l', -2^63)", "struct.pack('<L', 2^64 - 2048)", "struct.pack('')",
                "struct.pack('!4 i3 i3', 1, 2)", "struct.pack('!8 s i3', 'ab', 1)", "struct.pack('!2 b i3', 1, 2)",
                // errors
                "struct.pack('z', 1)", "struct.pack('i', 'x')", "struct.pack('i')", "struct.pack('c5', 'abc')",
                "struct.pack('i33', 1)", "struct.pack('!3 i', 1)", "struct.pack('!4 i3', 1)", "struct.pack(nil)",
                "struct.pack('i99999999999', 1)", "struct.pack('s', {})",
        };
        for (String c : cases) eval(c);
        d.assertSame();
    }

    @Test
    void unpackAndSizeMatchRedis() {
        String[] cases = {
                "struct.unpack('b', '\\255')", "struct.unpack('B', '\\255')", "struct.unpack('>h', '\\1\\2')",
                "struct.unpack('<H', '\\255\\255')", "struct.unpack('>i', '\\255\\255\\255\\254')",
                "struct.unpack('<I', '\\255\\255\\255\\255')", "struct.unpack('>l', struct.pack('>l', -5))",
                "struct.unpack('<L', struct.pack('<L', 2^63 + 2^20))", "struct.unpack('i3', struct.pack('i3', -70000))",
                "struct.unpack('<f', struct.pack('<f', 0.1))", "struct.unpack('>d', struct.pack('>d', 1e300))",
                "struct.unpack('Bc0I', struct.pack('Bc0I', 5, 'hello', 9))", "struct.unpack('s', 'ab\\0cd')",
                "struct.unpack('c2', 'abcd', 3)", "struct.unpack('b', 'abc', 3)", "struct.unpack('!4 b i', struct.pack('!4 b i', 1, 2))",
                "struct.unpack('xxb', '\\0\\0\\7')", "struct.unpack('', 'abc')", "struct.unpack('c0', 'abc')",
                "struct.unpack('>I16', struct.pack('>I16', 12345))",
                // errors
                "struct.unpack('i', 'ab')", "struct.unpack('s', 'abc')", "struct.unpack('z', 'abc')",
                "struct.unpack('b', 'abc', 0)", "struct.unpack('b', 'abc', 5)", "struct.unpack('b', 'abc', 4)",
                "struct.unpack('Bc0', '\\9ab')", "struct.unpack('b')", "struct.unpack('sc0', 'a\\0b')",
                "struct.size('b')", "struct.size('!8 b d')", "struct.size('>i I16 h')", "struct.size('c7')",
                "struct.size('bxb')", "struct.size('s')", "struct.size('c0')", "struct.size('bz')", "struct.size('%')",
                "struct.size('!3')", "struct.unpack('b', 'abc', -5)", "struct.unpack('b', 'abc', 2.7)",
                "struct.unpack('', 'abc', 10)", "struct.size('!4 b i3')", "struct.size('!8 b i5')",
        };
        for (String c : cases) eval(c);
        d.assertSame();
    }

    /** Random records round-trip identically: same packed bytes, same unpacked values. */
    @Test
    void randomRecordsMatchRedis() {
        Random r = new Random(42);
        String[] ints = {"b", "B", "h", "H", "i", "I", "l", "L", "T", "i3", "I5", "i7", "I2"};
        for (int round = 0; round < 60; round++) {
            StringBuilder fmt = new StringBuilder(r.nextBoolean() ? ">" : "<");
            if (r.nextInt(3) == 0) fmt.append('!').append(1 << r.nextInt(4));
            StringBuilder args = new StringBuilder();
            int n = 1 + r.nextInt(6);
            for (int i = 0; i < n; i++) {
                switch (r.nextInt(5)) {
                    case 0 -> {
                        fmt.append("d");
                        args.append(", ").append(r.nextGaussian() * 1e6);
                    }
                    case 1 -> {
                        fmt.append("c0");
                        args.append(", 'x").append(r.nextInt(1000)).append("'");
                    }
                    case 2 -> {
                        fmt.append("s");
                        args.append(", 'str").append(i).append("'");
                    }
                    default -> {
                        fmt.append(ints[r.nextInt(ints.length)]);
                        args.append(", ").append(r.nextInt(200) - 100);
                    }
                }
            }
            String pack = "struct.pack('" + fmt + "'" + args + ")";
            eval(pack);
            eval("struct.unpack('" + fmt.toString().replace("c0", "c4") + "', " + pack + " .. string.rep('\\0', 8))");
        }
        d.assertSame();
    }
}
