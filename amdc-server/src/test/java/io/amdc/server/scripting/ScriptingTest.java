package io.amdc.server.scripting;

import io.amdc.server.testing.AmdcServer;
import io.amdc.server.testing.RawClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scripting over the socket with Jedis: API, RESP3, busy/kill, atomicity, a Redisson-style lock. */
class ScriptingTest {
    private static AmdcServer server;

    @BeforeAll
    static void start() {
        // Several I/O threads: the busy tests need clients on other event loops than the script's.
        server = AmdcServer.start("io-threads 4", "busy-reply-threshold 100");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Jedis jedis() {
        return new Jedis(server.host(), server.port());
    }

    @Test
    void evalAndEvalshaWithKeysAndArgs() {
        try (Jedis j = jedis()) {
            String sha = j.scriptLoad("return redis.call('incr', KEYS[1])");
            assertThat(j.evalsha(sha, 1, "ctr")).isEqualTo(1L);
            assertThat(j.evalsha(sha, 1, "ctr")).isEqualTo(2L);
            assertThat(j.scriptExists(sha)).isTrue();
            assertThat(j.eval("return {KEYS[1], ARGV[1], ARGV[2]}", 1, "k", "a", "b")).isEqualTo(List.of("k", "a", "b"));
            j.scriptFlush();
            assertThatThrownBy(() -> j.evalsha(sha, 1, "ctr")).hasMessage("NOSCRIPT No matching script. Please use EVAL.");
        }
    }

    @Test
    void binaryValuesRoundTrip() {
        try (Jedis j = jedis()) {
            byte[] v = new byte[256];
            for (int i = 0; i < 256; i++) v[i] = (byte) i;
            j.set("bin".getBytes(), v);
            Object got = j.eval("return redis.call('get', KEYS[1])".getBytes(), 1, "bin".getBytes());
            assertThat((byte[]) got).isEqualTo(v);
            j.eval("return redis.call('set', KEYS[1], ARGV[1])".getBytes(), 1, "bin2".getBytes(), v);
            assertThat(j.get("bin2".getBytes())).isEqualTo(v);
            assertThat(j.eval("return #ARGV[1]".getBytes(), 0, v)).isEqualTo(256L);
        }
    }

    @Test
    void resp3Conversions() {
        try (RawClient c = server.client()) {
            c.call("HELLO", "3");
            c.call("HSET", "r3h", "f", "v");
            assertThat(c.call("EVAL", "redis.setresp(3) return redis.call('hgetall', KEYS[1])", "1", "r3h"))
                    .contains("f").contains("v");
            String raw = new String(c.callRaw("EVAL", "redis.setresp(3) return redis.call('hgetall', KEYS[1])", "1", "r3h"));
            assertThat(raw).startsWith("%1");
            assertThat(new String(c.callRaw("EVAL", "redis.setresp(3) return true", "0"))).isEqualTo("#t\r\n");
            assertThat(new String(c.callRaw("EVAL", "return {double=3.5}", "0"))).isEqualTo(",3.5\r\n");
            assertThat(new String(c.callRaw("EVAL", "return {big_number='1234567890123456789012'}", "0")))
                    .isEqualTo("(1234567890123456789012\r\n");
            assertThat(new String(c.callRaw("EVAL", "return nil", "0"))).isEqualTo("_\r\n");
            assertThat(new String(c.callRaw("EVAL", "redis.setresp(3) return redis.call('get','nokey') == nil", "0")))
                    .isEqualTo("#t\r\n");
        }
    }

    @Test
    void sandboxRefusesEscapes() {
        try (Jedis j = jedis()) {
            for (String s : new String[]{"return io.open('/etc/passwd')", "return os.execute('true')",
                    "return require('os')", "return debug.getinfo(1)", "return package.loadlib",
                    "return java.import('java.lang.System')", "return luajava", "return __jthrowable__ == nil and 1 or 0",
                    "return loadstring(string.dump(function() return 1 end))", "return setfenv(1, {})"}) {
                Object r;
                try {
                    r = j.eval(s);
                } catch (JedisDataException e) {
                    continue;
                }
                assertThat(r).as(s).isIn(null, 1L);
            }
            assertThat(j.eval("return type(os.clock())")).isEqualTo("number");
            // LuaJava's glue variable: writes vanish, reads are nil, so no Java object can reach a script.
            assertThat(j.eval("__jthrowable__ = 1; return __jthrowable__")).isNull();
        }
    }

    @Test
    void busyScriptCanBeKilled() throws Exception {
        try (Jedis a = jedis(); Jedis b = jedis(); Jedis c = jedis()) {
            b.set("busykey", "1");
            assertThatThrownBy(b::scriptKill).hasMessageStartingWith("NOTBUSY No scripts in execution right now.");
            a.ping();
            c.ping();
            CompletableFuture<Object> run = new CompletableFuture<>();
            new Thread(() -> {
                try {
                    run.complete(a.eval("local i = 0 while true do i = i + 1 end"));
                } catch (Exception e) {
                    run.complete(e);
                }
            }).start();
            long deadline = System.currentTimeMillis() + 5000;
            String busy = null;
            while (System.currentTimeMillis() < deadline) {
                try {
                    b.get("busykey");
                    Thread.sleep(20);
                } catch (JedisDataException e) {
                    busy = e.getMessage();
                    break;
                }
            }
            assertThat(busy).isEqualTo("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
            assertThat(c.scriptKill()).isEqualTo("OK");
            Object r = run.get(5, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(JedisDataException.class);
            assertThat(((Exception) r).getMessage()).startsWith("ERR Script killed by user with SCRIPT KILL...");
            assertThat(b.get("busykey")).isEqualTo("1");
        }
    }

    @Test
    void busyWriterIsUnkillable() throws Exception {
        try (Jedis a = jedis(); Jedis b = jedis()) {
            a.ping();
            b.ping();
            CompletableFuture<Object> run = new CompletableFuture<>();
            new Thread(() -> run.complete(
                    a.eval("redis.call('set', KEYS[1], 'x') local t = redis.call('time') "
                            + "while true do local n = redis.call('time') if (n[1] - t[1]) * 1000000 + (n[2] - t[2]) > 700000 then break end end "
                            + "return 'done'", 1, "wk"))).start();
            awaitBusy(b);
            assertThatThrownBy(b::scriptKill).hasMessageStartingWith("UNKILLABLE Sorry the script already executed write commands");
            assertThat(run.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        }
    }

    private static void awaitBusy(Jedis b) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            try {
                b.get("busy-probe");
                Thread.sleep(10);
            } catch (JedisDataException e) {
                assertThat(e.getMessage()).startsWith("BUSY ");
                return;
            }
        }
        throw new AssertionError("script never became busy");
    }

    @Test
    void undeclaredKeysAndConcurrentScriptsStayAtomic() throws Exception {
        // Scripts increment a declared and an undeclared key; other clients hold slots with plain
        // commands meanwhile. Every increment must land exactly once.
        int threads = 4;
        int per = 300;
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(CompletableFuture.runAsync(() -> {
                try (Jedis j = jedis()) {
                    for (int i = 0; i < per; i++) {
                        j.eval("local v = redis.call('get', 'undeclared') or '0' "
                                + "redis.call('set', 'undeclared', tostring(tonumber(v) + 1)) "
                                + "return redis.call('incr', KEYS[1])", 1, "declared");
                        j.incr("undeclared-neighbour");
                    }
                }
            }));
        }
        for (CompletableFuture<Void> f : fs) f.get(30, TimeUnit.SECONDS);
        try (Jedis j = jedis()) {
            assertThat(j.get("declared")).isEqualTo(String.valueOf(threads * per));
            assertThat(j.get("undeclared")).isEqualTo(String.valueOf(threads * per));
        }
    }

    @Test
    void redissonLockScripts() {
        String lock = "if ((redis.call('exists', KEYS[1]) == 0) or (redis.call('hexists', KEYS[1], ARGV[2]) == 1)) then "
                + "redis.call('hincrby', KEYS[1], ARGV[2], 1); redis.call('pexpire', KEYS[1], ARGV[1]); return nil; end; "
                + "return redis.call('pttl', KEYS[1]);";
        String unlock = "if (redis.call('hexists', KEYS[1], ARGV[3]) == 0) then return nil;end; "
                + "local counter = redis.call('hincrby', KEYS[1], ARGV[3], -1); "
                + "if (counter > 0) then redis.call('pexpire', KEYS[1], ARGV[2]); return 0; "
                + "else redis.call('del', KEYS[1]); redis.call('publish', KEYS[2], ARGV[1]); return 1; end; return nil;";
        try (Jedis j = jedis()) {
            assertThat(j.eval(lock, 1, "mylock", "30000", "owner:1")).isNull();
            assertThat(j.eval(lock, 1, "mylock", "30000", "owner:1")).isNull(); // re-entrant
            Object ttl = j.eval(lock, 1, "mylock", "30000", "owner:2");
            assertThat((Long) ttl).isBetween(1L, 30000L);
            assertThat(j.hget("mylock", "owner:1")).isEqualTo("2");
            // PUBLISH may be absent on this branch; unlock up to it.
            assertThat(j.eval(unlock, 2, "mylock", "chan", "0", "30000", "owner:1")).isEqualTo(0L);
            assertThat(j.eval(unlock, 2, "mylock", "chan", "0", "30000", "owner:9")).isNull();
        }
    }

    @Test
    void functionsLoadCallListDumpRestore() {
        try (Jedis j = jedis()) {
            j.functionFlush();
            String lib = "#!lua name=mylib\nredis.register_function('myincr', function(keys, args) "
                    + "return redis.call('incrby', keys[1], args[1]) end)\n"
                    + "redis.register_function{function_name='myget', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}";
            assertThat(j.functionLoad(lib)).isEqualTo("mylib");
            assertThat(j.fcall("myincr", List.of("fk"), List.of("5"))).isEqualTo(5L);
            assertThat(j.fcallReadonly("myget", List.of("fk"), List.of())).isEqualTo("5");
            assertThatThrownBy(() -> j.fcallReadonly("myincr", List.of("fk"), List.of("1")))
                    .hasMessage("ERR Can not execute a script with write flag using *_ro command.");
            byte[] dump = j.functionDump();
            j.functionFlush();
            assertThatThrownBy(() -> j.fcall("myget", List.of("fk"), List.of())).hasMessage("ERR Function not found");
            assertThat(j.functionRestore(dump)).isEqualTo("OK");
            assertThat(j.fcall("myget", List.of("fk"), List.of())).isEqualTo("5");
            assertThat(j.functionList()).hasSize(1);
            assertThat(j.functionDelete("mylib")).isEqualTo("OK");
        }
        // Another connection (likely another I/O thread, so another Lua state) sees loaded functions.
        try (Jedis a = jedis(); Jedis b = jedis(); Jedis c = jedis()) {
            a.functionLoad("#!lua name=shared\nredis.register_function('sh', function() return 'hi' end)");
            assertThat(b.fcall("sh", List.of(), List.of())).isEqualTo("hi");
            assertThat(c.fcall("sh", List.of(), List.of())).isEqualTo("hi");
            a.functionDelete("shared");
            assertThatThrownBy(() -> b.fcall("sh", List.of(), List.of())).hasMessage("ERR Function not found");
        }
    }
}
