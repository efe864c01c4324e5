package io.amdc.core.tx;

import io.amdc.core.command.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/** A client's open MULTI: the commands queued so far, and whether queuing one of them failed. */
public final class Transaction {
    final List<CommandSpec> commands = new ArrayList<>();
    final List<byte[][]> args = new ArrayList<>();
    /** A command was rejected while queuing: EXEC must answer EXECABORT (Redis's DIRTY_EXEC). */
    boolean aborted;

    public void queue(CommandSpec cmd, byte[][] argv) {
        commands.add(cmd);
        args.add(argv);
    }

    public void abort() {
        aborted = true;
    }

    public boolean aborted() {
        return aborted;
    }

    public CommandSpec command(int i) {
        return commands.get(i);
    }

    public byte[][] args(int i) {
        return args.get(i);
    }

    public int size() {
        return commands.size();
    }
}
