package io.amdc.core.types;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The "skiplist" encoding of a sorted set: a skip list whose links carry spans (so rank queries
 * and rank ranges are O(log n)) plus an open-addressing member index pointing at the nodes
 * (so score lookups are O(1)).
 */
final class ZSkipList {
    private static final int MAX_LEVEL = 32;

    /**
     * A node with its first four levels in fields and only higher ones in arrays: 99.6% of nodes
     * (p = 1/4 per extra level) are one object, so a search step costs one cache miss, not three
     * (node, next array, span array).
     */
    /**
     * What a search step reads (score, the two lowest links, the level-1 span), declared in a
     * superclass so the JVM lays them out together at the start of the object: one cache line
     * serves most steps (the JVM would otherwise put every reference after every int).
     */
    abstract static class NodeHead {
        double score;
        Node n0, n1;
        int s1;
        final byte level;

        NodeHead(int level) {
            this.level = (byte) level;
        }
    }

    /**
     * A node: 64 bytes with compact headers. The level-0 span is not stored: it is 1 whenever
     * there is a next node and 0 after the last, which link/unlink keep true.
     */
    static final class Node extends NodeHead {
        final byte[] member;
        Node backward;
        private Node n2, n3;
        private int s2, s3;
        private final Node[] upper;
        private final int[] upperSpan;

        Node(byte[] member, double score, int level) {
            super(level);
            this.member = member;
            this.score = score;
            this.upper = level > 4 ? new Node[level - 4] : null;
            this.upperSpan = level > 4 ? new int[level - 4] : null;
        }

        Node next(int i) {
            return switch (i) {
                case 0 -> n0;
                case 1 -> n1;
                case 2 -> n2;
                case 3 -> n3;
                default -> upper[i - 4];
            };
        }

        void next(int i, Node n) {
            switch (i) {
                case 0 -> n0 = n;
                case 1 -> n1 = n;
                case 2 -> n2 = n;
                case 3 -> n3 = n;
                default -> upper[i - 4] = n;
            }
        }

        int span(int i) {
            return switch (i) {
                case 0 -> n0 != null ? 1 : 0;
                case 1 -> s1;
                case 2 -> s2;
                case 3 -> s3;
                default -> upperSpan[i - 4];
            };
        }

        void span(int i, int v) {
            switch (i) {
                case 0 -> { } // derived from n0 (see the class comment)
                case 1 -> s1 = v;
                case 2 -> s2 = v;
                case 3 -> s3 = v;
                default -> upperSpan[i - 4] = v;
            }
        }
    }

    private final Node head = new Node(null, 0, MAX_LEVEL);
    private Node tail;
    private int level = 1;
    private int size;
    private long memberBytes;
    private int maxMemberLength;
    // member index: linear probing, power-of-two capacity
    private Node[] index = new Node[16];
    // Search paths, reused by every insert/unlink (callers hold the key's lock: one at a time).
    private final Node[] update = new Node[MAX_LEVEL];
    private final int[] rank = new int[MAX_LEVEL];

    int size() {
        return size;
    }

    long memoryUsage() {
        return memberBytes + size * 80L + index.length * 4L; // node 64 (levels 0-3 inline) + member array header
    }

    int maxMemberLength() {
        return maxMemberLength;
    }

    double score(byte[] member) {
        Node n = lookup(member);
        return n == null ? Double.NaN : n.score;
    }

    /** Inserts or re-scores; returns true when new. */
    boolean put(byte[] member, double score) {
        return Double.isNaN(replace(member, score));
    }

    /** Inserts or re-scores; returns the previous score, NaN when the member is new. */
    double replace(byte[] member, double score) {
        Node n = lookup(member);
        if (n == null) {
            insert(member, score);
            return Double.NaN;
        }
        double old = n.score;
        if (old != score) rescore(n, score);
        return old;
    }

    boolean remove(byte[] member) {
        Node n = lookup(member);
        if (n == null) return false;
        unlink(n);
        indexRemove(member);
        memberBytes -= member.length;
        return true;
    }

    /**
     * Changes a member's score. When its neighbours still bracket the new score the node stays
     * where it is (Redis's zslUpdateScore does the same); otherwise the same node is unlinked and
     * linked again at its new place, keeping its level, its member index slot and its arrays.
     */
    private void rescore(Node n, double score) {
        Node prev = n.backward;
        Node next = n.next(0);
        if ((prev == null || prev.score < score || (prev.score == score && Arrays.compareUnsigned(prev.member, n.member) < 0))
                && (next == null || next.score > score || (next.score == score && Arrays.compareUnsigned(next.member, n.member) > 0))) {
            n.score = score;
            return;
        }
        unlink(n);
        n.score = score;
        link(n);
    }

    /** Inserts a member known to be absent. */
    void insert(byte[] member, double score) {
        Node n = new Node(member, score, randomLevel());
        link(n);
        memberBytes += member.length;
        maxMemberLength = Math.max(maxMemberLength, member.length);
        indexPut(n);
    }

    /** Links node n (its level fixed at creation) at the place of its score and member. */
    private void link(Node n) {
        Node[] update = this.update;
        int[] rank = this.rank;
        double score = n.score;
        byte[] member = n.member;
        Node x = head;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            Node nx;
            while ((nx = x.next(i)) != null && less(nx, score, member)) {
                rank[i] += x.span(i);
                x = nx;
            }
            update[i] = x;
        }
        int lvl = n.level;
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = head;
                update[i].span(i, size);
            }
            level = lvl;
        }
        for (int i = 0; i < lvl; i++) {
            n.next(i, update[i].next(i));
            update[i].next(i, n);
            n.span(i, update[i].span(i) - (rank[0] - rank[i]));
            update[i].span(i, (rank[0] - rank[i]) + 1);
        }
        for (int i = lvl; i < level; i++) update[i].span(i, update[i].span(i) + 1);
        n.backward = update[0] == head ? null : update[0];
        if (n.next(0) != null) n.next(0).backward = n;
        else tail = n;
        size++;
    }

    private static boolean less(Node n, double score, byte[] member) {
        return n.score < score || (n.score == score && Arrays.compareUnsigned(n.member, member) < 0);
    }

    private void unlink(Node n) {
        Node[] update = this.update;
        Node x = head;
        for (int i = level - 1; i >= 0; i--) {
            Node nx;
            while ((nx = x.next(i)) != null && nx != n && less(nx, n.score, n.member)) x = nx;
            update[i] = x;
        }
        for (int i = 0; i < level; i++) {
            if (update[i].next(i) == n) {
                update[i].span(i, update[i].span(i) + n.span(i) - 1);
                update[i].next(i, n.next(i));
            } else {
                update[i].span(i, update[i].span(i) - 1);
            }
        }
        if (n.next(0) != null) n.next(0).backward = n.backward;
        else tail = n.backward;
        while (level > 1 && head.next(level - 1) == null) level--;
        size--;
    }

    long rank(byte[] member) {
        Node n = lookup(member);
        if (n == null) return -1;
        long r = 0;
        Node x = head;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && (x.next(i) == n || less(x.next(i), n.score, n.member))) {
                r += x.span(i);
                x = x.next(i);
            }
            if (x == n) return r - 1;
        }
        return r - 1;
    }

    long countBelowScore(double min, boolean exclusive) {
        long r = 0;
        Node x = head;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && (exclusive ? x.next(i).score <= min : x.next(i).score < min)) {
                r += x.span(i);
                x = x.next(i);
            }
        }
        return r;
    }

    long countBelowLex(byte[] bound, boolean inclusiveOfBound) {
        long r = 0;
        Node x = head;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null) {
                int cmp = Arrays.compareUnsigned(x.next(i).member, bound);
                if (inclusiveOfBound ? cmp > 0 : cmp >= 0) break;
                r += x.span(i);
                x = x.next(i);
            }
        }
        return r;
    }

    /** The node at 0-based rank r. */
    private Node nodeAt(long r) {
        long traversed = 0;
        Node x = head;
        long target = r + 1;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && traversed + x.span(i) <= target) {
                traversed += x.span(i);
                x = x.next(i);
            }
            if (traversed == target) return x;
        }
        return null;
    }

    void forRange(long from, long to, boolean rev, ZSet.EntryVisitor v) {
        if (size == 0 || from > to) return;
        to = Math.min(to, size - 1);
        if (!rev) {
            Node x = nodeAt(from);
            for (long i = from; i <= to && x != null; i++, x = x.next(0)) v.visit(x.member, x.score);
        } else {
            Node x = nodeAt(to);
            for (long i = to; i >= from && x != null; i--, x = x.backward) v.visit(x.member, x.score);
        }
    }

    private static int randomLevel() {
        int lvl = 1;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (lvl < MAX_LEVEL && (r.nextInt() & 3) == 0) lvl++;
        return lvl;
    }

    // ---- member index --------------------------------------------------------------------

    private static int hash(byte[] m) {
        return io.amdc.core.util.ByteHash.hash(m);
    }

    private Node lookup(byte[] member) {
        int mask = index.length - 1;
        for (int i = hash(member) & mask; ; i = (i + 1) & mask) {
            Node n = index[i];
            if (n == null) return null;
            if (Arrays.equals(n.member, member)) return n;
        }
    }

    private void indexPut(Node n) {
        if (size * 2 > index.length) {
            Node[] old = index;
            index = new Node[old.length * 2];
            for (Node o : old) {
                if (o != null && o != n) place(o);
            }
        }
        place(n);
    }

    private void place(Node n) {
        int mask = index.length - 1;
        int i = hash(n.member) & mask;
        while (index[i] != null && index[i] != n) i = (i + 1) & mask;
        index[i] = n;
    }

    private void indexRemove(byte[] member) {
        int mask = index.length - 1;
        int i = hash(member) & mask;
        while (!Arrays.equals(index[i].member, member)) i = (i + 1) & mask;
        index[i] = null;
        // Backward-shift deletion keeps probe chains unbroken without tombstones.
        for (int j = (i + 1) & mask; index[j] != null; j = (j + 1) & mask) {
            int home = hash(index[j].member) & mask;
            boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!between) {
                index[i] = index[j];
                index[j] = null;
                i = j;
            }
        }
    }
}
