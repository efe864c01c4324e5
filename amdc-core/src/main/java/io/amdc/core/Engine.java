package io.amdc.core;

import io.amdc.core.blocking.BlockingRegistry;
import io.amdc.core.blocking.ClientPause;
import io.amdc.core.command.Flag;
import io.amdc.core.config.ConfigParam;
import io.amdc.core.introspect.CommandLatency;
import io.amdc.core.introspect.LatencyMonitor;
import io.amdc.core.introspect.Monitors;
import io.amdc.core.introspect.SlowLog;
import io.amdc.core.keyspace.KeyspaceListener;
import io.amdc.core.tracking.Tracking;
import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.command.Flag;
import io.amdc.core.config.Config;
import io.amdc.core.config.ConfigParam;
import io.amdc.core.families.Families;
import io.amdc.core.keyspace.AccessClock;
import io.amdc.core.keyspace.Db;
import io.amdc.core.keyspace.EvictionPolicy;
import io.amdc.core.keyspace.Evictor;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.memory.ClientEviction;
import io.amdc.core.memory.ObjectSizes;
import io.amdc.core.keyspace.KeyspaceListener;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.propagation.Propagation;
import io.amdc.core.propagation.Rewrites;
import io.amdc.core.command.Flag;
import io.amdc.core.pubsub.PubSub;
import io.amdc.core.pubsub.Subscriber;
import io.amdc.core.session.Client;
import io.amdc.core.tx.Transaction;
import io.amdc.core.tx.Watches;
import io.amdc.core.util.Bytes;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * The command engine: configuration, keyspace, command table, clients and the dispatcher that
 * runs a parsed command on the calling thread (an I/O event loop) under its slots' locks.
 */
public final class Engine {
    /** The Redis version whose behaviour AMDC matches; clients gate features on it. */
    public static final String REDIS_VERSION = "7.2.4";
    public static final String AMDC_VERSION = "0.1.0";

    private final Config config;
    private final Keyspace keyspace;
    private final CommandTable table = new CommandTable();
    private final Stats stats = new Stats();
    private final BlockingRegistry blocking = new BlockingRegistry(this);
    private final Propagation propagation = new Propagation();
    /** Writes that changed (or may have changed) data: Redis's server.dirty, for save points. */
    private final LongAdder dirty = new LongAdder();
    private final PubSub pubsub = new PubSub(this);
    private final io.amdc.core.notify.Notifications notifications = new io.amdc.core.notify.Notifications(pubsub);
    /** The client running a read-only command on this thread, set only while key-miss events are on. */
    private static final ThreadLocal<Client> READER = new ThreadLocal<>();
    private final Watches watches;
    /** Commands that run at once inside MULTI instead of being queued (as in Redis). */
    private final java.util.Set<CommandSpec> immediateInMulti;
    /** Commands a RESP2 client may send while subscribed. */
    private final java.util.Set<CommandSpec> allowedSubscribed;
    private final io.amdc.core.scripting.Scripting scripting = new io.amdc.core.scripting.Scripting(this);
    private final Map<Long, Client> clients = new ConcurrentHashMap<>();
    private final AtomicLong nextClientId = new AtomicLong(1);
    private final long startTimeMs = System.currentTimeMillis();
    private final String runId;
    private volatile IntConsumer shutdownHandler = code -> { };
    private volatile int port;
    private final Monitors monitors = new Monitors();
    private final SlowLog slowLog = new SlowLog();
    private final LatencyMonitor latency = new LatencyMonitor();
    private final Tracking tracking = new Tracking(this);
    private final ClientPause pause = new ClientPause(this);
    private final ConfigParam slowlogThreshold;
    private final ConfigParam slowlogMaxLen;
    private final ConfigParam latencyThreshold;
    private final ConfigParam latencyTracking;
    private final CommandSpec flushall;
    private final CommandSpec flushdb;
    private final ConfigParam maxmemory;
    private final ConfigParam samples;
    private final ConfigParam tenacity;
    private volatile EvictionPolicy policy = EvictionPolicy.NOEVICTION;
    /** Memory of the structures that exist with an empty keyspace (databases' slot arrays, locks). */
    private final long startupMemory;
    /** Client buffers, summed by the cron (a sum over every client is too dear per command). */
    private volatile long clientsMemory;
    private final ClientEviction clientEviction = new ClientEviction(this);
    private final io.amdc.core.memory.HeapTrimmer heapTrimmer = new io.amdc.core.memory.HeapTrimmer();
    /** Set while used memory stays over maxmemory after a command's bounded eviction. */
    private volatile long evictionExceededSinceNs;
    private final AtomicLong evictionExceededTotalNs = new AtomicLong();

    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    private volatile Persistence persistence = Persistence.NONE;
    private final io.amdc.core.families.EncodingLimits encodingLimits;

    public Engine(Config config) {
        this.config = config;
        this.encodingLimits = new io.amdc.core.families.EncodingLimits(config);
        this.keyspace = new Keyspace((int) config.getLong("databases"));
        this.maxmemory = config.param("maxmemory");
        this.samples = config.param("maxmemory-samples");
        this.tenacity = config.param("maxmemory-eviction-tenacity");
        ConfigParam policyParam = config.param("maxmemory-policy");
        ConfigParam logFactor = config.param("lfu-log-factor");
        ConfigParam decay = config.param("lfu-decay-time");
        Runnable applyPolicy = () -> {
            policy = EvictionPolicy.parse(policyParam.get());
            keyspace.lfu(policy.lfu(), logFactor.asLong(), decay.asLong());
        };
        applyPolicy.run();
        policyParam.onChange(p -> applyPolicy.run());
        logFactor.onChange(p -> applyPolicy.run());
        decay.onChange(p -> applyPolicy.run());
        this.startupMemory = keyspace.databases() * (ObjectSizes.refs(Slots.COUNT) + 64L)
                + Slots.COUNT * 48L; // per-slot ReentrantLock and its sync object
        byte[] r = new byte[20];
        new SecureRandom().nextBytes(r);
        StringBuilder sb = new StringBuilder();
        for (byte b : r) sb.append(String.format("%02x", b));
        this.runId = sb.toString();
        Families.declareAll(table);
        ConfigParam notify = config.param("notify-keyspace-events");
        notifications.configure(notify.get());
        notify.onChange(p -> notifications.configure(p.get()));
        this.slowlogThreshold = config.param("slowlog-log-slower-than");
        this.slowlogMaxLen = config.param("slowlog-max-len");
        this.latencyThreshold = config.param("latency-monitor-threshold");
        this.latencyTracking = config.param("latency-tracking");
        this.flushall = table.lookup(Bytes.bytes("flushall"));
        this.flushdb = table.lookup(Bytes.bytes("flushdb"));
        Rewrites.install(table);
        keyspace.listener(new KeyspaceListener() {
            @Override
            public void expired(int db, byte[] key) {
                // Called with the key's slot lock held: an expired key leaves a DEL on the stream.
                dirty.increment();
                propagation.emit(db, new byte[][] {DEL, key});
                tracking.keyChanged(key);
                notifications.notify(db, io.amdc.core.notify.Notifications.EXPIRED, "expired", key);
            }

            @Override
            public void evicted(int db, byte[] key) {
                dirty.increment();
                // Past maxmemory every write evicts: no record array unless something consumes it.
                if (propagation.active()) propagation.emit(db, new byte[][] {DEL, key});
                tracking.keyChanged(key);
                notifications.notify(db, io.amdc.core.notify.Notifications.EVICTED, "evicted", key);
            }

            @Override
            public void created(int db, byte[] key) {
                notifications.notify(db, io.amdc.core.notify.Notifications.NEW, "new", key);
            }

            @Override
            public void missed(int db, byte[] key) {
                // Redis reports misses of read lookups only, which read-only commands make.
                Client r;
                if (notifications.enabled(io.amdc.core.notify.Notifications.KEY_MISS) && (r = READER.get()) != null) {
                    notifications.notify(r, io.amdc.core.notify.Notifications.KEY_MISS, "keymiss", key);
                }
            }
        });
        this.watches = new Watches(keyspace);
        keyspace.watchListener(watches);
        keyspace.inPlaceGate(() -> !watches.active());
        // RESP2 invalidations go to a redirect client only while it listens on the channel, as in Redis.
        tracking.subscribedTest(Engine::listensForInvalidations);
        this.immediateInMulti = specs("exec", "discard", "multi", "watch", "quit", "reset");
        this.allowedSubscribed = specs("subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe",
                "sunsubscribe", "ping", "quit", "reset");
    }

    private static final byte[] INVALIDATE_CHANNEL = Bytes.bytes("__redis__:invalidate");

    private static boolean listensForInvalidations(Client c) {
        Subscriber s = c.subscriber();
        if (s == null) return false;
        for (byte[] ch : s.names(PubSub.Kind.CHANNEL)) {
            if (java.util.Arrays.equals(ch, INVALIDATE_CHANNEL)) return true;
        }
        return false;
    }

    private java.util.Set<CommandSpec> specs(String... names) {
        java.util.Set<CommandSpec> s = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (String n : names) {
            CommandSpec spec = table.lookup(n);
            if (spec != null) s.add(spec);
        }
        return s;
    }

    public Monitors monitors() {
        return monitors;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public LatencyMonitor latency() {
        return latency;
    }

    public Tracking tracking() {
        return tracking;
    }

    public ClientPause pause() {
        return pause;
    }

    private static final byte[] DEL = {'D', 'E', 'L'};

    private volatile io.amdc.core.propagation.AofControl aof = io.amdc.core.propagation.AofControl.NONE;

    public io.amdc.core.propagation.AofControl aof() {
        return aof;
    }

    /** Installed by amdc-persist when the server starts. */
    public void aof(io.amdc.core.propagation.AofControl a) {
        this.aof = a;
    }

    /** Keyspace notifications: families call {@code notifications().notify(...)} after each change. */
    public io.amdc.core.notify.Notifications notifications() {
        return notifications;
    }

    /** The stream of write effects that the AOF and replicas consume. */
    public Propagation propagation() {
        return propagation;
    }


    public Config config() {
        return config;
    }

    public io.amdc.core.families.EncodingLimits encodingLimits() {
        return encodingLimits;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public CommandTable commands() {
        return table;
    }

    /** What the network layer reports about its event loops (INFO amdc). */
    public interface IoLoops {
        int activeLoops();

        long loopProbes();

        long loopReverts();
    }

    private volatile IoLoops ioLoops;

    public void ioLoops(IoLoops loops) {
        this.ioLoops = loops;
    }

    public IoLoops ioLoops() {
        return ioLoops;
    }

    public io.amdc.core.memory.HeapTrimmer heapTrimmer() {
        return heapTrimmer;
    }

    public Stats stats() {
        return stats;
    }

    public BlockingRegistry blocking() {
        return blocking;
    }

    public Persistence persistence() {
        return persistence;
    }

    public void persistence(Persistence p) {
        this.persistence = p == null ? Persistence.NONE : p;
    }

    /**
     * Writes since the last save (write commands that completed without an error, expired and
     * evicted keys): rdb_changes_since_last_save; a save subtracts what it covered.
     */
    public LongAdder dirty() {
        return dirty;
    }

    public PubSub pubsub() {
        return pubsub;
    }

    public Watches watches() {
        return watches;
    }

    public io.amdc.core.scripting.Scripting scripting() {
        return scripting;
    }

    public String runId() {
        return runId;
    }

    public long startTimeMs() {
        return startTimeMs;
    }

    public int port() {
        return port;
    }

    public void port(int p) {
        this.port = p;
    }

    public boolean authRequired() {
        return !config.get("requirepass").isEmpty();
    }

    public long newClientId() {
        return nextClientId.getAndIncrement();
    }

    public void register(Client c) {
        clients.put(c.id, c);
    }

    public void unregister(Client c) {
        clients.remove(c.id);
        blocking.disconnected(c);
        monitors.remove(c);
        tracking.disable(c);
        pause.disconnected(c);
        Subscriber s = c.subscriber();
        if (s != null) s.close();
        if (c.watched() != null) watches.unwatchAll(c);
    }

    public Map<Long, Client> clients() {
        return clients;
    }

    public EvictionPolicy evictionPolicy() {
        return policy;
    }

    /**
     * used_memory: the startup structures, the keyspace (kept per slot table as keys and values
     * change) and the clients' buffers as last summed by the cron.
     */
    public long usedMemory() {
        return startupMemory + keyspace.datasetBytes() + clientsMemory;
    }

    public long startupMemory() {
        return startupMemory;
    }

    public long clientsMemory() {
        return clientsMemory;
    }

    /** total_eviction_exceeded_time and current_eviction_exceeded_time, in ms. */
    public long[] evictionExceededMs() {
        long since = evictionExceededSinceNs;
        long current = since == 0 ? 0 : (System.nanoTime() - since) / 1_000_000;
        return new long[]{evictionExceededTotalNs.get() / 1_000_000 + current, current};
    }

    /**
     * Evicts keys until used memory is under maxmemory or the per-call budget (tenacity) is spent.
     * Must be called without slot locks held. Returns the evictor's verdict.
     */
    public Evictor.Result performEvictions(long timeLimitMicros) {
        long limit = maxmemory.asLong();
        if (limit == 0) return Evictor.Result.OK;
        Evictor.Result r = keyspace.evictor().evict(limit, this::usedMemory, policy, (int) samples.asLong(),
                timeLimitMicros);
        long since = evictionExceededSinceNs;
        if (r == Evictor.Result.RUNNING) {
            if (since == 0) evictionExceededSinceNs = System.nanoTime();
        } else if (since != 0) {
            evictionExceededSinceNs = 0;
            evictionExceededTotalNs.addAndGet(System.nanoTime() - since);
        }
        return r;
    }

    public void onShutdown(IntConsumer handler) {
        this.shutdownHandler = handler;
    }

    /** Asks the server to stop (SHUTDOWN); the network layer decides how. */
    public void shutdown(int exitCode) {
        shutdownHandler.accept(exitCode);
    }

    /** Periodic work, called hz times a second by the server. */
    public void cron() {
        AccessClock.tick();
        stats.sample(System.currentTimeMillis());
        long hz = Math.max(1, config.getLong("hz"));
        // Redis spends up to 25% of each cron period on active expiry.
        keyspace.activeExpireCycle(250_000_000L / hz);
        clientsMemory = clientEviction.cron();
        // Eviction a command could not finish within its budget continues here, up to half a period.
        if (maxmemory.asLong() > 0 && policy != EvictionPolicy.NOEVICTION) performEvictions(500_000L / hz);
        PubSub.wakeDeferred(); // expired/evicted notifications published above
        // jemalloc-bg-thread is Redis's switch for purging freed memory in the background.
        if (config.getBool("jemalloc-bg-thread")) heapTrimmer.tick(stats.commandsProcessed.sum(), System.currentTimeMillis());
    }

    /** Runs one command for {@code c}; the reply goes to {@code c.out()}. Never throws. */
    public void execute(Client c, byte[][] argv) {
        CommandSpec cmd = table.lookup(argv[0]);
        if (cmd == null) {
            reject(c, null, unknownCommand(argv));
            return;
        }
        // A container routes to its sub-command; one with its own handler (COMMAND) also runs bare.
        if (!cmd.subcommands().isEmpty() && (argv.length >= 2 || cmd.handler == null)) {
            if (argv.length < 2) {
                reject(c, cmd, "ERR wrong number of arguments for '" + cmd.name + "' command");
                return;
            }
            CommandSpec sub = cmd.subcommand(Bytes.str(argv[1]).toLowerCase());
            if (sub == null) {
                reject(c, cmd, "ERR unknown subcommand '" + abbreviate(Bytes.str(argv[1])) + "'. Try "
                        + cmd.name.toUpperCase() + " HELP.");
                return;
            }
            cmd = sub;
        }
        if (!cmd.arityOk(argv.length)) {
            reject(c, cmd, "ERR wrong number of arguments for '" + cmd.name + "' command");
            return;
        }
        executeResolved(c, cmd, argv);
    }

    /**
     * The rest of {@link #execute} for a command already looked up, routed to its sub-command and
     * arity-checked (redis.call does those itself): authentication, loading, busy, memory,
     * persistence, pause and MULTI checks, then the call.
     */
    public void executeResolved(Client c, CommandSpec cmd, byte[][] argv) {
        if (!c.authenticated() && !cmd.has(io.amdc.core.command.Flag.NO_AUTH)) {
            reject(c, cmd, "NOAUTH Authentication required.");
            return;
        }
        boolean write = cmd.has(Flag.WRITE);
        if (persistence.loading() && !cmd.has(Flag.LOADING)) {
            reject(c, cmd, "LOADING Redis is loading the dataset in memory");
            return;
        }
        if (!cmd.has(Flag.ALLOW_BUSY)) {
            String busy = scripting.busyError(c);
            if (busy != null) {
                reject(c, cmd, busy);
                return;
            }
        }
        // Past maxmemory: evict first (bounded by the tenacity budget); commands that may grow
        // memory are refused when nothing could be freed. Reads and deletes always run.
        if (maxmemory.asLong() > 0) {
            releaseHeldSlot(c); // eviction takes other slot locks
            if ((cmd.flags & WRITE_OR_DENYOOM) != 0
                    && performEvictions(Evictor.timeLimitMicros(tenacity.asLong())) == Evictor.Result.FAIL
                    && cmd.has(Flag.DENYOOM)) {
                reject(c, cmd, OOM);
                return;
            }
        }
        if (write) {
            String refusal = persistence.refuseWrites();
            if (refusal != null) {
                reject(c, cmd, refusal);
                return;
            }
        }
        // Commands a script or EXEC runs are never held: only a client that can wait is paused.
        if (pause.paused() && c.canBlock() && pause.postpone(c, cmd, argv)) return;
        // Set while in MULTI or subscribed: the one extra check of the common path.
        if (c.gated() && intercepted(c, cmd, argv)) return;
        c.lastCommand(cmd);
        c.beginCommand();
        try {
            call(c, cmd, argv);
        } finally {
            c.endCommand();
        }
    }

    /**
     * MULTI queueing and RESP2 subscribed mode, checked after the command was validated (so an
     * unknown command or a wrong arity is rejected and flags the transaction, as in Redis).
     * Returns true when the command was answered here.
     */
    private boolean intercepted(Client c, CommandSpec cmd, byte[][] argv) {
        Subscriber s = c.subscriber();
        if (s != null) {
            // Messages queued by publishers go out before this command's reply.
            s.drainTo(c.out().buffer());
            if (s.count() > 0 && !c.out().resp3() && !allowedSubscribed.contains(root(cmd))) {
                reject(c, cmd, "ERR Can't execute '" + cmd.name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING "
                        + "/ QUIT / RESET are allowed in this context");
                return true;
            }
        }
        Transaction tx = c.transaction();
        if (tx != null && !immediateInMulti.contains(root(cmd))) {
            tx.queue(cmd, argv);
            c.out().simple("QUEUED");
            return true;
        }
        return false;
    }

    private static CommandSpec root(CommandSpec cmd) {
        return cmd.parent == null ? cmd : cmd.parent;
    }

    /**
     * Runs an already validated command under its slot locks, with error handling and statistics;
     * EXEC calls it for each queued command.
     */
    public void call(Client c, CommandSpec cmd, byte[][] argv) {
        boolean write = cmd.has(Flag.WRITE);
        c.resetPropagated();
        long start = c.takeBatchClock();
        if (start == 0) start = System.nanoTime();
        boolean reader = !write && notifications.enabled(io.amdc.core.notify.Notifications.KEY_MISS);
        if (reader) READER.set(c);
        try {
            runLocked(c, cmd, argv, write);
        } catch (CommandError e) {
            c.out().error(e.getMessage());
            stats.error(CommandError.code(e.getMessage()));
            cmd.failed.increment();
        } catch (RuntimeException | StackOverflowError e) {
            // A bug must cost one reply, not the connection or the server.
            String msg = "ERR internal error executing '" + cmd.name + "': " + e;
            c.out().error(msg.replace('\r', ' ').replace('\n', ' '));
            stats.error("ERR");
            stats.unexpectedErrorReplies.increment();
            cmd.failed.increment();
            e.printStackTrace();
        } finally {
            if (reader) READER.remove();
            long end = System.nanoTime();
            c.batchClock(end);
            long took = end - start;
            cmd.calls.increment();
            cmd.usec.add(took / 1000);
            stats.commandsProcessed.increment();
            observe(c, cmd, argv, took);
        }
    }

    /** SLOWLOG, LATENCY, latency-tracking, MONITOR and CLIENT CACHING bookkeeping of a finished command. */
    private void observe(Client c, CommandSpec cmd, byte[][] argv, long nanos) {
        long us = nanos / 1000;
        if (latencyTracking.asBool()) CommandLatency.record(cmd, nanos);
        long slower = slowlogThreshold.asLong();
        if (slower >= 0 && us >= slower && !cmd.has(Flag.SKIP_SLOWLOG)) {
            slowLog.add(c, cmd, argv, us, (int) slowlogMaxLen.asLong());
        }
        long threshold = latencyThreshold.asLong();
        if (threshold > 0 && us / 1000 >= threshold) {
            latency.add(cmd.has(Flag.FAST) ? "fast-command" : "command", us / 1000);
        }
        if (monitors.active()) monitors.feed(c, cmd, argv);
        if (c.tracking() != null) Tracking.commandDone(c, cmd);
    }
    private static final long WRITE_OR_DENYOOM = (1L << Flag.WRITE.ordinal()) | (1L << Flag.DENYOOM.ordinal());

    private void runLocked(Client c, CommandSpec cmd, byte[][] argv, boolean write) {
        // With WATCHes active a write goes the general way, which fingerprints watched keys.
        if (cmd.keyFinder == null && cmd.firstKey > 0 && cmd.firstKey == cmd.lastKey
                && !(write && watches.active())) {
            int slot = Slots.slot(argv[cmd.firstKey]);
            int held = c.heldSlot();
            if (held != slot) {
                if (held >= 0) releaseHeldSlot(c);
                keyspace.lock(slot);
            }
            boolean keep = false;
            try {
                cmd.handler.run(c, argv);
                propagate(c, cmd, argv);
                if (tracking.active()) track(c, cmd, argv);
                serveBlocked();
                if (write) c.db().remeasure(argv[cmd.firstKey]);
                // Within a read batch the lock stays for the next command if it is on this slot
                // too (a pipeline on one key), for a bounded run so other threads get their turn.
                keep = c.batching() && !c.blocked() && c.heldRun() < HELD_RUN_MAX;
            } finally {
                if (keep) {
                    c.heldSlot(slot);
                } else {
                    if (held == slot) c.heldSlot(-1);
                    keyspace.unlock(slot);
                }
            }
            return;
        }
        releaseHeldSlot(c);
        if (!cmd.hasKeys()) {
            cmd.handler.run(c, argv);
            propagate(c, cmd, argv);
            if (tracking.active()) track(c, cmd, argv);
            serveBlocked();
            return;
        }
        int[] pos = cmd.keyPositions(argv);
        int[] slots = slotsOf(argv, pos);
        int u = sortUnique(slots, slots.length);
        keyspace.lock(slots, u);
        try {
            java.util.List<Watches.Print> prints = write && watches.active() ? watches.before(argv, pos) : null;
            try {
                cmd.handler.run(c, argv);
            } finally {
                if (prints != null) watches.after(prints);
            }
            propagate(c, cmd, argv);
            if (tracking.active()) track(c, cmd, argv);
            serveBlocked();
            if (write) {
                // Aggregates the command grew or shrank in place report their new size.
                Db db = c.db();
                for (int p : pos) db.remeasure(argv[p]);
            }
        } finally {
            keyspace.unlock(slots, u);
        }
    }

    private static final int HELD_RUN_MAX = 64;

    /**
     * Gives back the slot lock {@code c} kept from its previous command (see Client#heldSlot).
     * Called before anything that takes other locks (multi-key and keyless commands, eviction)
     * and by the connection at the end of each read batch, so a kept lock is never held while
     * waiting for another one.
     */
    public void releaseHeldSlot(Client c) {
        int held = c.heldSlot();
        if (held >= 0) {
            c.heldSlot(-1);
            keyspace.unlock(held);
        }
    }

    /** Client-side caching: under the command's slot locks, so reads and writes of a key are ordered. */
    private void track(Client c, CommandSpec cmd, byte[][] argv) {
        if (cmd == flushall || cmd == flushdb) tracking.flushed(c);
        else tracking.afterCommand(c, cmd, argv);
    }

    /**
     * A write command that completed records its effect, still under its slot locks: the argv
     * itself, its deterministic rewrite (EXPIRE to PEXPIREAT...), or what it recorded itself.
     */
    private void propagate(Client c, CommandSpec cmd, byte[][] argv) {
        // A command that blocked changed nothing yet; serving it later records the pop it made.
        if ((cmd.flags & WRITE) == 0 || c.blocked()) return;
        dirty.increment();
        if (c.propagatedByCommand() || !propagation.active()) return;
        byte[][] record = cmd.rewrite == null ? argv : cmd.rewrite.effect(c, argv);
        if (record != null) c.propagate(record);
    }

    private static final long WRITE = 1L << io.amdc.core.command.Flag.WRITE.ordinal();

    private static int[] slotsOf(byte[][] argv, int[] pos) {
        int[] slots = new int[pos.length];
        for (int i = 0; i < pos.length; i++) slots[i] = Slots.slot(argv[pos[i]]);
        return slots;
    }

    /** Sorts the first {@code n} slots ascending and drops duplicates; returns the new length. */
    public static int sortUnique(int[] slots, int n) {
        java.util.Arrays.sort(slots, 0, n);
        int u = 0;
        for (int i = 0; i < n; i++) {
            if (u == 0 || slots[u - 1] != slots[i]) slots[u++] = slots[i];
        }
        return u;
    }

    /** Clients blocked on keys this command filled are served now, under its slot locks. */
    private void serveBlocked() {
        if (blocking.hasReady()) blocking.serveReady();
    }

    private void reject(Client c, CommandSpec cmd, String msg) {
        // A command rejected while queuing makes EXEC fail (Redis's flagTransaction).
        Transaction tx = c.transaction();
        if (tx != null) {
            tx.abort();
            if (cmd != null && cmd.name.equals("exec")) {
                // A rejected EXEC ends the transaction at once, quoting why.
                c.transaction(null);
                watches.unwatchAll(c);
                msg = "EXECABORT Transaction discarded because of: " + (msg.startsWith("ERR ") ? msg.substring(4) : msg);
            }
        }
        c.out().error(msg);
        stats.error(CommandError.code(msg));
        if (cmd != null) cmd.rejected.increment();
    }

    private static String unknownCommand(byte[][] argv) {
        StringBuilder sb = new StringBuilder("ERR unknown command '")
                .append(abbreviate(new String(argv[0], StandardCharsets.UTF_8)))
                .append("', with args beginning with: ");
        for (int i = 1; i < argv.length && sb.length() < 128; i++) {
            sb.append('\'').append(abbreviate(new String(argv[i], StandardCharsets.UTF_8))).append("' ");
        }
        return sb.toString().replace('\r', ' ').replace('\n', ' ');
    }

    /** Redis quotes at most 128 bytes of user input in an error. */
    private static String abbreviate(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }
}
