package io.amdc.core.types;

import java.util.Arrays;

/**
 * A Redis list stored as packed byte[] nodes, never one Java object per element.
 *
 * <p>Each node is a byte[] of entries {@code [len varint][bytes][len varint, stored backwards]}, so it
 * can be walked in both directions like a listpack. A small list is one node and reports encoding
 * "listpack"; past {@code list-max-listpack-size} it becomes a "quicklist": a deque of nodes, each
 * filled up to that limit. Node limits are computed with Redis's listpack entry sizes (see
 * {@link #lpEntrySize}) so conversions and node splits happen where Redis's would.
 *
 * <p>Not thread-safe: the caller holds the key's slot lock.
 */
public final class ListValue extends AccountedValue implements ElementSource {
    /** Bytes of a listpack's header (total bytes + count) and terminator, as Redis counts lpBytes. */
    private static final int LP_OVERHEAD = 7;
    /** Redis's per-insert estimate slack when checking whether a quicklist node can take an element. */
    private static final int SIZE_ESTIMATE_OVERHEAD = 8;
    /** Redis's SIZE_SAFETY_LIMIT: a count-limited node never exceeds this many bytes. */
    private static final int SIZE_SAFETY_LIMIT = 8192;
    private static final int[] SIZE_LEVELS = {4096, 8192, 16384, 32768, 65536};

    /**
     * One packed node: its entries occupy {@code buf[start, used)}. Space before {@code start}
     * takes pushes at the head without moving the node's bytes (a listpack moves them all: an
     * LPUSH on an 8 KB node cost 43 ns against 13 ns at the tail). {@code lpBytes} is the size
     * Redis's listpack would have for the same entries.
     */
    static final class Node {
        byte[] buf;
        int start;
        int used;
        int count;
        int lpBytes = LP_OVERHEAD;
        /** In this list's node array, so its buffer counts in {@code bufBytes}. */
        boolean attached;

        Node(int capacity) {
            buf = new byte[capacity];
        }

        Node copy() {
            Node n = new Node(0);
            n.buf = Arrays.copyOfRange(buf, start, used);
            n.used = used - start;
            n.count = count;
            n.lpBytes = lpBytes;
            return n;
        }
    }

    private final int fill;
    private Node[] nodes;
    private int head;
    private int nodeCount;
    private long size;
    private boolean quicklist;
    /**
     * Sum of the attached nodes' buffer capacities, kept as buffers are replaced, so that
     * {@link #memoryUsage} (called after every write) is O(1) on a list of many nodes.
     */
    private long bufBytes;

    /** An empty list using the given {@code list-max-listpack-size}. */
    public ListValue(int fill) {
        this.fill = fill;
        // Most lists are small: one node slot until a second node is needed.
        this.nodes = new Node[1];
    }

    @Override
    public String typeName() {
        return "list";
    }

    @Override
    public String encoding() {
        return quicklist ? "quicklist" : "listpack";
    }

    @Override
    public long memoryUsage() {
        return 48 + 16L + nodes.length * 4L + (32 + 16) * (long) nodeCount + bufBytes;
    }

    /** {@link #memoryUsage} recomputed from every node (tests check the running sum against it). */
    long memoryUsageByWalk() {
        long m = 48 + 16L + nodes.length * 4L;
        for (int i = 0; i < nodeCount; i++) m += 32 + 16 + nodes[head + i].buf.length;
        return m;
    }

    @Override
    public ListValue copy() {
        ListValue c = new ListValue(fill);
        c.nodes = new Node[Math.max(4, nodeCount + 2)];
        c.head = 1;
        for (int i = 0; i < nodeCount; i++) {
            Node n = nodes[head + i].copy();
            n.attached = true;
            c.bufBytes += n.buf.length;
            c.nodes[1 + i] = n;
        }
        c.nodeCount = nodeCount;
        c.size = size;
        c.quicklist = quicklist;
        return c;
    }

    @Override
    public long elementCount() {
        return size();
    }

    @Override
    public void forEachElement(java.util.function.Consumer<byte[]> action) {
        if (size() == 0) return;
        for (Cursor cur = at(0); cur.valid(); cur.next()) action.accept(cur.value());
    }

    public long size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    // ---- limits (Redis quicklist semantics) ----

    private boolean exceeds(long bytes, long count) {
        if (fill >= 0) {
            if (bytes > SIZE_SAFETY_LIMIT) return true;
            return count > (fill == 0 ? 1 : fill);
        }
        int level = Math.min(-fill, SIZE_LEVELS.length) - 1;
        return bytes > SIZE_LEVELS[level];
    }

    private boolean nodeAllows(Node n, int rawLen) {
        return !exceeds((long) n.lpBytes + rawLen + SIZE_ESTIMATE_OVERHEAD, n.count + 1L);
    }

    /** Before adding elements of {@code rawBytes} total to a listpack: switch to quicklist if it would overflow. */
    public void growing(long rawBytes, long count) {
        if (quicklist) return;
        long bytes = nodeCount == 0 ? LP_OVERHEAD : nodes[head].lpBytes;
        if (exceeds(bytes + rawBytes, size + count)) quicklist = true;
    }

    /** After removals: a quicklist with one small node becomes a listpack again (below half the limit). */
    public void shrunk() {
        if (!quicklist || nodeCount > 1) return;
        long bytes = nodeCount == 0 ? LP_OVERHEAD : nodes[head].lpBytes;
        long szLimit;
        long countLimit;
        if (fill >= 0) {
            szLimit = SIZE_SAFETY_LIMIT;
            countLimit = fill == 0 ? 1 : fill;
        } else {
            szLimit = SIZE_LEVELS[Math.min(-fill, SIZE_LEVELS.length) - 1];
            countLimit = Long.MAX_VALUE;
        }
        if (bytes > szLimit / 2 || size > countLimit / 2) return;
        quicklist = false;
    }

    // ---- entry codec ----

    static int varSize(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    static int entrySize(int len) {
        return 2 * varSize(len) + len;
    }

    private static int readFwd(byte[] b, int off) {
        int v = 0;
        int shift = 0;
        while (true) {
            int x = b[off++];
            v |= (x & 0x7f) << shift;
            if ((x & 0x80) == 0) return v;
            shift += 7;
        }
    }

    /** Reads the backward length whose last byte is at {@code end - 1}. */
    private static int readBack(byte[] b, int end) {
        int v = 0;
        int shift = 0;
        int i = end - 1;
        while (true) {
            int x = b[i--];
            v |= (x & 0x7f) << shift;
            if ((x & 0x80) == 0) return v;
            shift += 7;
        }
    }

    private static void writeEntry(byte[] b, int off, byte[] v) {
        int len = v.length;
        int k = varSize(len);
        int x = len;
        for (int j = 0; j < k; j++) {
            b[off + j] = (byte) ((x & 0x7f) | (j < k - 1 ? 0x80 : 0));
            x >>>= 7;
        }
        System.arraycopy(v, 0, b, off + k, len);
        int end = off + k + len + k;
        x = len;
        for (int j = 0; j < k; j++) {
            b[end - 1 - j] = (byte) ((x & 0x7f) | (j < k - 1 ? 0x80 : 0));
            x >>>= 7;
        }
    }

    /** The bytes Redis's listpack spends on this element (integer or string encoding plus backlen). */
    static int lpEntrySize(byte[] b, int off, int len) {
        int enc;
        long v = parseInt(b, off, len);
        if (v != NOT_INT) {
            if (v >= 0 && v <= 127) enc = 1;
            else if (v >= -4096 && v <= 4095) enc = 2;
            else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) enc = 3;
            else if (v >= -(1 << 23) && v <= (1 << 23) - 1) enc = 4;
            else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) enc = 5;
            else enc = 9;
        } else if (len < 64) {
            enc = 1 + len;
        } else if (len < 4096) {
            enc = 2 + len;
        } else {
            enc = 5 + len;
        }
        int back = enc < 128 ? 1 : enc < 16384 ? 2 : enc < 2097152 ? 3 : enc < 268435456 ? 4 : 5;
        return enc + back;
    }

    private static final long NOT_INT = Long.MIN_VALUE + 1;

    /** Strict decimal int64 (Redis string2ll rules), or NOT_INT. */
    private static long parseInt(byte[] b, int off, int len) {
        if (len == 0 || len > 20) return NOT_INT;
        if (len == 1 && b[off] == '0') return 0;
        int i = off;
        int end = off + len;
        boolean neg = b[i] == '-';
        if (neg && ++i == end) return NOT_INT;
        if (b[i] < '1' || b[i] > '9') return NOT_INT;
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return NOT_INT;
            // accumulate negatively so Long.MIN_VALUE parses
            if (v < (Long.MIN_VALUE + d) / 10) return NOT_INT;
            v = v * 10 - d;
        }
        // -9223372036854775807 collides with NOT_INT and is sized as a string: harmless, it is only an estimate.
        if (!neg) return v == Long.MIN_VALUE ? NOT_INT : -v;
        return v;
    }

    // ---- node management ----

    private Node node(int i) {
        return nodes[head + i];
    }

    private void insertNode(int pos, Node n) {
        n.attached = true;
        bufBytes += n.buf.length;
        if (pos == 0 && head > 0) {
            nodes[--head] = n;
            nodeCount++;
            return;
        }
        if (pos == nodeCount && head + nodeCount < nodes.length) {
            nodes[head + nodeCount++] = n;
            return;
        }
        if (nodeCount + 2 > nodes.length / 2 + 1) {
            Node[] bigger = new Node[nodes.length * 2];
            int newHead = (bigger.length - nodeCount - 1) / 2;
            System.arraycopy(nodes, head, bigger, newHead, nodeCount);
            nodes = bigger;
            head = newHead;
        } else if (head + nodeCount >= nodes.length || head == 0) {
            int newHead = (nodes.length - nodeCount - 1) / 2;
            System.arraycopy(nodes, head, nodes, newHead, nodeCount);
            if (newHead > head) Arrays.fill(nodes, head, newHead, null);
            else Arrays.fill(nodes, newHead + nodeCount, head + nodeCount, null);
            head = newHead;
        }
        System.arraycopy(nodes, head + pos, nodes, head + pos + 1, nodeCount - pos);
        nodes[head + pos] = n;
        nodeCount++;
    }

    private void removeNode(int pos) {
        Node gone = node(pos);
        gone.attached = false;
        bufBytes -= gone.buf.length;
        if (pos == 0) {
            nodes[head++] = null;
        } else {
            System.arraycopy(nodes, head + pos + 1, nodes, head + pos, nodeCount - pos - 1);
            nodes[head + nodeCount - 1] = null;
        }
        nodeCount--;
        if (nodeCount == 0) head = nodes.length / 2;
    }

    /** Opens {@code gap} bytes before the entry at {@code off} in node n; returns where the gap starts. */
    private int openGap(Node n, int off, int gap) {
        int live = n.used - n.start;
        if (off == n.start) {
            if (n.start < gap && live + gap <= n.buf.length) {
                // Room only behind the entries: move them once to the middle of the free space.
                int to = gap + (n.buf.length - live - gap) / 2;
                System.arraycopy(n.buf, n.start, n.buf, to, live);
                n.start = to;
                n.used = to + live;
            }
            if (n.start >= gap) {
                n.start -= gap;
                return n.start;
            }
        }
        if (n.used + gap > n.buf.length) {
            // Growing: the entries move anyway, so a node growing at its head gets room in front
            // for the next pushes there (half the new slack), and one growing elsewhere none.
            int cap = Math.max(live + gap, n.buf.length + (n.buf.length >> 1) + 16);
            int front = off == n.start ? (cap - live - gap) / 2 : 0;
            byte[] nb = new byte[cap];
            int before = off - n.start;
            System.arraycopy(n.buf, n.start, nb, front, before);
            System.arraycopy(n.buf, off, nb, front + before + gap, n.used - off);
            replaceBuf(n, nb);
            n.start = front;
            n.used = front + live + gap;
            return front + before;
        }
        System.arraycopy(n.buf, off, n.buf, off + gap, n.used - off);
        n.used += gap;
        return off;
    }

    /** Inserts {@code v} before the entry at {@code off} (or at {@code used}); returns its offset. */
    private int insertInto(Node n, int off, byte[] v) {
        int es = entrySize(v.length);
        off = openGap(n, off, es);
        writeEntry(n.buf, off, v);
        n.count++;
        n.lpBytes += lpEntrySize(v, 0, v.length);
        return off;
    }

    /**
     * Removes the entry at {@code off}; returns the offset of the entry that followed it (the
     * first entry moves its start forward instead of moving the rest back).
     */
    private static int deleteFrom(Node n, int off) {
        int len = readFwd(n.buf, off);
        int es = entrySize(len);
        n.lpBytes -= lpEntrySize(n.buf, off + varSize(len), len);
        n.count--;
        if (off == n.start) {
            n.start += es;
            return n.start;
        }
        System.arraycopy(n.buf, off + es, n.buf, off, n.used - off - es);
        n.used -= es;
        return off;
    }

    /** A node that will not grow further gives back its slack capacity. */
    private void seal(Node n) {
        if (n.start > 0 || n.buf.length > n.used) {
            replaceBuf(n, Arrays.copyOfRange(n.buf, n.start, n.used));
            n.used -= n.start;
            n.start = 0;
        }
    }

    private void replaceBuf(Node n, byte[] nb) {
        if (n.attached) bufBytes += nb.length - n.buf.length;
        n.buf = nb;
    }

    private Node newNode(int firstLen) {
        return new Node(entrySize(firstLen) + 8);
    }

    // ---- deque operations ----

    public void push(byte[] v, boolean atHead) {
        if (nodeCount == 0) {
            Node n = newNode(v.length);
            insertNode(0, n);
            insertInto(n, 0, v);
        } else if (atHead) {
            Node n = node(0);
            if (!quicklist || nodeAllows(n, v.length)) {
                insertInto(n, n.start, v);
            } else {
                seal(n);
                Node nn = newNode(v.length);
                insertNode(0, nn);
                insertInto(nn, 0, v);
            }
        } else {
            Node n = node(nodeCount - 1);
            if (!quicklist || nodeAllows(n, v.length)) {
                insertInto(n, n.used, v);
            } else {
                seal(n);
                Node nn = newNode(v.length);
                insertNode(nodeCount, nn);
                insertInto(nn, 0, v);
            }
        }
        size++;
    }

    /** Removes and returns the first (or last) element, or null when empty. */
    public byte[] pop(boolean atHead) {
        if (size == 0) return null;
        int ni = atHead ? 0 : nodeCount - 1;
        Node n = node(ni);
        int off = atHead ? n.start : entryStartBefore(n.buf, n.used);
        int len = readFwd(n.buf, off);
        int k = varSize(len);
        byte[] v = Arrays.copyOfRange(n.buf, off + k, off + k + len);
        deleteFrom(n, off);
        size--;
        if (n.count == 0) removeNode(ni);
        return v;
    }

    private static int entryStartBefore(byte[] b, int end) {
        int len = readBack(b, end);
        return end - entrySize(len);
    }

    /** Deletes {@code n} elements from the head (or tail). */
    public void deleteEnds(long n, boolean atHead) {
        n = Math.min(n, size);
        while (n > 0) {
            int ni = atHead ? 0 : nodeCount - 1;
            Node nd = node(ni);
            if (nd.count <= n) {
                n -= nd.count;
                size -= nd.count;
                removeNode(ni);
                continue;
            }
            for (; n > 0; n--) {
                deleteFrom(nd, atHead ? nd.start : entryStartBefore(nd.buf, nd.used));
                size--;
            }
        }
    }

    // ---- cursors ----

    /**
     * A position in the list: node index and byte offset of an entry. Valid positions point at an
     * entry; the position just past the last entry is (nodeCount, 0).
     */
    public final class Cursor {
        int node;
        int off;

        Cursor(int node, int off) {
            this.node = node;
            this.off = off;
        }

        public boolean valid() {
            return node >= 0 && node < nodeCount;
        }

        public byte[] buf() {
            return nodes[head + node].buf;
        }

        public int len() {
            return readFwd(buf(), off);
        }

        public int dataOff() {
            return off + varSize(len());
        }

        public byte[] value() {
            int len = len();
            int d = off + varSize(len);
            return Arrays.copyOfRange(buf(), d, d + len);
        }

        public boolean equalsValue(byte[] v) {
            int len = len();
            if (len != v.length) return false;
            int d = off + varSize(len);
            return Arrays.equals(buf(), d, d + len, v, 0, len);
        }

        public void next() {
            Node n = nodes[head + node];
            off += entrySize(readFwd(n.buf, off));
            if (off >= n.used) {
                node++;
                off = startOf(node);
            }
        }

        public void prev() {
            if (off == startOf(node)) {
                node--;
                if (node < 0) return;
                off = nodes[head + node].used;
            }
            off = entryStartBefore(nodes[head + node].buf, off);
        }

        /** Removes the entry here; the cursor then points at the element that followed it. */
        public void remove() {
            Node n = nodes[head + node];
            off = deleteFrom(n, off);
            size--;
            if (n.count == 0) {
                removeNode(node);
                off = startOf(node);
            } else if (off >= n.used) {
                node++;
                off = startOf(node);
            }
        }

        /** Replaces the entry here with {@code v}, in place. */
        public void replace(byte[] v) {
            Node n = nodes[head + node];
            off = insertInto(n, deleteFrom(n, off), v);
        }

        /** Inserts {@code v} before (or after) the entry here. */
        public void insert(byte[] v, boolean after) {
            Node n = nodes[head + node];
            int at = after ? off + entrySize(readFwd(n.buf, off)) : off;
            insertAt(node, at, v);
        }
    }

    /** Offset of node {@code ni}'s first entry; 0 past the last node (where cursors end). */
    private int startOf(int ni) {
        return ni >= 0 && ni < nodeCount ? nodes[head + ni].start : 0;
    }

    /** A cursor on element {@code index} (0-based, in range). */
    public Cursor at(long index) {
        if (index < size / 2) {
            int ni = 0;
            while (index >= node(ni).count) index -= node(ni++).count;
            Cursor c = new Cursor(ni, node(ni).start);
            for (long i = 0; i < index; i++) c.next();
            return c;
        }
        long fromEnd = size - 1 - index;
        int ni = nodeCount - 1;
        while (fromEnd >= node(ni).count) fromEnd -= node(ni--).count;
        Cursor c = new Cursor(ni + 1, startOf(ni + 1));
        for (long i = 0; i <= fromEnd; i++) c.prev();
        return c;
    }

    public byte[] get(long index) {
        return at(index).value();
    }

    private void insertAt(int ni, int off, byte[] v) {
        Node n = node(ni);
        size++;
        if (!quicklist || nodeAllows(n, v.length)) {
            insertInto(n, off, v);
            return;
        }
        if (off == n.used && ni + 1 < nodeCount && nodeAllows(node(ni + 1), v.length)) {
            insertInto(node(ni + 1), node(ni + 1).start, v);
            return;
        }
        if (off == n.start && ni > 0 && nodeAllows(node(ni - 1), v.length)) {
            Node p = node(ni - 1);
            insertInto(p, p.used, v);
            return;
        }
        // Split n at off: n keeps [start, off), a new node gets [off, used); v joins whichever allows it.
        if (off > n.start && off < n.used) {
            Node tail = new Node(n.used - off);
            System.arraycopy(n.buf, off, tail.buf, 0, n.used - off);
            tail.used = n.used - off;
            for (int p = 0; p < tail.used; ) {
                int len = readFwd(tail.buf, p);
                tail.count++;
                tail.lpBytes += lpEntrySize(tail.buf, p + varSize(len), len);
                p += entrySize(len);
            }
            n.used = off;
            n.count -= tail.count;
            n.lpBytes -= tail.lpBytes - LP_OVERHEAD;
            seal(n);
            insertNode(ni + 1, tail);
            if (nodeAllows(n, v.length)) {
                insertInto(n, n.used, v);
                return;
            }
            if (nodeAllows(tail, v.length)) {
                insertInto(tail, 0, v);
                return;
            }
            Node nn = newNode(v.length);
            insertInto(nn, 0, v);
            insertNode(ni + 1, nn);
            return;
        }
        Node nn = newNode(v.length);
        insertInto(nn, 0, v);
        insertNode(off == n.start ? ni : ni + 1, nn);
    }

    /** Keeps elements [start, end] (already clamped, start <= end < size). */
    public void trim(long start, long end) {
        long tail = size - 1 - end;
        deleteEnds(start, true);
        deleteEnds(tail, false);
    }
}
