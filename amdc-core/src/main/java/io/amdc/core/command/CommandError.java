package io.amdc.core.command;

/**
 * An error reply raised by a command before it wrote anything. The message is the full Redis
 * error line without the leading '-', e.g. "ERR value is not an integer or out of range".
 * Stack traces are never filled: this is control flow, not a bug report.
 */
public final class CommandError extends RuntimeException {
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String SYNTAX = "ERR syntax error";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";

    public CommandError(String message) {
        super(message, null, false, false);
    }

    public static CommandError wrongType() {
        return new CommandError(WRONGTYPE);
    }

    public static CommandError notInteger() {
        return new CommandError(NOT_INTEGER);
    }

    public static CommandError syntax() {
        return new CommandError(SYNTAX);
    }

    /** The error code: the first word ("ERR", "WRONGTYPE"...), as INFO errorstats counts it. */
    public static String code(String message) {
        int sp = message.indexOf(' ');
        return sp < 0 ? message : message.substring(0, sp);
    }
}
