package io.amdc.core.types;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** A stream consumer group: its last delivered ID, read counter, pending entries list and consumers. */
public final class StreamGroup {
    /** Redis's SCG_INVALID_ENTRIES_READ: the read counter is unknown. */
    public static final long INVALID_ENTRIES_READ = -1;

    /** A pending (delivered, unacknowledged) entry. */
    public static final class Nack {
        public long deliveryTime;
        public long deliveryCount;
        public Consumer consumer;

        public Nack(long deliveryTime, long deliveryCount, Consumer consumer) {
            this.deliveryTime = deliveryTime;
            this.deliveryCount = deliveryCount;
            this.consumer = consumer;
        }
    }

    public static final class Consumer {
        public final byte[] name;
        public long seenTime;
        /** Last successful read or claim; -1 until then (XINFO's "inactive" is -1 then). */
        public long activeTime = -1;
        public final TreeMap<StreamId, Nack> pel = new TreeMap<>();

        Consumer(byte[] name, long now) {
            this.name = name;
            this.seenTime = now;
        }
    }

    public final byte[] name;
    public StreamId lastId;
    public long entriesRead;
    public final TreeMap<StreamId, Nack> pel = new TreeMap<>();
    private final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    StreamGroup(byte[] name, StreamId lastId, long entriesRead) {
        this.name = name;
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    public Consumer consumer(byte[] name) {
        return consumers.get(name);
    }

    /** Creates the consumer; null when it already exists. */
    public Consumer createConsumer(byte[] name, long now) {
        if (consumers.containsKey(name)) return null;
        Consumer c = new Consumer(name, now);
        consumers.put(name, c);
        return c;
    }

    public Consumer consumerOrCreate(byte[] name, long now) {
        Consumer c = consumers.get(name);
        return c != null ? c : createConsumer(name, now);
    }

    /** Deletes a consumer and its pending entries; returns how many it had. */
    public long deleteConsumer(byte[] name) {
        Consumer c = consumers.remove(name);
        if (c == null) return 0;
        for (StreamId id : c.pel.keySet()) pel.remove(id);
        return c.pel.size();
    }

    /** Consumers in name order. */
    public Iterable<Consumer> consumers() {
        return consumers.values();
    }

    public int consumerCount() {
        return consumers.size();
    }

    /** Acknowledges an ID; true when it was pending. */
    public boolean ack(StreamId id) {
        Nack n = pel.remove(id);
        if (n == null) return false;
        n.consumer.pel.remove(id);
        return true;
    }

    long memoryUsage() {
        return 128 + name.length + 80L * pel.size() + 96L * consumers.size();
    }

    StreamGroup copy() {
        StreamGroup g = new StreamGroup(name, lastId, entriesRead);
        for (Consumer c : consumers.values()) {
            Consumer nc = g.createConsumer(c.name, c.seenTime);
            nc.activeTime = c.activeTime;
        }
        for (Map.Entry<StreamId, Nack> e : pel.entrySet()) {
            Nack n = e.getValue();
            Consumer owner = g.consumers.get(n.consumer.name);
            Nack copy = new Nack(n.deliveryTime, n.deliveryCount, owner);
            g.pel.put(e.getKey(), copy);
            owner.pel.put(e.getKey(), copy);
        }
        return g;
    }
}
