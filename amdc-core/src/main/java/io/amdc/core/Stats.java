package io.amdc.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters behind INFO stats / errorstats; reset by CONFIG RESETSTAT. */
public final class Stats {
    public final LongAdder commandsProcessed = new LongAdder();
    public final LongAdder connectionsReceived = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder keyspaceHits = new LongAdder();
    public final LongAdder keyspaceMisses = new LongAdder();
    public final LongAdder totalErrorReplies = new LongAdder();
    public final LongAdder unexpectedErrorReplies = new LongAdder();
    public final LongAdder clientQueryBufferLimitDisconnections = new LongAdder();
    public final LongAdder clientOutputBufferLimitDisconnections = new LongAdder();
    public final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    public void error(String code) {
        totalErrorReplies.increment();
        if (errors.size() < 128 || errors.containsKey(code)) {
            errors.computeIfAbsent(code, k -> new LongAdder()).increment();
        }
    }

    public void reset() {
        for (LongAdder a : new LongAdder[]{commandsProcessed, connectionsReceived, rejectedConnections, netInputBytes,
                netOutputBytes, keyspaceHits, keyspaceMisses, totalErrorReplies, unexpectedErrorReplies,
                clientQueryBufferLimitDisconnections, clientOutputBufferLimitDisconnections}) {
            a.reset();
        }
        errors.clear();
    }
}
