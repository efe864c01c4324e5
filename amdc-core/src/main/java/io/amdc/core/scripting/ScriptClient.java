package io.amdc.core.scripting;

import io.amdc.core.Engine;
import io.amdc.core.session.InternalClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The client redis.call runs commands as: replies land in a private heap buffer the Lua side
 * converts back into Lua values. Never blocks (blocking commands answer as if timed out).
 */
final class ScriptClient extends InternalClient {
    final ByteBuf replies = Unpooled.buffer(256);

    ScriptClient(Engine engine) {
        super(engine, 0);
        authenticated(true);
        out().target(replies);
    }

    private final java.util.List<Integer> pendingDbs = new java.util.ArrayList<>();
    private final java.util.List<byte[][]> pending = new java.util.ArrayList<>();

    /** A script's writes are collected and appended as one unit when it ends ({@link #flushEffects}). */
    @Override
    protected long emitRecord(int db, byte[][] argv) {
        if (!engine().propagation().active()) return 0;
        pendingDbs.add(db);
        pending.add(argv);
        return 0;
    }

    /** Appends the script's collected writes (MULTI/EXEC around several); the stream offset or 0. */
    long flushEffects() {
        if (pending.isEmpty()) return 0;
        long off = engine().propagation().emitUnit(pendingDbs, pending);
        pending.clear();
        pendingDbs.clear();
        return off;
    }

    @Override
    public String flagLetters() {
        return "S";
    }
}
