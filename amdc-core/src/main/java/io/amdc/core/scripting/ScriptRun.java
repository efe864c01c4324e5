package io.amdc.core.scripting;

import io.amdc.core.session.Client;

/** The state of one EVAL/FCALL while it runs: what it may do, what it did, what it holds. */
final class ScriptRun {
    final Client caller;
    final String name;          // the SHA1 of a script, the function name of an FCALL
    final boolean function;
    final boolean readOnly;     // EVAL_RO/FCALL_RO or the no-writes flag
    final int[] declared;       // slots the dispatcher locked for the declared keys, sorted, unique
    final long startNanos = System.nanoTime();
    int maxHeldSlot = -1;
    int[] extraSlots = new int[8];
    int extraCount;
    boolean global;             // every slot lock held
    boolean wrote;
    boolean abortForGlobal;     // an undeclared key was busy before any write: re-run globally
    int resp = 2;
    volatile boolean busy;      // past busy-reply-threshold
    volatile boolean killed;

    ScriptRun(Client caller, String name, boolean function, boolean readOnly, int[] declared) {
        this.caller = caller;
        this.name = name;
        this.function = function;
        this.readOnly = readOnly;
        this.declared = declared;
        if (declared.length > 0) maxHeldSlot = declared[declared.length - 1];
    }

    boolean declares(int slot) {
        return java.util.Arrays.binarySearch(declared, slot) >= 0;
    }

    void addExtra(int slot) {
        if (extraCount == extraSlots.length) extraSlots = java.util.Arrays.copyOf(extraSlots, extraCount * 2);
        extraSlots[extraCount++] = slot;
        if (slot > maxHeldSlot) maxHeldSlot = slot;
    }
}
