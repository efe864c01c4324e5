package io.amdc.core.keyspace;

import java.util.concurrent.atomic.LongAdder;

/**
 * All databases and the slot locks. The hash slot is the unit of locking: a command holds the
 * locks of its keys' slots (taken in ascending order, so two commands never deadlock), and the
 * rare whole-keyspace commands (FLUSHALL, SWAPDB) take every lock.
 */
public final class Keyspace {
    private final Db[] dbs;
    private final SlotLocks locks = new SlotLocks(Slots.COUNT);
    private volatile boolean activeExpireEnabled = true;
    private final LongAdder expiredKeys = new LongAdder();
    private final LongAdder expiredTimeCapReached = new LongAdder();
    private volatile KeyspaceListener listener = KeyspaceListener.NONE;
    private final LongAdder evictedKeys = new LongAdder();
    private final Evictor evictor = new Evictor(this, evictedKeys);
    /** LFU access words instead of the LRU clock (an -lfu maxmemory-policy is set). */
    private volatile boolean lfu;
    private volatile long lfuLogFactor = 10;
    private volatile long lfuDecayTime = 1;
    /** WATCH bookkeeping (io.amdc.core.tx.Watches), separate from {@link #listener}. */
    private volatile KeyspaceListener watchListener = KeyspaceListener.NONE;
    private int expireCursorDb;
    private int expireCursorSlot;

    /** Cells of every database's small strings (one slab, so MOVE and SWAPDB keep their cells). */
    private final CellSlab slab = new CellSlab();

    public Keyspace(int databases) {
        dbs = new Db[databases];
        for (int i = 0; i < databases; i++) dbs[i] = new Db(this, i);
    }

    public CellSlab slab() {
        return slab;
    }

    public int databases() {
        return dbs.length;
    }

    public Db db(int index) {
        return dbs[index];
    }

    public void listener(KeyspaceListener l) {
        this.listener = l == null ? KeyspaceListener.NONE : l;
    }

    public void watchListener(KeyspaceListener l) {
        this.watchListener = l == null ? KeyspaceListener.NONE : l;
    }

    public long now() {
        return System.currentTimeMillis();
    }

    boolean expireLazily() {
        return true;
    }

    void expired(Db db, byte[] key) {
        expiredKeys.increment();
        listener.expired(db.index, key);
        watchListener.expired(db.index, key);
    }

    public long expiredKeys() {
        return expiredKeys.sum();
    }

    public long expiredTimeCapReached() {
        return expiredTimeCapReached.sum();
    }

    void created(Db db, byte[] key) {
        listener.created(db.index, key);
    }

    void missed(Db db, byte[] key) {
        listener.missed(db.index, key);
    }

    void evicted(Db db, byte[] key) {
        listener.evicted(db.index, key);
    }

    public Evictor evictor() {
        return evictor;
    }

    public long evictedKeys() {
        return evictedKeys.sum();
    }

    public void resetEvictedKeys() {
        evictedKeys.reset();
    }

    /**
     * Switches the access word between the LRU clock and the LFU counter. Existing words keep
     * their meaning until touched, as in Redis ("LRU and LFU data will take some time to adjust").
     */
    public void lfu(boolean on, long logFactor, long decayTime) {
        this.lfuLogFactor = logFactor;
        this.lfuDecayTime = decayTime;
        this.lfu = on;
    }

    public boolean lfu() {
        return lfu;
    }

    long lfuDecayTime() {
        return lfuDecayTime;
    }

    /** Heap estimate of every database's keys, values and tables. */
    public long datasetBytes() {
        long n = 0;
        for (Db d : dbs) n += d.memory();
        return n;
    }

    /**
     * False while some client WATCHes a key: WATCH detects a write by the cell's identity
     * changing (a SET of the very same bytes must still abort EXEC), so values are then replaced,
     * never overwritten in place.
     */
    private volatile java.util.function.BooleanSupplier inPlaceGate = () -> true;

    public void inPlaceGate(java.util.function.BooleanSupplier gate) {
        this.inPlaceGate = gate;
    }

    boolean inPlaceWrites() {
        return inPlaceGate.getAsBoolean();
    }

    int initialAccess() {
        return lfu ? AccessClock.lfuInitial() : AccessClock.lru();
    }

    /**
     * A value replaced by SET-like commands: a fresh LRU stamp, but the LFU counter carries over
     * (the command's own lookup already counted the access), as Redis does on overwrite.
     */
    void overwritten(SlotTable t, int i) {
        if (!lfu) t.accessAt(i, AccessClock.lru());
    }

    void touchAccess(SlotTable t, int i) {
        if (lfu) t.accessAt(i, AccessClock.lfuTouched(t.accessAt(i), lfuLogFactor, lfuDecayTime));
        else t.accessAt(i, AccessClock.lru());
    }

    /**
     * Sees every slot lock taken while a point-in-time snapshot runs (AOF rewrite, BGSAVE): the
     * snapshot serializes a slot the first time anyone locks it, before they can change it
     * ("serialize before mutate"), so the snapshot is the state at its start without a copy.
     */
    public interface SlotGuard {
        /** Called with {@code slot}'s lock just taken by the current thread. */
        void locked(int slot);
    }

    private static final SlotGuard[] NO_GUARDS = {};
    /** One per snapshot in progress (a BGSAVE and an AOF rewrite may overlap); copy-on-write. */
    private volatile SlotGuard[] guards = NO_GUARDS;

    /**
     * Installs a snapshot guard. Install it while holding every lock ({@link #lockAll}), so no
     * command is half-way through a slot when the snapshot starts. Every path that changes a
     * slot (commands, expiry, eviction, FLUSHALL/SWAPDB under {@link #lockAll}) takes its lock first.
     */
    public synchronized void addGuard(SlotGuard g) {
        SlotGuard[] cur = guards;
        SlotGuard[] next = java.util.Arrays.copyOf(cur, cur.length + 1);
        next[cur.length] = g;
        guards = next;
    }

    public synchronized void removeGuard(SlotGuard g) {
        SlotGuard[] cur = guards;
        int n = 0;
        SlotGuard[] next = new SlotGuard[cur.length];
        for (SlotGuard x : cur) {
            if (x != g) next[n++] = x;
        }
        guards = n == 0 ? NO_GUARDS : java.util.Arrays.copyOf(next, n);
    }

    private void guarded(int slot) {
        for (SlotGuard g : guards) g.locked(slot);
    }

    public void lock(int slot) {
        locks.lock(slot);
        guarded(slot);
    }

    public void unlock(int slot) {
        locks.unlock(slot);
    }

    /** Takes a slot lock only if free now (a thread already holding other slots must not wait). */
    public boolean tryLock(int slot) {
        if (!locks.tryLock(slot)) return false;
        guarded(slot);
        return true;
    }

    public boolean heldByCurrentThread(int slot) {
        return locks.heldByCurrentThread(slot);
    }

    /** Locks the given slots; they must be sorted ascending and without duplicates. */
    public void lock(int[] slots, int n) {
        for (int i = 0; i < n; i++) locks.lock(slots[i]);
        SlotGuard[] gs = guards;
        if (gs.length > 0) {
            for (int i = 0; i < n; i++) {
                for (SlotGuard g : gs) g.locked(slots[i]);
            }
        }
    }

    public void unlock(int[] slots, int n) {
        for (int i = n - 1; i >= 0; i--) locks.unlock(slots[i]);
    }

    public void lockAll() {
        for (int i = 0; i < locks.size(); i++) locks.lock(i);
        SlotGuard[] gs = guards;
        for (int i = 0; gs.length > 0 && i < locks.size(); i++) {
            for (SlotGuard g : gs) g.locked(i);
        }
    }

    public void unlockAll() {
        for (int i = locks.size() - 1; i >= 0; i--) locks.unlock(i);
    }

    /** FLUSHDB; caller holds every lock (taken with {@link #lockAll}, so snapshots have their copy). */
    public void flush(int db) {
        watchListener.flushing(db);
        listener.flushing(db);
        dbs[db].clearAll();
        slab.releaseIfEmpty();
    }

    /** SWAPDB; caller holds every lock (taken with {@link #lockAll}). */
    public void swap(int a, int b) {
        watchListener.swapping(a, b);
        listener.swapping(a, b);
        dbs[a].swapWith(dbs[b]);
    }

    public long totalKeys() {
        long n = 0;
        for (Db d : dbs) n += d.size();
        return n;
    }

    public void activeExpire(boolean enabled) {
        this.activeExpireEnabled = enabled;
    }

    public boolean activeExpire() {
        return activeExpireEnabled;
    }

    /**
     * One run of the active expiry cycle: walks slot tables that hold TTLs, round-robin across
     * calls, deleting expired keys until {@code budgetNanos} is spent. Called from the server cron.
     */
    public void activeExpireCycle(long budgetNanos) {
        if (!activeExpireEnabled) return;
        long deadline = System.nanoTime() + budgetNanos;
        int visited = 0;
        int total = dbs.length * Slots.COUNT;
        while (visited < total) {
            Db db = dbs[expireCursorDb];
            if (!db.hadExpires()) {
                visited += Slots.COUNT - expireCursorSlot;
                expireCursorSlot = 0;
                expireCursorDb = (expireCursorDb + 1) % dbs.length;
                continue;
            }
            int slot = expireCursorSlot;
            if (++expireCursorSlot == Slots.COUNT) {
                expireCursorSlot = 0;
                expireCursorDb = (expireCursorDb + 1) % dbs.length;
            }
            visited++;
            SlotTable t = db.table(slot);
            if (t == null || t.expiresCount() == 0) continue;
            lock(slot);
            try {
                t = db.table(slot); // may have been replaced by FLUSHDB/SWAPDB meanwhile
                if (t != null) expireSlot(db, t);
            } finally {
                locks.unlock(slot);
            }
            if ((visited & 15) == 0 && System.nanoTime() > deadline) {
                expiredTimeCapReached.increment();
                return;
            }
        }
    }

    private void expireSlot(Db db, SlotTable t) {
        long now = now();
        int i = 0;
        while (i < t.capacity() && t.expiresCount() > 0) {
            long exp = t.used(i) ? t.expireAt(i) : 0;
            if (exp != 0 && exp <= now) {
                byte[] k = t.keyAt(i);
                t.removeAt(i);
                expired(db, k);
                // removeAt may shift a later entry into i (or shrink the table): look at i again.
                continue;
            }
            i++;
        }
    }
}
