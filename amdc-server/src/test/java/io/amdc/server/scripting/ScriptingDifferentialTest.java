package io.amdc.server.scripting;

import io.amdc.server.testing.DifferentialSuite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


/** The same scripts on AMDC and redis-server 7.0: replies, conversions and error texts byte for byte. */
class ScriptingDifferentialTest extends DifferentialSuite {

    @BeforeEach
    void clear() {
        if (d != null) {
            d.mismatches().clear();
            d.run("FLUSHALL");
            d.run("SCRIPT", "FLUSH");
            d.run("FUNCTION", "FLUSH");
        }
    }

    private static void eval(String script, String... keysAndArgs) {
        Object[] cmd = new Object[2 + keysAndArgs.length];
        cmd[0] = "EVAL";
        cmd[1] = script;
        System.arraycopy(keysAndArgs, 0, cmd, 2, keysAndArgs.length);
        d.run(cmd);
    }

    @Test
    void conversionsResp2() {
        for (String s : new String[]{"return 1", "return 3.99", "return -3.99", "return 'x'", "return true", "return false",
                "return nil", "return {1,2,3,'a',nil,4}", "return {true,false,1}", "return {}", "return {{1,{2}},'x'}",
                "return {ok='fine'}", "return {err='X y'}", "return {err='-boom x'}", "return redis.status_reply('fine')",
                "return redis.error_reply('MY boom')", "return redis.error_reply('boom')", "return {double=3.5}",
                "return {map={a=1}}", "return {set={a=true}}", "return {big_number='123'}",
                "redis.setresp(3) return true", "redis.setresp(3) return false", "return 1e20", "return 0/0 == 0/0",
                "return string.rep('\\0\\1\\2\\255', 3)", "return redis.sha1hex('')", "return redis.sha1hex('abc')",
                "return tostring(1.5)", "return tostring(1e100)", "return redis.replicate_commands()",
                "return {redis.REPL_ALL, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_NONE}",
                "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}",
                "return redis.log(redis.LOG_WARNING, 'from a test')", "return redis.set_repl(redis.REPL_ALL)"}) {
            eval(s, "0");
        }
        d.assertSame();
    }

    @Test
    void redisCallConversions() {
        d.runAll("HSET h f v", "RPUSH l a b c", "SET s str", "ZADD z 1.5 m");
        for (String s : new String[]{"return redis.call('get','s')", "return redis.call('get','nokey')",
                "return type(redis.call('get','nokey'))", "return redis.call('hgetall','h')", "return redis.call('lrange','l',0,-1)",
                "return redis.call('incr','cnt')", "return redis.call('set','a','b')", "return redis.call('ping')",
                "return type(redis.call('ping'))", "return redis.call('ping').ok", "return redis.call('zscore','z','m')",
                "redis.setresp(3) return redis.call('hgetall','h')", "redis.setresp(3) return type(redis.call('hgetall','h').map)",
                "redis.setresp(3) return type(redis.call('get','nokey'))", "redis.setresp(3) return redis.call('zscore','z','m')",
                "redis.setresp(3) return redis.call('zscore','z','m').double", "return redis.call('get', 1.5)",
                "return redis.call('echo', 12)", "return redis.pcall('incr','s')", "return redis.pcall('incr','s').err",
                "return redis.call('incr','s')", "return redis.call('nosuch')", "return redis.pcall('nosuch')",
                "return redis.call('get')", "return redis.pcall('get')", "return redis.call()", "return redis.pcall()",
                "return redis.call('get', {})", "return redis.call('get', nil)", "return redis.call('eval','return 1','0')",
                "return redis.call('script','kill')", "return redis.call('function','load','x')",
                "return redis.call('client','nosuch')", "return redis.call('config','set','x')",
                "return redis.call('set','x','y','zz')", "return redis.call('select', 1)",
                "redis.call('select', 1) redis.call('set','indb1','v') return redis.call('get','indb1')"}) {
            eval(s, "0");
        }
        d.assertSame();
    }

    @Test
    void keysArgsAndNumkeys() {
        eval("return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}", "2", "k1", "k2", "a1", "a2");
        eval("return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v");
        eval("return redis.call('get', KEYS[1])", "1", "k");
        eval("return 1", "-1");
        eval("return 1", "2", "a");
        eval("return 1", "x");
        eval("return #KEYS", "0");
        d.run("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0");
        d.run("EVALSHA", "short", "0");
        d.run("SCRIPT", "LOAD", "return 'loaded'");
        d.run("EVALSHA", "f3ef1de76a1d3ab1ebd4c4c3a4c79ee1ab8a17a1", "0");
        d.run("SCRIPT", "EXISTS", "f3ef1de76a1d3ab1ebd4c4c3a4c79ee1ab8a17a1", "ffffffffffffffffffffffffffffffffffffffff");
        d.run("SCRIPT", "FLUSH", "ASYNC");
        d.run("SCRIPT", "FLUSH", "bad");
        d.run("SCRIPT", "EXISTS", "f3ef1de76a1d3ab1ebd4c4c3a4c79ee1ab8a17a1");
        d.run("SCRIPT", "KILL");
        d.run("SCRIPT", "HELP");
        d.run("EVAL_RO", "return redis.call('get','k')", "0");
        d.run("EVAL_RO", "return redis.call('set','k','v')", "0");
        d.assertSame();
    }

    @Test
    void errorsAndSandbox() {
        for (String s : new String[]{"return a", "a=1", "x = = 1", "error('x')", "error({err='MY thing'})", "error()",
                "error(1)", "rawset(_G,'a',1)", "redis.call = 1", "string.x = 1", "return tostring(print)",
                "return type(setfenv)", "return type(getfenv)", "return type(newproxy)", "return type(module)",
                "return type(dofile)", "return type(loadfile)", "return type(require)", "return type(debug)",
                "return type(io)", "return type(package)", "return type(java)", "return type(luajava)",
                "return type(collectgarbage)", "return type(coroutine)", "return type(unpack)", "return type(load)",
                "return type(loadstring)", "return type(bit)", "return type(cjson)", "return type(_G)",
                "return loadstring(string.dump(function() return 1 end))", "return string.dump",
                "return loadstring('return 1 + 1')()", "local f = loadstring('return zz') return f()",
                "return redis.setresp(4)", "return redis.log(99,'x')", "return redis.log(redis.LOG_WARNING)",
                "return redis.set_repl(99)", "return redis.error_reply(1)", "return redis.status_reply()",
                "local t = redis.error_reply('x') return t.err", "return pcall(error, 'x')",
                "local ok, e = pcall(function() return redis.call('nosuch') end) return e.err",
                "local ok, e = pcall(function() return redis.call('incr', 'k') end) return {ok and 1 or 0, e}",
                "return getmetatable('').__index",
                "#!lua flags=no-writes\nreturn redis.call('set','a','b')", "#!lua flags=no-writes\nreturn 1",
                "#!lua flags=bad\nreturn 1", "#!luax\nreturn 1", "#!lua\nreturn redis.call('set','a','b')",
                "#!lua flags=allow-cross-slot-keys,allow-oom\nreturn redis.call('set','a','b')",
                "return\n1 +", "local x = 1\nlocal y = nil + x\nreturn y"}) {
            eval(s, "0");
        }
        d.run("EVAL_RO", "#!lua\nreturn 1", "0");
        d.assertSame();
    }

    @Test
    void bitAndCjson() {
        for (String s : new String[]{"return bit.band(0xff, 0x0f)", "return bit.bor(1, 2, 4)", "return bit.bxor(5, 3)",
                "return bit.bnot(0)", "return bit.lshift(1, 31)", "return bit.rshift(-1, 28)", "return bit.arshift(-256, 4)",
                "return bit.rol(0x12345678, 8)", "return bit.ror(0x12345678, 8)", "return bit.bswap(0x12345678)",
                "return bit.tohex(255)", "return bit.tohex(-1, -4)", "return bit.tobit(2^32 + 5)",
                "return cjson.encode({1,2,{a=1}})", "return cjson.encode('a/b\"c\\n')", "return cjson.encode({})",
                "return cjson.encode(1.5)", "return cjson.encode(true)", "return cjson.encode({[1]=1,[3]=3})",
                "return cjson.encode({1e300, 0.1, -7})", "return cjson.encode({a={b={c='d'}}})",
                "return cjson.decode('[1,2,3]')", "return cjson.decode('{\"a\":[1,\"x\",true]}').a",
                "return cjson.decode('\"\\\\u00e9\"')", "return cjson.decode('3.25') * 4",
                "return type(cjson.decode('null'))", "return cjson.encode(cjson.decode('{\"k\":\"v\"}'))",
                "return cjson.decode('[1,2')"}) {
            eval(s, "0");
        }
        d.assertSame();
    }

    @Test
    void functions() {
        String lib = "#!lua name=lib\n"
                + "redis.register_function('f1', function(keys, args) return redis.call('nosuch') end)\n"
                + "redis.register_function{function_name='f2', callback=function(k, a) return {k[1], a[1]} end, flags={'no-writes'}}\n"
                + "redis.register_function('f3', function(keys, args) error('oops') end)\n"
                + "redis.register_function('incr', function(keys, args) return redis.call('incrby', keys[1], args[1]) end)\n";
        d.run("FUNCTION", "LOAD", lib);
        d.run("FUNCTION", "LOAD", lib);
        d.run("FUNCTION", "LOAD", "REPLACE", lib);
        d.run("FCALL", "f1", "0");
        d.run("FCALL", "f2", "1", "k", "x");
        d.run("FCALL_RO", "f2", "1", "k", "x");
        d.run("FCALL", "f3", "0");
        d.run("FCALL", "incr", "1", "c", "5");
        d.run("FCALL", "incr", "1", "c", "5");
        d.run("FCALL_RO", "incr", "1", "c", "5");
        d.run("FCALL", "nosuch", "0");
        // Libraries and functions list in hash order in Redis: compare a one-function library.
        d.run("FUNCTION", "LOAD", "#!lua name=single\nredis.register_function{function_name='one', "
                + "callback=function() return 1 end, flags={'no-writes', 'allow-stale'}, description='the one'}");
        d.run("FUNCTION", "LIST", "LIBRARYNAME", "sing*");
        d.run("FUNCTION", "LIST", "LIBRARYNAME", "zz*");
        d.run("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "single");
        d.run("FCALL_RO", "one", "0");
        d.run("FUNCTION", "LOAD", "return 1");
        d.run("FUNCTION", "LOAD", "#!lua name=empty\nlocal x = 1");
        d.run("FUNCTION", "LOAD", "#!lua name=other\nredis.register_function('f1', function() return 1 end)");
        d.run("FUNCTION", "DELETE", "nosuch");
        d.run("FUNCTION", "DELETE", "lib");
        d.run("FCALL", "f2", "0");
        d.run("FUNCTION", "LIST");
        d.assertSame();
    }
}
