package io.amdc.server.scripting;

import io.amdc.server.testing.DifferentialSuite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


/** cmsgpack and struct against redis-server 7.0: packed bytes, unpacked values and errors byte for byte. */
class CmsgpackStructDifferentialTest extends DifferentialSuite {
    /** Renders any values as one string (tables with sorted keys) so unpacked results compare exactly. */
    private static final String SHOW = """
            local function show(v)
              if type(v) ~= 'table' then return type(v) .. ':' .. tostring(v) end
              local ks = {}
              for k in pairs(v) do ks[#ks + 1] = k end
              table.sort(ks, function(a, b) return tostring(a) < tostring(b) end)
              local out = {}
              for _, k in ipairs(ks) do out[#out + 1] = show(k) .. '=' .. show(v[k]) end
              return '{' .. table.concat(out, ',') .. '}'
            end
            local function all(...)
              local r = {}
              for i = 1, select('#', ...) do r[i] = show((select(i, ...))) end
              return r
            end
            """;

    @BeforeEach
    void clear() {
        if (d != null) {
            d.mismatches().clear();
            d.run("SCRIPT", "FLUSH");
        }
    }

    private static void eval(String script) {
        d.run("EVAL", SHOW + script, "0");
    }

    @Test
    void cmsgpackPack() {
        for (String v : new String[]{"nil", "true", "false", "0", "1", "127", "128", "255", "256", "65535", "65536",
                "4294967295", "4294967296", "9007199254740992", "-1", "-32", "-33", "-128", "-129", "-32768", "-32769",
                "-2147483648", "-2147483649", "-9007199254740992", "0.5", "1.1", "-2.25", "1e300", "1/0", "-1/0", "0/0",
                "2^63", "-2^63", "2^64", "3.4e38", "''", "'abc'", "string.rep('x', 31)", "string.rep('x', 32)",
                "string.rep('y', 255)", "string.rep('y', 256)", "string.rep('z', 65535)", "string.rep('z', 65536)",
                "'\\0\\1\\2\\255'", "{}", "{1,2,3}", "{1,nil,3}", "{a=1}", "{[1]=1,[3]=3}", "{[0]=1}", "{[1.5]=1}",
                "{['1']=1}", "{1,2,{3,{4,{a={b='c'}}}}}", "string.rep('a', 1)", "{x=true,y=false}",
                "(function() local t = {} for i = 1, 20 do t[i] = i * 1000 end return t end)()",
                "(function() local t = {} for i = 1, 20 do t['k' .. i] = i end return t end)()",
                "(function() local t = {} for i = 1, 70000 do t[i] = i % 3 end return t end)()",
                "(function() local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return t end)()",
                "redis.call", "coroutine.create(function() end)"}) {
            eval("return cmsgpack.pack(" + v + ")");
        }
        eval("return cmsgpack.pack(1, 'two', {3}, nil, true)");
        eval("return cmsgpack.pack()");
        d.assertSame();
    }

    @Test
    void cmsgpackUnpack() {
        for (String v : new String[]{"nil", "true", "false", "0", "300", "70000", "5000000000", "-5", "-100", "-1000",
                "-100000", "-5000000000", "0.5", "1.1", "1e300", "'abc'", "string.rep('q', 40)", "string.rep('q', 300)",
                "{}", "{1,2,3}", "{a=1,b={c={1,2}}}", "(function() local t = {} for i = 1, 20 do t[i] = i end return t end)()",
                "(function() local t = {} for i = 1, 20 do t['k' .. i] = i end return t end)()"}) {
            eval("return all(cmsgpack.unpack(cmsgpack.pack(" + v + ")))");
        }
        eval("return all(cmsgpack.unpack(cmsgpack.pack(1, 'a', {2}, true)))");
        eval("return all(cmsgpack.unpack(''))");
        eval("return all(cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255'))");
        eval("return all(cmsgpack.unpack('\\211\\128\\0\\0\\0\\0\\0\\0\\1'))");
        eval("return all(cmsgpack.unpack('\\193'))");
        eval("return all(cmsgpack.unpack('\\205\\1'))");
        eval("return all(cmsgpack.unpack('\\146\\1'))");
        eval("return all(cmsgpack.unpack('\\165abc'))");
        eval("return all(cmsgpack.unpack())");
        eval("return all(cmsgpack.unpack({}))");
        eval("return all(cmsgpack.unpack(123))");
        String three = "cmsgpack.pack(1, 'two', {3})";
        eval("return all(cmsgpack.unpack_one(" + three + "))");
        eval("return all(cmsgpack.unpack_one(" + three + ", 1))");
        eval("return all(cmsgpack.unpack_one(" + three + ", 5))");
        eval("return all(cmsgpack.unpack_one(" + three + ", 7))");
        eval("return all(cmsgpack.unpack_one(" + three + ", 8))");
        eval("return all(cmsgpack.unpack_one(" + three + ", -1))");
        eval("return all(cmsgpack.unpack_limit(" + three + ", 2))");
        eval("return all(cmsgpack.unpack_limit(" + three + ", 2, 1))");
        eval("return all(cmsgpack.unpack_limit(" + three + ", 5))");
        eval("return all(cmsgpack.unpack_limit(" + three + ", 0))");
        eval("return all(cmsgpack.unpack_limit(" + three + ", -1))");
        eval("return all(cmsgpack.unpack_limit(" + three + "))");
        d.assertSame();
    }

    @Test
    void structPackUnpackSize() {
        String[][] cases = {
                {"'b'", "-1"}, {"'B'", "200"}, {"'h'", "-2"}, {"'H'", "65535"}, {"'<h'", "258"}, {"'>h'", "258"},
                {"'l'", "-3"}, {"'L'", "123456789"}, {"'T'", "42"}, {"'i'", "-4"}, {"'I'", "4000000000"},
                {"'>i2'", "513"}, {"'<I3'", "70000"}, {"'>i8'", "-9"}, {"'i16'", "-1"}, {"'>I16'", "5"},
                {"'f'", "1.5"}, {"'>f'", "0.1"}, {"'d'", "0.1"}, {"'>d'", "-2.5"}, {"'s'", "'hello'"},
                {"'c5'", "'hello'"}, {"'c3'", "'hello'"}, {"'c0'", "'whole'"}, {"'x'", ""},
                {"'>!4 b i'", "1, 2"}, {"'!b d'", "1, 2"}, {"'!2 b h b i'", "1, 2, 3, 4"}, {"'<!8 b l'", "1, 2"},
                {"'>bhilT'", "1, 2, 3, 4, 5"}, {"'i'", "2^40"}, {"'B'", "-1"}, {"'b'", "3.7"}, {"'i'", "'12'"},
        };
        for (String[] c : cases) {
            String args = c[1].isEmpty() ? "" : ", " + c[1];
            eval("return struct.pack(" + c[0] + args + ")");
            eval("return all(struct.unpack(" + c[0] + ", struct.pack(" + c[0] + args + ")))");
        }
        for (String f : new String[]{"''", "'b'", "'bhilT'", "'!bd'", "'!4 b d'", "'i3 B'", "'c10'", "'x x'", "'>i12'",
                "'s'", "'c0'", "'q'", "'!3'", "'i33'", "'z'", "'i99999999999'"}) {
            eval("return struct.size(" + f + ")");
        }
        eval("return all(struct.unpack('i', 'ab'))");
        eval("return all(struct.unpack('b', 'abc', 2))");
        eval("return all(struct.unpack('b', 'abc', 0))");
        eval("return all(struct.unpack('b', 'abc', 5))");
        eval("return all(struct.unpack('s', 'abc'))");
        eval("return all(struct.unpack('s b', 'ab\\0c'))");
        eval("return all(struct.unpack('b c0', '\\3abcd'))");
        eval("return all(struct.unpack('c0', 'abc'))");
        eval("return all(struct.unpack('b c0', '\\9abc'))");
        eval("return all(struct.unpack('<i2 >i2 I', '\\1\\2\\1\\2\\255\\255\\255\\255'))");
        eval("return all(struct.unpack('q', 'a'))");
        eval("return struct.pack('i')");
        eval("return struct.pack('i', 'x')");
        eval("return struct.pack('c5', 'abc')");
        eval("return struct.pack('s', {})");
        eval("return struct.pack('w', 1)");
        eval("return struct.pack('!3', 1)");
        eval("return struct.pack()");
        eval("return struct.unpack('b')");
        d.assertSame();
    }
}
