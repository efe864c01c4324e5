package io.amdc.core.blocking;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandError;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.session.Client;
import io.netty.buffer.ByteBuf;
import io.amdc.resp.IoBuffers;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients blocked on keys (BLPOP and friends), shared by every type that blocks.
 *
 * <p>Per (db, key) there is a FIFO queue of waiters. A command that finds no data calls
 * {@link #block}; a command that creates a key someone may wait on calls {@link #signal}; the
 * dispatcher calls {@link #serveReady} after the command body while the command's slot locks are
 * still held, so ready keys are served right after the command that filled them, in waiter order.
 *
 * <p>Threads: a waiter is served on the pushing thread, against the waiter's Client, and its
 * reply is handed to the waiter's own event loop, which then resumes parsing its pipeline. While
 * a client waits, its reply stage belongs to whichever thread serves it: its own loop leaves the
 * stage alone until the reply task runs (the loop may still be finishing the blocking command
 * when a pusher already serves it). Each
 * waiter's {@link Waiter#state} decides exactly once between served, timed out, unblocked and
 * disconnected. Queues are guarded by their own monitor; a key's data only by its slot lock.
 */
public final class BlockingRegistry {
    static final int WAITING = 0;
    static final int SERVING = 1;
    static final int DONE = 2;

    private final Engine engine;
    private final Map<WaitKey, WaitQueue> queues = new ConcurrentHashMap<>();
    private final Map<Long, Waiter> byClient = new ConcurrentHashMap<>();
    private final AtomicInteger blocked = new AtomicInteger();
    /** Keys signalled by the command running on this thread, served by {@link #serveReady}. */
    private final ThreadLocal<ArrayList<WaitKey>> ready = ThreadLocal.withInitial(ArrayList::new);

    public BlockingRegistry(Engine engine) {
        this.engine = engine;
    }

    /** INFO's blocked_clients. */
    public int blockedClients() {
        return blocked.get();
    }

    /** INFO's total_blocking_keys: keys with at least one waiter. */
    public int blockingKeys() {
        return queues.size();
    }

    record WaitKey(int db, byte[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof WaitKey w && w.db == db && Arrays.equals(w.key, key);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key) * 31 + db;
        }
    }

    static final class WaitQueue extends ArrayDeque<Waiter> {
        /** Set once removed from the map; adders then retry with a fresh queue. */
        boolean dead;
    }

    static final class Waiter {
        final Client client;
        final int db;
        final byte[][] keys;
        final BlockedCommand cmd;
        final AtomicInteger state = new AtomicInteger(WAITING);
        volatile Future<?> timer;

        Waiter(Client client, byte[][] keys, BlockedCommand cmd) {
            this.client = client;
            this.db = client.dbIndex();
            this.keys = keys;
            this.cmd = cmd;
        }
    }

    /**
     * Blocks {@code c} on {@code keys} until one is served, or until {@code timeoutMs} elapses
     * (0 = forever). Called by the blocking command, holding the locks of all {@code keys}, after it
     * found none of them ready; the command writes no reply itself. A client that cannot block
     * (scripts, MULTI) gets the timeout reply at once, as Redis does.
     */
    public void block(Client c, byte[][] keys, long timeoutMs, BlockedCommand cmd) {
        if (!c.canBlock()) {
            cmd.timedOut(c);
            return;
        }
        Waiter w = new Waiter(c, keys, cmd);
        for (byte[] k : keys) enqueue(new WaitKey(w.db, k), w);
        byClient.put(c.id, w);
        blocked.incrementAndGet();
        c.blockedOn(w);
        if (timeoutMs > 0) w.timer = c.schedule(() -> cancel(w, false, true), timeoutMs);
    }

    private void enqueue(WaitKey wk, Waiter w) {
        while (true) {
            WaitQueue q = queues.computeIfAbsent(wk, k -> new WaitQueue());
            synchronized (q) {
                if (q.dead) continue;
                if (!q.contains(w)) q.addLast(w);
                return;
            }
        }
    }

    private void dequeue(WaitKey wk, Waiter w) {
        WaitQueue q = queues.get(wk);
        if (q == null) return;
        synchronized (q) {
            q.remove(w);
            if (q.isEmpty() && !q.dead) {
                q.dead = true;
                queues.remove(wk, q);
            }
        }
    }

    /**
     * Marks {@code key} of database {@code db} as possibly ready. Called by a command holding the
     * key's slot lock, typically when it creates the key. Cheap when nobody is blocked.
     */
    public void signal(int db, byte[] key) {
        if (blocked.get() == 0) return;
        WaitKey wk = new WaitKey(db, key);
        if (!queues.containsKey(wk)) return;
        ArrayList<WaitKey> r = ready.get();
        if (!r.contains(wk)) r.add(wk);
    }

    /** Marks every key waited on in database {@code db} as possibly ready (SWAPDB). */
    public void signalDb(int db) {
        if (blocked.get() == 0) return;
        ArrayList<WaitKey> r = ready.get();
        for (WaitKey wk : queues.keySet()) {
            if (wk.db == db && !r.contains(wk)) r.add(wk);
        }
    }

    /** True when the current thread signalled keys that have waiters. */
    public boolean hasReady() {
        return blocked.get() != 0 && !ready.get().isEmpty();
    }

    /**
     * Serves the keys signalled on this thread. Called by the dispatcher after a command body,
     * with the command's slot locks still held. Keys whose slot this thread does not hold (created
     * by a served BLMOVE in another slot) are served later on a waiter's own thread.
     */
    public void serveReady() {
        ArrayList<WaitKey> r = ready.get();
        Keyspace ks = engine.keyspace();
        // Serving may signal more keys (BLMOVE into a watched key): loop until none remain.
        for (int i = 0; i < r.size(); i++) {
            WaitKey wk = r.get(i);
            int slot = Slots.slot(wk.key);
            if (ks.heldByCurrentThread(slot)) serveKey(wk);
            else serveLater(wk, -1);
        }
        r.clear();
    }

    private void serveKey(WaitKey wk) {
        WaitQueue q = queues.get(wk);
        if (q == null) return;
        Waiter[] snapshot;
        synchronized (q) {
            snapshot = q.toArray(new Waiter[0]);
        }
        for (Waiter w : snapshot) {
            int s;
            // Another thread serving w for another key decides quickly (it never waits on us).
            while ((s = w.state.get()) == SERVING) Thread.onSpinWait();
            if (s != WAITING || !w.state.compareAndSet(WAITING, SERVING)) continue;
            int outcome = attempt(w, wk.key);
            if (outcome == BlockedCommand.SKIP) {
                w.state.set(WAITING);
            } else if (outcome >= 0) {
                w.state.set(WAITING);
                serveLater(wk, outcome);
                return;
            }
        }
    }

    /** Runs the waiter's retry against its own client; on success finishes it. */
    private int attempt(Waiter w, byte[] key) {
        Client c = w.client;
        ByteBuf buf = IoBuffers.ALLOCATOR.buffer(64);
        ByteBuf saved = c.out().buffer();
        c.out().target(buf);
        int outcome;
        try {
            outcome = w.cmd.serve(c, key);
        } catch (CommandError e) {
            c.out().error(e.getMessage());
            engine.stats().error(CommandError.code(e.getMessage()));
            outcome = BlockedCommand.SERVED;
        } finally {
            c.out().target(saved);
        }
        if (outcome != BlockedCommand.SERVED) {
            buf.release();
            return outcome;
        }
        w.state.set(DONE);
        release(w);
        c.unblocked(() -> {
            c.out().buffer().writeBytes(buf);
            buf.release();
        });
        return outcome;
    }

    /**
     * Serves {@code wk} on the first waiter's own thread, which holds no locks and so may take the
     * key's slot lock (and {@code extraSlot}'s) in ascending order: this is how a BLMOVE whose
     * destination is in a slot the pushing thread does not hold gets served without risking a
     * lock-order deadlock.
     */
    private void serveLater(WaitKey wk, int extraSlot) {
        WaitQueue q = queues.get(wk);
        if (q == null) return;
        Waiter first;
        synchronized (q) {
            first = q.peekFirst();
        }
        if (first == null) return;
        first.client.runOnLoop(() -> {
            Keyspace ks = engine.keyspace();
            int a = Slots.slot(wk.key);
            int[] slots = extraSlot < 0 || extraSlot == a ? new int[] {a}
                    : new int[] {Math.min(a, extraSlot), Math.max(a, extraSlot)};
            ks.lock(slots, slots.length);
            try {
                serveKey(wk);
                serveReady();
            } finally {
                ks.unlock(slots, slots.length);
            }
        });
    }

    /** Removes a finished waiter from every queue and the counters. */
    private void release(Waiter w) {
        for (byte[] k : w.keys) dequeue(new WaitKey(w.db, k), w);
        byClient.remove(w.client.id, w);
        blocked.decrementAndGet();
        Future<?> t = w.timer;
        if (t != null) t.cancel(false);
    }

    /**
     * Ends a wait that was not served: timeout, CLIENT UNBLOCK or disconnect. Returns false when the
     * waiter had already finished.
     */
    private boolean cancel(Waiter w, boolean error, boolean reply) {
        while (true) {
            int s = w.state.get();
            if (s == SERVING) {
                Thread.onSpinWait();
                continue;
            }
            if (s != WAITING) return false;
            if (w.state.compareAndSet(WAITING, DONE)) break;
        }
        release(w);
        if (reply) {
            w.client.unblocked(() -> {
                if (error) w.client.out().error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
                else w.cmd.timedOut(w.client);
            });
        }
        return true;
    }

    /** CLIENT UNBLOCK: ends the client's wait with the timeout reply or an UNBLOCKED error. */
    public boolean unblock(long clientId, boolean error) {
        Waiter w = byClient.get(clientId);
        return w != null && cancel(w, error, true);
    }

    /** The connection closed: forget its wait, if any. */
    public void disconnected(Client c) {
        Waiter w = byClient.get(c.id);
        if (w != null) cancel(w, false, false);
    }
}
