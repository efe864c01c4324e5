package io.amdc.persist.rdb;

import java.util.List;

/**
 * A decoded RDB value in a neutral form, independent of AMDC's in-memory types (strings are plain
 * byte[] and have no record here). {@link ValueCodec#materialize} turns these into keyspace values;
 * check-rdb only inspects them.
 */
public sealed interface RdbValue {
    String typeName();

    long size();

    record ListVal(List<byte[]> elements) implements RdbValue {
        public String typeName() {
            return "list";
        }

        public long size() {
            return elements.size();
        }
    }

    record SetVal(List<byte[]> members) implements RdbValue {
        public String typeName() {
            return "set";
        }

        public long size() {
            return members.size();
        }
    }

    record ZSetVal(List<byte[]> members, double[] scores) implements RdbValue {
        public String typeName() {
            return "zset";
        }

        public long size() {
            return members.size();
        }
    }

    /** ttls is null when no field has an expiry; else absolute unix ms per field, 0 for none. */
    record HashVal(List<byte[]> fields, List<byte[]> values, long[] ttls) implements RdbValue {
        public String typeName() {
            return "hash";
        }

        public long size() {
            return fields.size();
        }
    }

    record StreamId(long ms, long seq) {
        @Override
        public String toString() {
            return ms + "-" + seq;
        }
    }

    /** One stream entry: its id and field/value pairs (fields[i] pairs with values[i]). */
    record StreamEntry(StreamId id, byte[][] fields, byte[][] values) {
    }

    record StreamPending(StreamId id, long deliveryTimeMs, long deliveryCount) {
    }

    record StreamConsumer(byte[] name, long seenTimeMs, long activeTimeMs, List<StreamId> pending) {
    }

    record StreamGroup(byte[] name, StreamId lastId, long entriesRead, List<StreamPending> pending,
                       List<StreamConsumer> consumers) {
    }

    /** A stream; entriesRead/entriesAdded/firstId/maxDeletedId are -1/null when the file (v1) lacks them. */
    record StreamVal(List<StreamEntry> entries, long length, StreamId lastId, StreamId firstId,
                     StreamId maxDeletedId, long entriesAdded, List<StreamGroup> groups) implements RdbValue {
        public String typeName() {
            return "stream";
        }

        public long size() {
            return length;
        }
    }
}
