package io.amdc.core.blocking;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.Flag;
import io.amdc.core.session.Client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * CLIENT PAUSE / UNPAUSE. While paused, a command the pause applies to (every command in ALL mode;
 * write and may-replicate commands in WRITE mode) is not rejected: its client is suspended like a
 * blocked client, with the command kept, and runs it when the pause ends (timer or UNPAUSE).
 * The dispatcher's cost when not paused is one volatile read.
 */
public final class ClientPause {
    private final Engine engine;
    private volatile boolean paused;
    private long endMs;
    private boolean all;
    private Future<?> timer;
    private final List<Postponed> postponed = new ArrayList<>();

    record Postponed(Client client, byte[][] argv) {
    }

    public ClientPause(Engine engine) {
        this.engine = engine;
    }

    /**
     * Whether {@code cmd} must wait; if so the client is now suspended and the command will be
     * executed again when the pause ends.
     */
    public boolean postpone(Client c, CommandSpec cmd, byte[][] argv) {
        if (!paused || !c.canBlock()) return false;
        synchronized (this) {
            if (!paused) return false;
            if (System.currentTimeMillis() >= endMs) {
                // The timer is due; let this command through rather than wait for it.
                return false;
            }
            if (!all && !cmd.has(Flag.WRITE) && !cmd.has(Flag.MAY_REPLICATE)) return false;
            postponed.add(new Postponed(c, argv));
            c.blockedOn(this);
            return true;
        }
    }

    /** CLIENT PAUSE: a later end time or a stricter mode wins over the current pause. */
    public void pause(Client by, long timeoutMs, boolean allMode) {
        synchronized (this) {
            long end = System.currentTimeMillis() + timeoutMs;
            if (paused) {
                all |= allMode;
                if (end <= endMs) return;
            } else {
                all = allMode;
            }
            endMs = end;
            paused = true;
            if (timer != null) timer.cancel(false);
            timer = by.schedule(this::unpause, timeoutMs);
        }
    }

    public boolean paused() {
        return paused;
    }

    /** Ends the pause and runs every postponed command on its client's own thread, in arrival order. */
    public void unpause() {
        List<Postponed> resume;
        synchronized (this) {
            if (!paused) return;
            paused = false;
            if (timer != null) timer.cancel(false);
            timer = null;
            resume = new ArrayList<>(postponed);
            postponed.clear();
        }
        for (Postponed p : resume) {
            if (!engine.clients().containsKey(p.client.id)) continue; // disconnected meanwhile
            p.client.unblocked(() -> engine.execute(p.client, p.argv));
        }
    }

    /** The connection closed: drop its postponed command. */
    public synchronized void disconnected(Client c) {
        postponed.removeIf(p -> p.client == c);
    }
}
