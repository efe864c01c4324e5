package io.amdc.core.scripting;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandError;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Engine-wide scripting state: the EVAL script cache, the FUNCTION libraries, the scripts running
 * now (for BUSY and SCRIPT/FUNCTION KILL), and one Lua state per thread that runs scripts.
 *
 * <p>Atomicity: the dispatcher locks the slots of the declared KEYS. A redis.call on an undeclared
 * key try-locks its slot; if that fails before the script wrote anything, the script is
 * restarted with every slot locked (and that script keeps running so from then on), which is
 * invisible to the client because only reads happened. Scripts flagged allow-cross-slot-keys run
 * with every lock from the start.
 */
public final class Scripting {
    static final long FLAGS_DECLARED = 1;       // the script had a shebang
    static final long NO_WRITES = 2;
    static final long ALLOW_OOM = 4;
    static final long ALLOW_STALE = 8;
    static final long NO_CLUSTER = 16;
    static final long ALLOW_CROSS_SLOT = 32;
    private static final String[] FLAG_NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"};
    /** Commands that work on the whole keyspace rather than on their key arguments. */
    private static final Set<String> WHOLE_KEYSPACE = Set.of("flushall", "flushdb", "swapdb", "keys", "scan",
            "randomkey", "sort", "sort_ro", "dbsize", "move", "copy");

    private final Engine engine;
    private final Map<String, byte[]> scripts = new ConcurrentHashMap<>();
    private volatile long scriptsGeneration;
    private final Set<String> globalScripts = ConcurrentHashMap.newKeySet();
    private final Map<String, FunctionLibrary> libraries = new LinkedHashMap<>();
    private final Map<String, FunctionLibrary> functionOwners = new ConcurrentHashMap<>();
    private volatile long librariesVersion;
    private final Set<ScriptRun> running = ConcurrentHashMap.newKeySet();
    private volatile ScriptRun busyRun;
    private final ThreadLocal<LuaVm> vms;

    public Scripting(Engine engine) {
        this.engine = engine;
        this.vms = ThreadLocal.withInitial(() -> new LuaVm(this));
    }

    Engine engine() {
        return engine;
    }

    LuaVm vm() {
        return vms.get();
    }

    long scriptsGeneration() {
        return scriptsGeneration;
    }

    long librariesVersion() {
        return librariesVersion;
    }

    /** The source of every loaded library, which RDB files carry as function opcodes. */
    public synchronized List<byte[]> libraryCodes() {
        List<byte[]> out = new ArrayList<>(libraries.size());
        for (FunctionLibrary l : libraries.values()) out.add(l.code.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    synchronized List<FunctionLibrary> libraries() {
        return new ArrayList<>(libraries.values());
    }

    static boolean needsAllSlots(String command) {
        return WHOLE_KEYSPACE.contains(command);
    }

    void needsGlobal(String name) {
        globalScripts.add(name);
    }

    static long flag(String name, String error) {
        long f = flagOrZero(name);
        if (f == 0) throw new CommandError(error);
        return f;
    }

    static long flagOrZero(String name) {
        for (int i = 0; i < FLAG_NAMES.length; i++) if (FLAG_NAMES[i].equals(name)) return 2L << i;
        return 0;
    }

    static String sha1hex(byte[] b) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(b);
            StringBuilder sb = new StringBuilder(40);
            for (byte x : d) {
                sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- busy / kill ----

    void started(ScriptRun r) {
        running.add(r);
    }

    void finished(ScriptRun r) {
        running.remove(r);
        if (busyRun == r) busyRun = null;
    }

    void becameBusy(ScriptRun r) {
        r.busy = true;
        busyRun = r;
    }

    /** The BUSY error for a command of {@code c} while a script is past the threshold, else null. */
    public String busyError(Client c) {
        ScriptRun r = busyRun;
        if (r == null || c instanceof ScriptClient) return null;
        return "BUSY Redis is busy running a script. You can only call " + (r.function ? "FUNCTION" : "SCRIPT")
                + " KILL or SHUTDOWN NOSAVE.";
    }

    void kill(boolean function) {
        ScriptRun r = busyRun;
        if (r == null) {
            for (ScriptRun x : running) r = x;
        }
        if (r == null) throw new CommandError("NOTBUSY No scripts in execution right now.");
        if (r.function != function) {
            throw new CommandError(function
                    ? "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
                    : "BUSY Redis is busy running a function. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
        }
        if (r.wrote) {
            throw new CommandError("UNKILLABLE Sorry the script already executed write commands against the dataset. "
                    + "You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
        }
        r.killed = true;
    }

    // ---- EVAL family ----

    /** Redis's numkeys checks; returns numkeys. */
    static int numKeys(byte[][] argv) {
        long n = Bytes.toLong(argv[2]);
        if (n > argv.length - 3) throw new CommandError("ERR Number of keys can't be greater than number of args");
        if (n < 0) throw new CommandError("ERR Number of keys can't be negative");
        return (int) n;
    }

    String load(byte[] body) {
        String sha = sha1hex(body);
        scripts.putIfAbsent(sha, body);
        return sha;
    }

    boolean exists(byte[] sha) {
        return scripts.containsKey(Bytes.str(sha).toLowerCase());
    }

    void flushScripts() {
        scripts.clear();
        globalScripts.clear();
        scriptsGeneration++;
    }

    public void eval(Client c, byte[][] argv, boolean bySha, boolean readOnly) {
        int numKeys = numKeys(argv);
        String sha;
        byte[] body;
        if (bySha) {
            sha = Bytes.str(argv[1]).toLowerCase();
            body = sha.length() == 40 ? scripts.get(sha) : null;
            if (body == null) throw new CommandError("NOSCRIPT No matching script. Please use EVAL.");
        } else {
            body = argv[1];
            sha = load(body);
        }
        long flags = 0;
        byte[] compiled = body;
        if (body.length > 1 && body[0] == '#' && body[1] == '!') {
            int nl = indexOf(body, (byte) '\n');
            String first = new String(body, 0, nl < 0 ? body.length : nl, StandardCharsets.UTF_8);
            flags = RedisApi.shebangFlags(first, false);
            compiled = blankFirstLine(body, nl);
        }
        LuaVm vm = vm();
        int ref = vm.script(sha, compiled);
        ScriptRun r = new ScriptRun(c, sha, false, readOnly || (flags & NO_WRITES) != 0, declaredSlots(argv, 3, numKeys));
        if (readOnly && (flags & FLAGS_DECLARED) != 0 && (flags & NO_WRITES) == 0) {
            throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
        }
        start(vm, r, ref, argv, 3, numKeys, (flags & ALLOW_CROSS_SLOT) != 0 || globalScripts.contains(sha));
    }

    private void start(LuaVm vm, ScriptRun r, int ref, byte[][] argv, int firstKey, int numKeys, boolean global) {
        if (vm.run != null) throw new CommandError("ERR This Redis command is not allowed from script");
        if (global) vm.lockAll(r, engine.keyspace());
        vm.execute(r, ref, argv, firstKey, numKeys);
    }

    private static int[] declaredSlots(byte[][] argv, int first, int n) {
        int[] d = new int[n];
        for (int i = 0; i < n; i++) d[i] = Slots.slot(argv[first + i]);
        java.util.Arrays.sort(d);
        int u = 0;
        for (int i = 0; i < n; i++) if (u == 0 || d[u - 1] != d[i]) d[u++] = d[i];
        return u == n ? d : java.util.Arrays.copyOf(d, u);
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) if (b[i] == x) return i;
        return -1;
    }

    /** The shebang is not Lua: compile without it but keep line numbers. */
    private static byte[] blankFirstLine(byte[] body, int nl) {
        if (nl < 0) return new byte[0];
        byte[] b = new byte[body.length - nl];
        System.arraycopy(body, nl, b, 0, b.length);
        return b;
    }

    // ---- functions ----

    public void fcall(Client c, byte[][] argv, boolean readOnly) {
        int numKeys = numKeys(argv);
        String name = Bytes.str(argv[1]);
        FunctionLibrary owner = functionOwners.get(name);
        if (owner == null) throw new CommandError("ERR Function not found");
        FunctionLibrary.Fn fn = owner.functions.get(name);
        boolean noWrites = (fn.flags() & NO_WRITES) != 0;
        if (readOnly && !noWrites) throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
        LuaVm vm = vm();
        Integer ref = vm.function(name);
        if (ref == null) throw new CommandError("ERR Function not found");
        ScriptRun r = new ScriptRun(c, name, true, readOnly || noWrites, declaredSlots(argv, 3, numKeys));
        start(vm, r, ref, argv, 3, numKeys, (fn.flags() & ALLOW_CROSS_SLOT) != 0 || globalScripts.contains("f:" + name));
    }

    /** FUNCTION LOAD; returns the library name. */
    public synchronized String functionLoad(byte[] code, boolean replace) {
        String text = new String(code, StandardCharsets.UTF_8);
        int nl = indexOf(code, (byte) '\n');
        String first = nl < 0 ? text : new String(code, 0, nl, StandardCharsets.UTF_8);
        if (!first.startsWith("#!")) throw new CommandError("ERR Missing library metadata");
        String[] parts = first.substring(2).trim().split(" +");
        if (!parts[0].equals("lua")) throw new CommandError("ERR Engine '" + parts[0] + "' not found");
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("name=")) name = parts[i].substring(5);
            else throw new CommandError("ERR Invalid metadata value given: " + parts[i]);
        }
        if (name == null) throw new CommandError("ERR Library name was not given");
        if (!FunctionsApi.validName(name)) {
            throw new CommandError("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        FunctionLibrary old = libraries.get(name);
        if (old != null && !replace) throw new CommandError("ERR Library '" + name + "' already exists");
        LuaVm vm = vm();
        FunctionLibrary lib = vm.loadLibrary(name, text, blankFirstLine(code, nl));
        for (String f : lib.functions.keySet()) {
            FunctionLibrary o = functionOwners.get(f);
            if (o != null && o != old) throw new CommandError("ERR Function " + f + " already exists");
        }
        if (old != null) old.functions.keySet().forEach(functionOwners::remove);
        libraries.put(name, lib);
        lib.functions.keySet().forEach(f -> functionOwners.put(f, lib));
        librariesVersion++;
        vm.librariesChanged();
        return name;
    }

    public synchronized void functionDelete(String name) {
        FunctionLibrary lib = libraries.remove(name);
        if (lib == null) throw new CommandError("ERR Library not found");
        lib.functions.keySet().forEach(functionOwners::remove);
        librariesVersion++;
    }

    public synchronized void functionFlush() {
        libraries.clear();
        functionOwners.clear();
        librariesVersion++;
    }

    FunctionLibrary library(String name) {
        synchronized (this) {
            return libraries.get(name);
        }
    }

    boolean runningFunction() {
        ScriptRun r = busyRun;
        return r != null && r.function;
    }

    ScriptRun runningScript(boolean function) {
        for (ScriptRun r : running) if (r.function == function) return r;
        return null;
    }

    int scriptCount() {
        return scripts.size();
    }
}
