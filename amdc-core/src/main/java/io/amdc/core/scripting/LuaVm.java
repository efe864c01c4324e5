package io.amdc.core.scripting;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.Flag;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.util.Bytes;
import io.amdc.resp.RespOut;
import io.netty.buffer.ByteBuf;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;
import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One Lua 5.1 state (LuaJava's bundled C Lua), owned by one thread: the sandbox, the redis.*
 * API, conversions between RESP and Lua values, and the compiled scripts and functions.
 */
final class LuaVm {
    /** Instructions between two runs of the busy/kill hook. */
    static final int HOOK_COUNT = 10_000;
    private static final String SANDBOX = loadResource("sandbox.lua");

    private final Scripting scripting;
    private final Lua L;
    /** LuaJava's natives, called directly where its wrappers add a stack check or a buffer view per value. */
    private final Lua51Natives natives;
    /** The stack being worked on: the main state, or the coroutine a Java function was called from. */
    private Lua S;
    private final ScriptClient client;
    private final int envRef;
    private final int runRef;
    private final int runEvalRef;
    private final int bindRef;
    private final int decodeRef;
    private final Map<String, Integer> scripts = new HashMap<>();
    private long scriptsGeneration;
    private final Map<String, Integer> functions = new HashMap<>();
    private long librariesVersion = -1;
    /** Set while FUNCTION LOAD runs a library's body: where redis.register_function puts things. */
    private FunctionLibrary loading;
    ScriptRun run;

    LuaVm(Scripting scripting) {
        this.scripting = scripting;
        this.client = new ScriptClient(scripting.engine());
        L = new Lua51();
        natives = (Lua51Natives) L.getLuaNatives();
        S = L;
        S.openLibraries();
        S.newTable();
        S.push(this::hook);
        S.setField(-2, "hook");
        S.newTable();
        RedisApi.install(L, this);
        S.setField(-2, "redis");
        S.newTable();
        LuaLibs.installBit(L);
        S.setField(-2, "bit");
        S.newTable();
        LuaLibs.installCjson(L, this);
        S.setField(-2, "cjson");
        S.newTable();
        LuaCmsgpack.install(L, this);
        S.setField(-2, "cmsgpack");
        S.newTable();
        LuaStruct.install(L, this);
        S.setField(-2, "struct");
        int jTable = S.getTop();
        try {
            byte[] sb = SANDBOX.getBytes(StandardCharsets.UTF_8);
            ByteBuffer buf = ByteBuffer.allocateDirect(sb.length);
            buf.put(sb).flip();
            S.load(buf, "=sandbox");
        } catch (LuaException e) {
            throw new IllegalStateException("sandbox: " + e.getMessage(), e);
        }
        S.pushValue(jTable);
        S.push(HOOK_COUNT);
        try {
            S.pCall(2, 1);
        } catch (LuaException e) {
            throw new IllegalStateException("sandbox: " + e.getMessage(), e);
        }
        S.getField(-1, "env");
        envRef = S.ref();
        S.getField(-1, "run");
        runRef = S.ref();
        S.getField(-1, "run_eval");
        runEvalRef = S.ref();
        S.getField(-1, "bind");
        bindRef = S.ref();
        S.getField(-1, "decode");
        decodeRef = S.ref();
        S.setTop(0);
    }

    /** The stack of the current call; Java functions called from Lua first set it with {@link #on}. */
    Lua lua() {
        return S;
    }

    LuaVm on(Lua l) {
        S = l;
        return this;
    }

    Scripting scripting() {
        return scripting;
    }

    private static String loadResource(String name) {
        try (InputStream in = LuaVm.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing resource " + name, e);
        }
    }

    // ---- strings between Java and Lua, binary-safe ----

    /** Pushes bytes as a Lua string. JNI strings are modified UTF-8, so only bytes 3..127 pass as is. */
    void pushBytes(byte[] b) {
        pushBytes(b, 0, b.length);
    }

    void pushBytes(byte[] b, int off, int len) {
        S.checkStack(2);
        pushBytesUnchecked(b, off, len);
    }

    /** {@link #pushBytes} for callers that made room on the stack (two slots) beforehand. */
    void pushBytesUnchecked(byte[] b, int off, int len) {
        boolean plain = true;
        for (int i = off; i < off + len; i++) {
            int v = b[i];
            if (v < 3) { // negative = >= 128
                plain = false;
                break;
            }
        }
        if (plain) {
            natives.luaJ_pushstring(S.getPointer(), new String(b, off, len, StandardCharsets.ISO_8859_1));
            return;
        }
        StringBuilder sb = new StringBuilder(len + 16);
        for (int i = off; i < off + len; i++) {
            int v = b[i] & 0xff;
            if (v <= 2) sb.append('\2').append((char) (0x40 + v));
            else if (v < 128) sb.append((char) v);
            else if (v < 224) sb.append('\1').append((char) (0x20 + v - 128));
            else sb.append('\2').append((char) (0x50 + v - 224));
        }
        S.refGet(decodeRef);
        S.push(sb.toString());
        try {
            S.pCall(1, 1);
        } catch (LuaException e) {
            throw new IllegalStateException(e);
        }
    }

    void pushString(String s) {
        pushBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes of the string (or number, converted as Lua does) at {@code idx}. */
    byte[] bytesAt(int idx) {
        // A view of the Lua string's own memory (valid while it is on the stack): no native copy.
        ByteBuffer bb = (ByteBuffer) natives.luaJ_todirectbuffer(S.getPointer(), idx);
        if (bb == null) return null;
        byte[] b = new byte[bb.remaining()];
        bb.get(b);
        return b;
    }

    String stringAt(int idx) {
        byte[] b = bytesAt(idx);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Pushes {err = msg} (what redis.pcall returns and redis.call raises). */
    void pushErrorTable(String msg) {
        S.newTable();
        pushString(msg);
        S.setField(-2, "err");
    }

    /** From a JFunction: raise {err = msg} as a Lua error. */
    int raise(String msg) {
        pushErrorTable(msg);
        return -1;
    }

    // ---- the busy/kill hook ----

    private int hook(Lua l) {
        ScriptRun r = run;
        S = l;
        if (r == null) return 0;
        if (r.killed) return raise("ERR Script killed by user with " + (r.function ? "FUNCTION" : "SCRIPT") + " KILL...");
        if (!r.busy) {
            long limit = scripting.engine().config().getLong("busy-reply-threshold");
            if (limit > 0 && System.nanoTime() - r.startNanos > limit * 1_000_000L) scripting.becameBusy(r);
        }
        return 0;
    }

    // ---- compiling ----

    /** The compiled script for {@code sha}, compiling {@code body} on first use in this state. */
    int script(String sha, byte[] body) {
        if (scriptsGeneration != scripting.scriptsGeneration()) {
            for (int ref : scripts.values()) S.unref(ref);
            scripts.clear();
            scriptsGeneration = scripting.scriptsGeneration();
        }
        Integer ref = scripts.get(sha);
        if (ref != null) return ref;
        int r = compile(body, "@user_script", "ERR Error compiling script (new function): ");
        scripts.put(sha, r);
        return r;
    }

    private int compile(byte[] body, String chunkName, String errorPrefix) {
        ByteBuffer buf = ByteBuffer.allocateDirect(body.length);
        buf.put(body).flip();
        try {
            S.load(buf, chunkName);
            // lua_load gives the chunk the thread's (private) globals: scripts see the sandbox's.
            S.refGet(bindRef);
            S.pushValue(-2);
            S.pCall(1, 0);
        } catch (LuaException e) {
            S.setTop(0);
            throw new CommandError(errorPrefix + oneLine(e.getMessage()));
        }
        return S.ref();
    }

    static String oneLine(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }

    /** The function named {@code name}, loading every library into this state if they changed. */
    Integer function(String name) {
        syncLibraries();
        return functions.get(name);
    }

    private void syncLibraries() {
        long v = scripting.librariesVersion();
        if (v == librariesVersion) return;
        for (int ref : functions.values()) S.unref(ref);
        functions.clear();
        for (FunctionLibrary lib : scripting.libraries()) {
            FunctionLibrary copy = loadLibrary(lib.name, lib.code, lib.body);
            for (Map.Entry<String, FunctionLibrary.Fn> e : copy.functions.entrySet()) {
                functions.put(e.getKey(), e.getValue().ref());
            }
        }
        librariesVersion = v;
    }

    /** Runs a library's body with redis.register_function enabled; returns what it registered. */
    FunctionLibrary loadLibrary(String name, String code, byte[] body) {
        FunctionLibrary lib = new FunctionLibrary(name, code, body);
        int ref = compile(body, "@user_function", "ERR Error compiling function: ");
        loading = lib;
        try {
            S.refGet(runRef);
            S.refGet(ref);
            S.unref(ref);
            S.pCall(1, 2);
            S = L;
            if (!S.toBoolean(-2)) {
                S.getField(-1, "err");
                String err = stringAt(-1);
                S.setTop(0);
                for (FunctionLibrary.Fn f : lib.functions.values()) S.unref(f.ref());
                throw new CommandError("ERR Error registering functions: " + oneLine(stripErr(err)));
            }
            S.setTop(0);
        } catch (LuaException e) {
            S.setTop(0);
            throw new CommandError("ERR Error registering functions: " + oneLine(e.getMessage()));
        } finally {
            loading = null;
        }
        if (lib.functions.isEmpty()) throw new CommandError("ERR No functions registered");
        return lib;
    }

    /** Error texts from Lua were prefixed "ERR " by the handler; library errors quote them bare. */
    private static String stripErr(String s) {
        return s != null && s.startsWith("ERR ") ? s.substring(4) : String.valueOf(s);
    }

    void scriptClientProtocol(int resp) {
        client.out().protocol(resp);
    }

    FunctionLibrary loading() {
        return loading;
    }

    /** Drops this state's copies of the functions after FUNCTION LOAD/DELETE/FLUSH/RESTORE here. */
    void librariesChanged() {
        librariesVersion = -1;
    }

    // ---- running ----

    /**
     * Runs compiled function {@code ref}: a script gets KEYS/ARGV globals, a function gets
     * (keys, args). Writes the reply to the caller or throws the script's error.
     */
    void execute(ScriptRun r, int ref, byte[][] argv, int firstKey, int numKeys) {
        Keyspace ks = scripting.engine().keyspace();
        client.select(r.caller.dbIndex());
        client.out().protocol(2);
        run = r;
        S = L;
        scripting.started(r);
        try {
            while (true) {
                boolean ok;
                S.setTop(0);
                if (!r.function) {
                    int n = argv.length - firstKey;
                    S.checkStack(n + 4);
                    S.refGet(runEvalRef);
                    S.refGet(ref);
                    S.push(numKeys);
                    for (int i = firstKey; i < argv.length; i++) pushBytesUnchecked(argv[i], 0, argv[i].length);
                    S.pCall(n + 2, 2);
                    S = L;
                } else {
                    S.refGet(runRef);
                    S.refGet(ref);
                    pushArgs(argv, firstKey, numKeys);
                    pushArgs(argv, firstKey + numKeys, argv.length - firstKey - numKeys);
                    S.pCall(3, 2);
                    S = L;
                }
                ok = S.toBoolean(-2);
                if (r.abortForGlobal) {
                    // Only reads happened: drop them, take every lock, run again from the start.
                    scripting.needsGlobal(r.name);
                    releaseExtras(r, ks);
                    lockAll(r, ks);
                    r.abortForGlobal = false;
                    r.resp = 2;
                    client.select(r.caller.dbIndex());
                    continue;
                }
                if (ok) {
                    writeReply(r.caller.out(), -1, r.resp, 0);
                } else {
                    throw new CommandError(errorMessage(r));
                }
                break;
            }
        } catch (LuaException e) {
            // The script did not return through run_eval's cleanup: drop KEYS/ARGV here.
            S = L;
            S.setTop(0);
            S.refGet(envRef);
            S.pushNil();
            S.setField(-2, "KEYS");
            S.pushNil();
            S.setField(-2, "ARGV");
            throw new CommandError("ERR " + oneLine(e.getMessage()));
        } finally {
            S = L;
            S.setTop(0);
            run = null;
            // Still under the script's slot locks: its writes go on the stream as one unit, and the
            // caller's reply waits for them like for its own (appendfsync always).
            long off = client.flushEffects();
            if (off != 0) r.caller.awaitPropagated(off);
            if (r.global) unlockAllButDeclared(r, ks);
            else releaseExtras(r, ks);
            scripting.finished(r);
            client.out().clear();
        }
    }

    /** Takes every slot lock; the declared ones are let go first so the order stays ascending. */
    void lockAll(ScriptRun r, Keyspace ks) {
        for (int s : r.declared) ks.unlock(s);
        ks.lockAll();
        r.global = true;
    }

    private static void unlockAllButDeclared(ScriptRun r, Keyspace ks) {
        for (int s = Slots.COUNT - 1; s >= 0; s--) if (!r.declares(s)) ks.unlock(s);
    }

    private static void releaseExtras(ScriptRun r, Keyspace ks) {
        for (int i = r.extraCount - 1; i >= 0; i--) ks.unlock(r.extraSlots[i]);
        r.extraCount = 0;
    }

    private String errorMessage(ScriptRun r) {
        S.getField(-1, "err");
        String err = S.isNil(-1) ? "ERR unknown error" : stringAt(-1);
        S.pop(1);
        S.getField(-1, "source");
        String source = S.isString(-1) ? stringAt(-1) : null;
        S.pop(1);
        S.getField(-1, "line");
        long line = S.isNumber(-1) ? (long) S.toNumber(-1) : -1;
        S.pop(1);
        StringBuilder sb = new StringBuilder(oneLine(err));
        sb.append(" script: ").append(r.name);
        if (source != null) sb.append(", on ").append(source).append(':').append(line).append('.');
        return sb.toString();
    }

    private void pushArgs(byte[][] argv, int from, int n) {
        S.createTable(n, 0);
        for (int i = 0; i < n; i++) {
            pushBytes(argv[from + i]);
            S.rawSetI(-2, i + 1);
        }
    }

    // ---- redis.call ----

    /** redis.call (raise = true) and redis.pcall. */
    int call(Lua l, boolean raise) {
        S = l;
        ScriptRun r = run;
        int n = S.getTop();
        if (r == null) {
            return fail("ERR redis.call/pcall can only be called inside a script invocation", raise);
        }
        if (r.killed) return raise("ERR Script killed by user with " + (r.function ? "FUNCTION" : "SCRIPT") + " KILL...");
        if (r.abortForGlobal) return raise("ERR script restarting");
        if (n == 0) return fail("ERR Please specify at least one argument for this redis lib call", raise);
        byte[][] argv = new byte[n][];
        for (int i = 1; i <= n; i++) {
            // Only strings and numbers (converted in place, as lua_tolstring does) have bytes.
            byte[] b = bytesAt(i);
            if (b == null) return fail("ERR Lua redis lib command arguments must be strings or integers", raise);
            argv[i - 1] = b;
        }
        CommandSpec cmd = scripting.engine().commands().lookup(argv[0]);
        if (cmd != null && !cmd.subcommands().isEmpty() && argv.length >= 2) {
            CommandSpec sub = cmd.subcommand(Bytes.str(argv[1]).toLowerCase());
            cmd = sub != null ? sub : cmd.handler == null ? null : cmd;
        }
        if (cmd == null) return fail("ERR Unknown Redis command called from script", raise);
        if (!cmd.arityOk(argv.length)) return fail("ERR Wrong number of args calling Redis command from script", raise);
        if (cmd.has(Flag.NOSCRIPT)) return fail("ERR This Redis command is not allowed from script", raise);
        if (cmd.has(Flag.WRITE)) {
            if (r.readOnly) return fail("ERR Write commands are not allowed from read-only scripts.", raise);
        }
        String lockError = lockFor(r, cmd, argv);
        if (lockError != null) {
            if (r.abortForGlobal) return raise(lockError);
            return fail(lockError, raise);
        }
        if (cmd.has(Flag.WRITE)) r.wrote = true;
        ByteBuf buf = client.replies;
        client.out().clear();
        scripting.engine().executeResolved(client, cmd, argv);
        client.out().spill();
        S.setTop(0);
        if (buf.readableBytes() > 0 && buf.getByte(buf.readerIndex()) == '-') {
            RespToLua.push(this, buf);
            buf.clear();
            return raise ? -1 : 1;
        }
        RespToLua.push(this, buf);
        buf.clear();
        return 1;
    }

    private int fail(String msg, boolean raise) {
        S.setTop(0);
        pushErrorTable(msg);
        return raise ? -1 : 1;
    }

    /**
     * Makes sure this thread holds the slot locks of the command's keys. Undeclared slots are
     * try-locked; a busy one before any write restarts the script under every lock (the caller
     * raises); after a write it is waited for only if above every slot held (ascending order
     * cannot deadlock). Returns an error text, or null.
     */
    private String lockFor(ScriptRun r, CommandSpec cmd, byte[][] argv) {
        if (r.global) return null;
        Keyspace ks = scripting.engine().keyspace();
        if (Scripting.needsAllSlots(cmd.name)) return needGlobal(r);
        int[] pos = cmd.keyPositions(argv);
        for (int p : pos) {
            int slot = Slots.slot(argv[p]);
            if (ks.heldByCurrentThread(slot)) continue;
            if (ks.tryLock(slot)) {
                r.addExtra(slot);
                continue;
            }
            if (!r.wrote) return needGlobal(r);
            if (slot > r.maxHeldSlot) {
                ks.lock(slot);
                r.addExtra(slot);
                continue;
            }
            return "ERR Script accessed an undeclared key that another client holds after writing; declare every key in KEYS";
        }
        return null;
    }

    private String needGlobal(ScriptRun r) {
        if (r.wrote) {
            return "ERR Script accessed the whole keyspace after writing; declare every key in KEYS or use the allow-cross-slot-keys flag";
        }
        r.abortForGlobal = true;
        return "ERR script restarting";
    }

    // ---- Lua value -> reply ----

    void writeReply(RespOut out, int idx, int resp, int depth) {
        if (idx < 0) idx = S.getTop() + idx + 1;
        switch (S.type(idx)) {
            case NUMBER -> out.integer(truncate(S.toNumber(idx)));
            case STRING -> out.bulk(bytesAt(idx));
            case BOOLEAN -> {
                boolean b = S.toBoolean(idx);
                if (resp == 3) out.bool(b);
                else if (b) out.integer(1);
                else out.nullBulk();
            }
            case TABLE -> writeTable(out, idx, resp, depth);
            default -> out.nullBulk();
        }
    }

    /** C's (long long) cast on x86: out-of-range and NaN become LLONG_MIN. */
    static long truncate(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) return Long.MIN_VALUE;
        return (long) d;
    }

    private void writeTable(RespOut out, int idx, int resp, int depth) {
        S.checkStack(4);
        if (field(idx, "err") == Lua.LuaType.STRING) {
            String e = stringAt(-1);
            S.pop(1);
            out.error(oneLine(e));
            return;
        }
        S.pop(1);
        if (field(idx, "ok") == Lua.LuaType.STRING) {
            String s = stringAt(-1);
            S.pop(1);
            out.simple(oneLine(s));
            return;
        }
        S.pop(1);
        if (field(idx, "double") == Lua.LuaType.NUMBER) {
            double d = S.toNumber(-1);
            S.pop(1);
            out.dbl(d);
            return;
        }
        S.pop(1);
        if (field(idx, "big_number") == Lua.LuaType.STRING) {
            byte[] b = bytesAt(-1);
            S.pop(1);
            if (out.resp3()) {
                byte[] raw = new byte[b.length + 3];
                raw[0] = '(';
                System.arraycopy(b, 0, raw, 1, b.length);
                raw[raw.length - 2] = '\r';
                raw[raw.length - 1] = '\n';
                out.raw(raw);
            } else {
                out.bulk(b);
            }
            return;
        }
        S.pop(1);
        if (field(idx, "map") == Lua.LuaType.TABLE) {
            int m = S.getTop();
            int pairs = 0;
            S.pushNil();
            while (S.next(m) != 0) {
                pairs++;
                S.pop(1);
            }
            out.map(pairs);
            S.pushNil();
            while (S.next(m) != 0) {
                writeReply(out, -2, resp, depth + 1);
                writeReply(out, -1, resp, depth + 1);
                S.pop(1);
            }
            S.pop(1);
            return;
        }
        S.pop(1);
        if (field(idx, "set") == Lua.LuaType.TABLE) {
            int m = S.getTop();
            int n = 0;
            S.pushNil();
            while (S.next(m) != 0) {
                n++;
                S.pop(1);
            }
            out.set(n);
            S.pushNil();
            while (S.next(m) != 0) {
                writeReply(out, -2, resp, depth + 1);
                S.pop(1);
            }
            S.pop(1);
            return;
        }
        S.pop(1);
        if (field(idx, "verbatim_string") == Lua.LuaType.TABLE) {
            int v = S.getTop();
            S.getField(v, "string");
            String s = stringAt(-1);
            S.pop(2);
            out.verbatim(s == null ? "" : s);
            return;
        }
        S.pop(1);
        int n = 0;
        while (true) {
            S.rawGetI(idx, n + 1);
            boolean nil = S.isNil(-1);
            S.pop(1);
            if (nil) break;
            n++;
        }
        out.array(n);
        for (int i = 1; i <= n; i++) {
            S.rawGetI(idx, i);
            writeReply(out, -1, resp, depth + 1);
            S.pop(1);
        }
    }

    /** Pushes t[name] (raw, so user metatables cannot run during conversion) and returns its type. */
    private Lua.LuaType field(int idx, String name) {
        S.push(name);
        S.rawGet(idx);
        return S.type(-1);
    }
}
