package io.amdc.core.propagation;

import java.util.function.BiConsumer;

/**
 * What the command layer needs from the append-only file, which lives in amdc-persist (core
 * cannot depend on it): BGREWRITEAOF, INFO persistence's aof_* fields, and the reply barrier
 * of appendfsync always.
 */
public interface AofControl {
    /** BGREWRITEAOF: starts a rewrite and returns the status reply; throws CommandError when it cannot. */
    String rewrite();

    /** INFO persistence's aof_* fields, in Redis's order. */
    void info(BiConsumer<String, Object> field);

    /**
     * Called before replies are sent to a client whose last record ends at {@code offset} of the
     * stream: returns once the policy (appendfsync) allows the reply to leave.
     */
    void beforeReply(long offset);

    /** Until amdc-persist attaches itself: no file, the fields of a server with AOF off. */
    AofControl NONE = new AofControl() {
        @Override
        public String rewrite() {
            throw new io.amdc.core.command.CommandError("ERR Background append only file rewriting is not available");
        }

        @Override
        public void info(BiConsumer<String, Object> f) {
            f.accept("aof_enabled", 0);
            f.accept("aof_rewrite_in_progress", 0);
            f.accept("aof_rewrite_scheduled", 0);
            f.accept("aof_last_rewrite_time_sec", -1);
            f.accept("aof_current_rewrite_time_sec", -1);
            f.accept("aof_last_bgrewrite_status", "ok");
            f.accept("aof_rewrites", 0);
            f.accept("aof_rewrites_consecutive_failures", 0);
            f.accept("aof_last_write_status", "ok");
            f.accept("aof_last_cow_size", 0);
        }

        @Override
        public void beforeReply(long offset) {
        }
    };
}
