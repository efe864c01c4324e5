package io.amdc.core.command;

/**
 * Positions of key arguments for commands whose keys are not a simple first/last/step range
 * (numkeys arguments, STREAMS ..., options after keys). Returns the argv indexes of the keys.
 */
@FunctionalInterface
public interface KeyFinder {
    int[] keys(byte[][] argv);
}
