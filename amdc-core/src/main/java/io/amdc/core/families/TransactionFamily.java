package io.amdc.core.families;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.command.Flag;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.session.Client;
import io.amdc.core.tx.Transaction;
import io.amdc.core.tx.Watches;

import java.util.Arrays;
import java.util.List;

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queueing happens in the dispatcher ({@link Engine#execute});
 * watched-key bookkeeping in {@link Watches}.
 *
 * <p>Atomicity: EXEC takes, in ascending order, the slot locks of every key the queued commands
 * declare plus those of the client's watched keys, then runs the commands one after another
 * (each command's own locking is reentrant and so free). No other client can observe a state in
 * between: any command touching one of those keys needs one of those locks. A queued command that
 * reaches the keyspace without declaring keys (FLUSHALL, FLUSHDB, SWAPDB, KEYS, SCAN, RANDOMKEY,
 * DBSIZE, DEBUG...) or that widens its locking at run time (SORT with BY/GET patterns) would have
 * to take slot locks out of order while holding others, which can deadlock; when one is queued,
 * EXEC takes every lock (Keyspace.lockAll) instead. The rule: keyless commands that are write,
 * admin or in @keyspace, and SORT/SORT_RO, make the transaction global.
 */
public final class TransactionFamily {
    private TransactionFamily() {
    }

    static void declare(CommandTable t) {
        t.add("multi", 1, "noscript loading stale fast allow_busy", "@transaction", TransactionFamily::multi)
                .doc("Starts a transaction.", "1.2.0", "transactions", "O(1)");
        t.add("exec", 1, "noscript loading stale skip_slowlog", "@transaction", TransactionFamily::exec)
                .doc("Executes all commands in a transaction.", "1.2.0", "transactions", "Depends on commands in the transaction");
        t.add("discard", 1, "noscript loading stale fast allow_busy", "@transaction", TransactionFamily::discard)
                .doc("Discards a transaction.", "2.0.0", "transactions", "O(N), when N is the number of queued commands");
        t.add("watch", -2, "noscript loading stale fast allow_busy", "@transaction", 1, -1, 1, TransactionFamily::watch)
                .doc("Monitors changes to keys to determine the execution of a transaction.", "2.2.0", "transactions",
                        "O(1) for every key.");
        t.add("unwatch", 1, "noscript loading stale fast allow_busy", "@transaction", TransactionFamily::unwatch)
                .doc("Forgets about watched keys of a transaction.", "2.2.0", "transactions", "O(1)");
    }

    static void multi(Client c, byte[][] argv) {
        if (c.transaction() != null) throw new CommandError("ERR MULTI calls can not be nested");
        c.transaction(new Transaction());
        c.out().ok();
    }

    static void discard(Client c, byte[][] argv) {
        if (c.transaction() == null) throw new CommandError("ERR DISCARD without MULTI");
        c.transaction(null);
        c.engine().watches().unwatchAll(c);
        c.out().ok();
    }

    /** WATCH key...; the dispatcher holds the keys' slot locks. */
    static void watch(Client c, byte[][] argv) {
        if (c.transaction() != null) throw new CommandError("ERR WATCH inside MULTI is not allowed");
        Watches w = c.engine().watches();
        for (int i = 1; i < argv.length; i++) w.watch(c, c.dbIndex(), argv[i]);
        c.out().ok();
    }

    static void unwatch(Client c, byte[][] argv) {
        c.engine().watches().unwatchAll(c);
        c.out().ok();
    }

    static void exec(Client c, byte[][] argv) {
        Transaction tx = c.transaction();
        if (tx == null) throw new CommandError("ERR EXEC without MULTI");
        Engine engine = c.engine();
        Watches watches = engine.watches();
        c.transaction(null);
        if (tx.aborted()) {
            watches.unwatchAll(c);
            throw new CommandError("EXECABORT Transaction discarded because of previous errors.");
        }
        Keyspace ks = engine.keyspace();
        int[] slots = lockPlan(c, tx);
        if (slots == null) ks.lockAll();
        else ks.lock(slots, slots.length);
        try {
            List<Watches.Watch> watched = c.watched();
            if (watched != null) {
                // A watched key whose TTL ran out since WATCH counts as modified: looking it up
                // expires it, which touches it.
                for (Watches.Watch w : watched) ks.db(w.db()).exists(w.key());
            }
            boolean dirty = c.dirtyCas();
            watches.unwatchAll(c);
            if (dirty) {
                c.out().nullArray();
                return;
            }
            // The transaction's records replay as one unit: MULTI ... EXEC, nothing in between.
            boolean atomic = engine.propagation().beginAtomic();
            try {
                run(c, tx);
            } finally {
                if (atomic) engine.propagation().endAtomic();
            }
        } finally {
            if (slots == null) ks.unlockAll();
            else ks.unlock(slots, slots.length);
        }
    }

    private static void run(Client c, Transaction tx) {
        Engine engine = c.engine();
        CommandSpec self = c.lastCommand();
        int n = tx.size();
        c.out().array(n);
        c.inExec(true);
        try {
            for (int i = 0; i < n; i++) {
                CommandSpec cmd = tx.command(i);
                c.lastCommand(cmd);
                engine.call(c, cmd, tx.args(i));
            }
        } finally {
            c.inExec(false);
            c.lastCommand(self);
        }
    }

    /**
     * The sorted, distinct slots EXEC must lock: the queued commands' declared keys and the
     * watched keys. Null means every slot (see the class comment for when).
     */
    static int[] lockPlan(Client c, Transaction tx) {
        int[] slots = new int[8];
        int n = 0;
        for (int i = 0; i < tx.size(); i++) {
            CommandSpec cmd = tx.command(i);
            if (needsAllLocks(cmd)) return null;
            if (!cmd.hasKeys()) continue;
            byte[][] argv = tx.args(i);
            for (int p : cmd.keyPositions(argv)) {
                if (n == slots.length) slots = Arrays.copyOf(slots, n * 2);
                slots[n++] = Slots.slot(argv[p]);
            }
        }
        List<Watches.Watch> watched = c.watched();
        if (watched != null) {
            for (Watches.Watch w : watched) {
                if (n == slots.length) slots = Arrays.copyOf(slots, n * 2);
                slots[n++] = Slots.slot(w.key());
            }
        }
        int u = Engine.sortUnique(slots, n);
        return Arrays.copyOf(slots, u);
    }

    private static boolean needsAllLocks(CommandSpec cmd) {
        CommandSpec root = cmd.parent == null ? cmd : cmd.parent;
        if (root.name.equals("sort") || root.name.equals("sort_ro")) return true;
        if (cmd.hasKeys()) return false;
        return cmd.has(Flag.WRITE) || cmd.has(Flag.ADMIN) || cmd.aclCategories.contains("@keyspace");
    }
}
