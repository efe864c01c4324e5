package io.amdc.core.types;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A Redis stream. Entries are packed into nodes of at most stream-node-max-entries entries /
 * stream-node-max-bytes bytes, each node one byte[] (like Redis's listpacks), and the nodes sit
 * in a sorted map keyed by their first ID (Redis's radix tree). Within a node an entry is
 * [flags][ms delta varlong][zigzag seq delta varlong][values...], the deltas taken from the
 * node's first ID (so an entry's ID usually costs two bytes); when its field names equal the node's first
 * entry's they are not repeated (Redis's SAMEFIELDS). Deletion only flags an entry; a node is
 * dropped once every entry in it is deleted.
 */
public final class StreamValue extends AccountedValue {
    /** A decoded entry: its ID and field/value pairs flattened. */
    public record Entry(StreamId id, byte[][] fieldsAndValues) {
    }

    private static final int DELETED = 1;
    private static final int SAME_FIELDS = 2;

    private static final class Node {
        long masterMs;
        long masterSeq;
        byte[][] masterFields;
        byte[] buf;
        int used;
        int live;
        int total;

        Node copy() {
            Node n = new Node();
            n.masterMs = masterMs;
            n.masterSeq = masterSeq;
            n.masterFields = masterFields;
            n.buf = Arrays.copyOf(buf, used);
            n.used = used;
            n.live = live;
            n.total = total;
            return n;
        }
    }

    private final TreeMap<StreamId, Node> nodes = new TreeMap<>();
    /** Sum of {@link #nodeCost} over {@code nodes}, kept current so memoryUsage is O(groups). */
    private long nodesBytes;
    private long length;
    private StreamId lastId = StreamId.MIN;
    private StreamId firstId = StreamId.MIN;
    private StreamId maxDeletedId = StreamId.MIN;
    private long entriesAdded;
    private TreeMap<byte[], StreamGroup> groups;

    @Override
    public String typeName() {
        return "stream";
    }

    @Override
    public String encoding() {
        return "stream";
    }

    @Override
    public long memoryUsage() {
        long n = 64 + nodesBytes;
        if (groups != null) {
            for (StreamGroup g : groups.values()) n += g.memoryUsage();
        }
        return n;
    }

    /** A node's estimated footprint: the node, its tree entry, its buffer. */
    private static long nodeCost(Node node) {
        return 64 + 16 + node.buf.length + 40;
    }

    /** {@link #memoryUsage} recomputed from every node (tests check the running sum against it). */
    long memoryUsageByWalk() {
        long n = 64;
        for (Node node : nodes.values()) n += nodeCost(node);
        if (groups != null) {
            for (StreamGroup g : groups.values()) n += g.memoryUsage();
        }
        return n;
    }

    @Override
    public StreamValue copy() {
        StreamValue s = new StreamValue();
        for (Map.Entry<StreamId, Node> e : nodes.entrySet()) {
            Node c = e.getValue().copy();
            s.nodes.put(e.getKey(), c);
            s.nodesBytes += nodeCost(c);
        }
        s.length = length;
        s.lastId = lastId;
        s.firstId = firstId;
        s.maxDeletedId = maxDeletedId;
        s.entriesAdded = entriesAdded;
        if (groups != null) {
            s.groups = new TreeMap<>(Arrays::compareUnsigned);
            for (StreamGroup g : groups.values()) s.groups.put(g.name, g.copy());
        }
        return s;
    }

    public long length() {
        return length;
    }

    public StreamId lastId() {
        return lastId;
    }

    public StreamId firstId() {
        return firstId;
    }

    public StreamId maxDeletedId() {
        return maxDeletedId;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    public int nodeCount() {
        return nodes.size();
    }

    public void lastId(StreamId id) {
        lastId = id;
    }

    public void entriesAdded(long n) {
        entriesAdded = n;
    }

    public void maxDeletedId(StreamId id) {
        maxDeletedId = id;
    }

    // ---- consumer groups ---------------------------------------------------------------------

    public StreamGroup group(byte[] name) {
        return groups == null ? null : groups.get(name);
    }

    /** Creates a group; null when the name is taken. */
    public StreamGroup createGroup(byte[] name, StreamId lastDelivered, long entriesRead) {
        if (groups == null) groups = new TreeMap<>(Arrays::compareUnsigned);
        if (groups.containsKey(name)) return null;
        StreamGroup g = new StreamGroup(name, lastDelivered, entriesRead);
        groups.put(name, g);
        return g;
    }

    public boolean destroyGroup(byte[] name) {
        return groups != null && groups.remove(name) != null;
    }

    /** Groups in name order. */
    public Iterable<StreamGroup> groups() {
        return groups == null ? java.util.List.of() : groups.values();
    }

    public int groupCount() {
        return groups == null ? 0 : groups.size();
    }

    // ---- appending ---------------------------------------------------------------------------

    /** The ID XADD would give an entry: auto ("*"), with only ms given, or explicit; null if not greater than the top. */
    public StreamId nextId(StreamId given, boolean seqGiven, long nowMs) {
        if (given == null) {
            if (Long.compareUnsigned(nowMs, lastId.ms()) > 0) return new StreamId(nowMs, 0);
            return lastId.next();
        }
        if (!seqGiven) {
            int c = Long.compareUnsigned(given.ms(), lastId.ms());
            if (c > 0) return new StreamId(given.ms(), 0);
            if (c < 0 || lastId.seq() == -1L) return null;
            return new StreamId(given.ms(), lastId.seq() + 1);
        }
        return given.compareTo(lastId) > 0 ? given : null;
    }

    /** Appends argv[from..from+2n) as field/value pairs under {@code id}, which must exceed lastId. */
    public void append(StreamId id, byte[][] argv, int from, int pairs, long nodeMaxEntries, long nodeMaxBytes) {
        Map.Entry<StreamId, Node> last = nodes.lastEntry();
        Node node = last == null ? null : last.getValue();
        int size = node == null ? 0 : entrySize(node, id, argv, from, pairs);
        if (node == null || (nodeMaxEntries > 0 && node.total >= nodeMaxEntries)
                || (nodeMaxBytes > 0 && node.used + size >= nodeMaxBytes)) {
            // The full node will not grow again: drop its spare capacity.
            if (node != null && node.buf.length > node.used) {
                nodesBytes -= node.buf.length - node.used;
                node.buf = Arrays.copyOf(node.buf, node.used);
            }
            node = new Node();
            node.masterMs = id.ms();
            node.masterSeq = id.seq();
            node.masterFields = new byte[pairs][];
            for (int i = 0; i < pairs; i++) node.masterFields[i] = argv[from + 2 * i];
            size = entrySize(node, id, argv, from, pairs);
            node.buf = new byte[Math.max(size, 64)];
            nodes.put(id, node);
            nodesBytes += nodeCost(node);
        }
        boolean same = sameFields(node.masterFields, argv, from, pairs);
        if (node.used + size > node.buf.length) {
            int old = node.buf.length;
            node.buf = Arrays.copyOf(node.buf, Math.max(node.used + size, Math.min(node.buf.length * 2, node.used + size + 4096)));
            nodesBytes += node.buf.length - old;
        }
        byte[] b = node.buf;
        int p = node.used;
        b[p++] = (byte) (same ? SAME_FIELDS : 0);
        p = putVarlong(b, p, id.ms() - node.masterMs);
        p = putVarlong(b, p, zigzag(id.seq() - node.masterSeq));
        if (!same) p = putVarlong(b, p, pairs * 2L);
        for (int i = 0; i < pairs * 2; i++) {
            if (same && (i & 1) == 0) continue;
            byte[] v = argv[from + i];
            p = putVarlong(b, p, v.length);
            System.arraycopy(v, 0, b, p, v.length);
            p += v.length;
        }
        node.used = p;
        node.live++;
        node.total++;
        if (length == 0) firstId = id;
        length++;
        entriesAdded++;
        lastId = id;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    /** Bytes the entry takes in {@code node}. */
    private static int entrySize(Node node, StreamId id, byte[][] argv, int from, int pairs) {
        boolean same = sameFields(node.masterFields, argv, from, pairs);
        int size = 1 + varlongSize(id.ms() - node.masterMs) + varlongSize(zigzag(id.seq() - node.masterSeq))
                + (same ? 0 : varlongSize(pairs * 2L));
        for (int i = 0; i < pairs * 2; i++) {
            if (same && (i & 1) == 0) continue;
            int len = argv[from + i].length;
            size += varlongSize(len) + len;
        }
        return size;
    }

    private static boolean sameFields(byte[][] master, byte[][] argv, int from, int pairs) {
        if (master.length != pairs) return false;
        for (int i = 0; i < pairs; i++) {
            if (!Arrays.equals(master[i], argv[from + 2 * i])) return false;
        }
        return true;
    }

    // ---- reading ---------------------------------------------------------------------------------

    /**
     * Visits live entries with start <= id <= end in ascending (or descending) order until the
     * visitor returns false.
     */
    public void range(StreamId start, StreamId end, boolean rev, Predicate<Entry> visitor) {
        if (start.compareTo(end) > 0 || nodes.isEmpty()) return;
        if (!rev) {
            StreamId from = nodes.floorKey(start);
            NavigableMap<StreamId, Node> tail = from == null ? nodes : nodes.tailMap(from, true);
            for (Node n : tail.values()) {
                int off = 0;
                while (off < n.used) {
                    int flags = n.buf[off];
                    long[] id = new long[2];
                    int p = readId(n, off + 1, id);
                    int next = skipBody(n, p, flags);
                    StreamId sid = new StreamId(id[0], id[1]);
                    if (sid.compareTo(end) > 0) return;
                    if ((flags & DELETED) == 0 && sid.compareTo(start) >= 0) {
                        if (!visitor.test(new Entry(sid, body(n, p, flags)))) return;
                    }
                    off = next;
                }
            }
        } else {
            StreamId from = nodes.floorKey(end);
            if (from == null) return;
            for (Node n : nodes.headMap(from, true).descendingMap().values()) {
                int[] offs = new int[n.total];
                int k = 0;
                for (int off = 0; off < n.used; ) {
                    offs[k++] = off;
                    long[] id = new long[2];
                    int p = readId(n, off + 1, id);
                    off = skipBody(n, p, n.buf[off]);
                }
                for (int i = k - 1; i >= 0; i--) {
                    int off = offs[i];
                    int flags = n.buf[off];
                    long[] id = new long[2];
                    int p = readId(n, off + 1, id);
                    StreamId sid = new StreamId(id[0], id[1]);
                    if (sid.compareTo(start) < 0) return;
                    if ((flags & DELETED) == 0 && sid.compareTo(end) <= 0) {
                        if (!visitor.test(new Entry(sid, body(n, p, flags)))) return;
                    }
                }
            }
        }
    }

    /** The live entry with this ID, or null. */
    public Entry get(StreamId id) {
        Entry[] found = {null};
        range(id, id, false, e -> {
            found[0] = e;
            return false;
        });
        return found[0];
    }

    /** First (or last) live entry's ID, or null when empty. */
    public StreamId edgeId(boolean first) {
        StreamId[] found = {null};
        range(StreamId.MIN, StreamId.MAX, !first, e -> {
            found[0] = e.id();
            return false;
        });
        return found[0];
    }

    /** Redis's streamLastValidID: the last live entry's ID, 0-0 when empty. */
    public StreamId lastValidId() {
        StreamId id = edgeId(false);
        return id == null ? StreamId.MIN : id;
    }

    // ---- deleting and trimming -----------------------------------------------------------------

    /** XDEL of one ID; true when a live entry was deleted. */
    public boolean delete(StreamId target) {
        Map.Entry<StreamId, Node> ne = nodes.floorEntry(target);
        if (ne == null) return false;
        Node n = ne.getValue();
        long[] id = new long[2];
        for (int off = 0; off < n.used; ) {
            int flags = n.buf[off];
            int p = readId(n, off + 1, id);
            int next = skipBody(n, p, flags);
            if (id[0] == target.ms() && id[1] == target.seq()) {
                if ((flags & DELETED) != 0) return false;
                n.buf[off] = (byte) (flags | DELETED);
                n.live--;
                length--;
                if (n.live == 0) {
                    nodes.remove(ne.getKey());
                    nodesBytes -= nodeCost(n);
                }
                if (target.compareTo(maxDeletedId) > 0) maxDeletedId = target;
                if (length == 0) {
                    firstId = StreamId.MIN;
                } else if (target.equals(firstId)) {
                    firstId = edgeId(true);
                }
                return true;
            }
            off = next;
        }
        return false;
    }

    /**
     * Trims from the head as Redis's streamTrim: whole nodes while they fit the bound, then (unless
     * approximate) single entries of the first remaining node. {@code limit} caps removed entries
     * (0 = none); {@code minId} non-null selects MINID, else MAXLEN {@code maxLen}.
     */
    public long trim(long maxLen, StreamId minId, boolean approx, long limit) {
        long deleted = 0;
        while (!nodes.isEmpty()) {
            if (minId == null && length <= maxLen) break;
            Map.Entry<StreamId, Node> ne = nodes.firstEntry();
            Node n = ne.getValue();
            long entries = n.live;
            if (limit > 0 && deleted + entries > limit) break;
            boolean removeNode;
            if (minId == null) {
                removeNode = length - entries >= maxLen;
            } else {
                removeNode = lastIdInNode(n).compareTo(minId) < 0;
            }
            if (removeNode) {
                nodes.pollFirstEntry();
                nodesBytes -= nodeCost(n);
                length -= entries;
                deleted += entries;
                continue;
            }
            if (approx) break;
            long[] id = new long[2];
            for (int off = 0; off < n.used; ) {
                int flags = n.buf[off];
                int p = readId(n, off + 1, id);
                int next = skipBody(n, p, flags);
                boolean stop = minId == null ? length <= maxLen : new StreamId(id[0], id[1]).compareTo(minId) >= 0;
                if (stop) break;
                if ((flags & DELETED) == 0) {
                    n.buf[off] = (byte) (flags | DELETED);
                    n.live--;
                    length--;
                    deleted++;
                }
                off = next;
            }
            break;
        }
        if (deleted > 0) {
            StreamId f = edgeId(true);
            firstId = f == null ? StreamId.MIN : f;
        }
        return deleted;
    }

    private StreamId lastIdInNode(Node n) {
        long[] id = new long[2];
        for (int off = 0; off < n.used; ) {
            int p = readId(n, off + 1, id);
            off = skipBody(n, p, n.buf[off]);
        }
        return new StreamId(id[0], id[1]);
    }

    // ---- encoding helpers ----------------------------------------------------------------------

    private static int varlongSize(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    private static int putVarlong(byte[] b, int p, long v) {
        while ((v & ~0x7fL) != 0) {
            b[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    /** Reads a varlong at p into out[slot]; returns the position after it. */
    private static int readVarlong(byte[] b, int p, long[] out, int slot) {
        long v = 0;
        int shift = 0;
        while (true) {
            int x = b[p++];
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) break;
            shift += 7;
        }
        out[slot] = v;
        return p;
    }

    /** Reads an entry's ID, stored as deltas from the node's first ID (ms plain, seq zigzag). */
    private static int readId(Node n, int p, long[] id) {
        p = readVarlong(n.buf, p, id, 0);
        p = readVarlong(n.buf, p, id, 1);
        id[0] += n.masterMs;
        id[1] = n.masterSeq + ((id[1] >>> 1) ^ -(id[1] & 1));
        return p;
    }

    private static int skipBody(Node n, int p, int flags) {
        byte[] b = n.buf;
        long[] tmp = new long[1];
        long count;
        if ((flags & SAME_FIELDS) != 0) {
            count = n.masterFields.length;
        } else {
            p = readVarlong(b, p, tmp, 0);
            count = tmp[0];
        }
        for (long i = 0; i < count; i++) {
            p = readVarlong(b, p, tmp, 0);
            p += (int) tmp[0];
        }
        return p;
    }

    private static byte[][] body(Node n, int p, int flags) {
        byte[] b = n.buf;
        long[] tmp = new long[1];
        boolean same = (flags & SAME_FIELDS) != 0;
        int count;
        if (same) {
            count = n.masterFields.length * 2;
        } else {
            p = readVarlong(b, p, tmp, 0);
            count = (int) tmp[0];
        }
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            if (same && (i & 1) == 0) {
                out[i] = n.masterFields[i >> 1];
                continue;
            }
            p = readVarlong(b, p, tmp, 0);
            int len = (int) tmp[0];
            out[i] = Arrays.copyOfRange(b, p, p + len);
            p += len;
        }
        return out;
    }

    /** All live entries (tests and debugging). */
    public java.util.List<Entry> entries() {
        java.util.List<Entry> all = new ArrayList<>();
        range(StreamId.MIN, StreamId.MAX, false, all::add);
        return all;
    }
}
