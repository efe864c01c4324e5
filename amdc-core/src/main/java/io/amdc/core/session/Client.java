package io.amdc.core.session;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.keyspace.Db;
import io.amdc.core.pubsub.Subscriber;
import io.amdc.resp.RespOut;

/**
 * A connected client as the command layer sees it: its selected database, protocol, identity and
 * reply stream. The network layer subclasses it to supply the connection-level operations.
 * All fields are touched only by the client's own event loop, except where marked volatile.
 */
public abstract class Client {
    public enum ReplyMode { ON, OFF, SKIP }

    public final long id;
    protected final Engine engine;
    private final RespOut out = new RespOut();
    private int dbIndex;
    private Db db;
    private volatile String name = "";
    private volatile String libName = "";
    private volatile String libVer = "";
    private volatile boolean authenticated;
    private volatile String user = "default";
    public final long createdAtMs = System.currentTimeMillis();
    // Written on every read / command by the client's own thread and only displayed elsewhere
    // (CLIENT LIST, the idle timeout): plain fields, as a volatile store per command is a fence.
    private long lastInteractionMs = createdAtMs;
    private CommandSpec lastCommand;
    /**
     * A slot lock kept between consecutive single-key commands of one read batch on the same slot
     * (-1: none), so a pipeline on one key takes and hands over the lock once per batch, not per
     * command; see Engine#releaseHeldSlot. Only while {@link #batching}.
     */
    private int heldSlot = -1;
    private int heldRun;
    private boolean batching;
    private boolean closeAfterReply;
    private ReplyMode replyMode = ReplyMode.ON;
    private volatile boolean noEvict;
    private volatile boolean noTouch;

    protected Client(Engine engine, long id) {
        this.engine = engine;
        this.id = id;
        this.authenticated = !engine.authRequired();
        select(0);
    }

    public Engine engine() {
        return engine;
    }

    public RespOut out() {
        return out;
    }

    public Db db() {
        return db;
    }

    public int dbIndex() {
        return dbIndex;
    }

    public void select(int index) {
        this.dbIndex = index;
        this.db = engine.keyspace().db(index);
    }

    /** Re-resolves the Db after SWAPDB/FLUSHALL replaced the objects behind the index. */
    public void refreshDb() {
        this.db = engine.keyspace().db(dbIndex);
    }

    public String name() {
        return name;
    }

    public void name(String n) {
        this.name = n;
    }

    public String libName() {
        return libName;
    }

    public void libName(String v) {
        this.libName = v;
    }

    public String libVer() {
        return libVer;
    }

    public void libVer(String v) {
        this.libVer = v;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean a) {
        this.authenticated = a;
    }

    public String user() {
        return user;
    }

    public void user(String u) {
        this.user = u;
    }

    public long lastInteractionMs() {
        return lastInteractionMs;
    }

    public void markInteraction(long now) {
        this.lastInteractionMs = now;
    }

    public int heldSlot() {
        return heldSlot;
    }

    public void heldSlot(int slot) {
        heldSlot = slot;
        heldRun = slot < 0 ? 0 : heldRun + 1;
    }

    /** Commands run under the currently held slot lock. */
    public int heldRun() {
        return heldRun;
    }

    public boolean batching() {
        return batching;
    }

    /** Set by the connection around the commands of one read batch. */
    public void batching(boolean on) {
        batching = on;
        batchClock = 0;
    }

    /**
     * Within a read batch, when the previous command ended (System.nanoTime), so the next one's
     * start costs no clock read: one clock read per command instead of two (the clock was 6% of
     * a pipelined GET's CPU). A command's time then includes parsing it; 0 when not known.
     */
    private long batchClock;

    /** Takes the batch clock (0 if none); nested calls (EXEC's commands) read their own. */
    public long takeBatchClock() {
        long t = batchClock;
        batchClock = 0;
        return t;
    }

    public void batchClock(long endNanos) {
        if (batching) batchClock = endNanos;
    }

    public CommandSpec lastCommand() {
        return lastCommand;
    }

    public void lastCommand(CommandSpec c) {
        this.lastCommand = c;
    }

    /** QUIT / protocol errors: close once the pending replies are written. */
    public void closeAfterReply() {
        this.closeAfterReply = true;
    }

    public boolean closingAfterReply() {
        return closeAfterReply;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    /**
     * CLIENT REPLY ON|OFF|SKIP. OFF and SKIP silence their own reply too; SKIP also silences the
     * next command's.
     */
    public void replyMode(ReplyMode m) {
        this.replyMode = m == ReplyMode.SKIP ? ReplyMode.ON : m;
        this.skipCommands = m == ReplyMode.SKIP ? 2 : 0;
        out.muted(m != ReplyMode.ON);
    }

    private int skipCommands;

    /** Called by the dispatcher before each command to apply CLIENT REPLY. */
    public void beginCommand() {
        out.muted(replyMode == ReplyMode.OFF || skipCommands > 0);
    }

    public void endCommand() {
        if (skipCommands > 0) skipCommands--;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(boolean v) {
        this.noEvict = v;
    }

    public boolean noTouch() {
        return noTouch;
    }

    public void noTouch(boolean v) {
        this.noTouch = v;
    }

    public int protocol() {
        return out.protocol();
    }

    /** "ip:port" of the peer. */
    public abstract String addr();

    /** "ip:port" of the local side. */
    public abstract String laddr();

    /** A file-descriptor-like number for CLIENT LIST. */
    public abstract int fd();

    /** Closes the connection from any thread (CLIENT KILL, SHUTDOWN). */
    public abstract void kill();

    /** Bytes of request data received but not yet executed. */
    public abstract long queryBufferBytes();

    /** Bytes of replies waiting to be written to the socket. */
    public abstract long outputBufferBytes();

    // ---- blocking commands (see io.amdc.core.blocking.BlockingRegistry) ----

    /** The registry's handle while this client waits in a blocking command; own thread only. */
    private volatile Object blockedOn;

    /** True while a blocking command waits: the connection must not run further commands. */
    public boolean blocked() {
        return blockedOn != null;
    }

    /** Set by the registry when this client starts waiting. */
    public void blockedOn(Object waiter) {
        this.blockedOn = waiter;
    }

    /** Whether this client can wait at all; internal clients (scripts) get the timeout reply at once. */
    public boolean canBlock() {
        return false;
    }

    /** Runs {@code task} later on this client's own I/O thread. */
    public void runOnLoop(Runnable task) {
        throw new UnsupportedOperationException("client cannot block");
    }

    /** Runs {@code task} on this client's own I/O thread after {@code delayMs}; cancellable. */
    public java.util.concurrent.Future<?> schedule(Runnable task, long delayMs) {
        throw new UnsupportedOperationException("client cannot block");
    }

    /**
     * Ends the wait, from any thread: later, on this client's own thread, {@code writeReply} runs
     * with {@link #out()} aimed at the connection's reply buffer, then pipelined commands resume.
     */
    public void unblocked(Runnable writeReply) {
        throw new UnsupportedOperationException("client cannot block");
    }

    // ---- out-of-band messages (MONITOR lines, tracking invalidations) ----

    /**
     * Queues already encoded RESP bytes to be written to this client on its own event loop, from
     * any thread; consecutive messages are written in one batch. Internal clients drop them.
     */
    public void sendAsync(byte[] resp) {
    }

    /** CLIENT TRACKING settings, null while tracking is off (see io.amdc.core.tracking.Tracking). */
    private volatile io.amdc.core.tracking.TrackingState tracking;

    public io.amdc.core.tracking.TrackingState tracking() {
        return tracking;
    }

    public void tracking(io.amdc.core.tracking.TrackingState s) {
        this.tracking = s;
    }

    /**
     * The client-output-buffer-limit class ({@link io.amdc.core.config.OutputBufferLimits#NORMAL},
     * REPLICA, PUBSUB) whose limits apply to this client's pending replies.
     */
    public int outputLimitClass() {
        return io.amdc.core.config.OutputBufferLimits.NORMAL;
    }

    // ---- propagation (see io.amdc.core.propagation.Propagation) ----

    /** The current command recorded its effect itself; the dispatcher must not record argv. */
    private boolean propagatedByCommand;
    /** Stream offset after this client's latest record: its replies wait until that is durable. */
    private long propagatedOffset;

    /**
     * Records the effect of the running command as {@code argv} (in this client's database) instead
     * of the command itself: EXPIRE becomes PEXPIREAT, a served BLPOP becomes LPOP. May be called
     * several times; each call is one record. Call it while the command's slot locks are held.
     */
    public void propagate(byte[]... argv) {
        propagatedByCommand = true;
        long off = emitRecord(dbIndex, argv);
        if (off != 0) propagatedOffset = off;
    }

    /** The running write command changed nothing, so nothing is recorded for it (an XCLAIM that claimed nothing). */
    public void propagateNothing() {
        propagatedByCommand = true;
    }

    /** Appends one record to the stream; a script's client collects them instead (see ScriptClient). */
    protected long emitRecord(int db, byte[][] argv) {
        return engine.propagation().emit(db, argv);
    }

    /** This client's replies also wait until stream offset {@code off} is durable (script effects). */
    public void awaitPropagated(long off) {
        if (off > propagatedOffset) propagatedOffset = off;
    }

    /** Called by the dispatcher around each command; true when the command recorded itself. */
    public boolean propagatedByCommand() {
        return propagatedByCommand;
    }

    public void resetPropagated() {
        propagatedByCommand = false;
    }

    public long propagatedOffset() {
        return propagatedOffset;
    }

    // ---- transactions and pub/sub (see TransactionFamily, PubSubFamily) ----

    /**
     * Non-zero while this client is in MULTI or subscribed: the dispatcher then takes its slow
     * path (queueing, subscribed-mode checks). One field so the common path tests one int.
     */
    private int gate;
    private io.amdc.core.tx.Transaction transaction;
    /** Keys this client WATCHes, or null; own thread only. */
    private java.util.List<io.amdc.core.tx.Watches.Watch> watched;
    /** A watched key was modified since WATCH: EXEC must fail. Set by other threads. */
    private volatile boolean dirtyCas;
    private boolean inExec;
    private volatile io.amdc.core.pubsub.Subscriber subscriber;

    public boolean gated() {
        return gate != 0;
    }

    private void regate() {
        Subscriber s = subscriber;
        gate = (transaction != null ? 1 : 0) | (s != null && s.count() > 0 ? 2 : 0);
    }

    /** The open MULTI, or null. */
    public io.amdc.core.tx.Transaction transaction() {
        return transaction;
    }

    public void transaction(io.amdc.core.tx.Transaction t) {
        this.transaction = t;
        regate();
    }

    public java.util.List<io.amdc.core.tx.Watches.Watch> watched() {
        return watched;
    }

    public void watched(java.util.List<io.amdc.core.tx.Watches.Watch> w) {
        this.watched = w;
    }

    public boolean dirtyCas() {
        return dirtyCas;
    }

    public void dirtyCas(boolean d) {
        this.dirtyCas = d;
    }

    /** True while EXEC runs the queued commands: blocking commands then answer as if timed out. */
    public boolean inExec() {
        return inExec;
    }

    public void inExec(boolean v) {
        this.inExec = v;
    }

    /** This client's subscriptions, or null when it never subscribed. */
    public io.amdc.core.pubsub.Subscriber subscriber() {
        return subscriber;
    }

    public void subscriber(io.amdc.core.pubsub.Subscriber s) {
        this.subscriber = s;
        regate();
    }

    /** Subscriptions changed: recompute whether the dispatcher must check subscribed mode. */
    public void subscriptionsChanged() {
        regate();
    }

    /**
     * Delivers already encoded pub/sub messages to the peer, from any thread. Clients without a
     * connection (scripts) drop them.
     */
    public void deliver(io.amdc.core.pubsub.Subscriber s) {
    }

    /** Flags letters for CLIENT LIST ("N" for a normal client), in Redis's order. */
    public String flagLetters() {
        StringBuilder sb = new StringBuilder(4);
        Subscriber s = subscriber;
        if (s != null && s.count() > 0) sb.append('P');
        if (transaction != null) sb.append('x');
        if (blocked()) sb.append('b');
        if (dirtyCas) sb.append('d');
        return sb.isEmpty() ? "N" : sb.toString();
    }
}
