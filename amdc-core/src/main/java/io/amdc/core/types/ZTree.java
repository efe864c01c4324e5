package io.amdc.core.types;

import java.util.Arrays;

/**
 * The large encoding of a sorted set (reported as "skiplist", as Redis names it): an
 * order-statistic B+ tree over (score, member bytes unsigned) plus an open-addressing member
 * index holding each member's score.
 *
 * <p>Why not Redis's skip list: a skip-list search visits ~(1/p)·log_{1/p}(n) nodes, each one a
 * cache miss (about 33 for 100k members), and a re-scoring ZADD does two searches. Here leaves
 * keep scores in a {@code double[]} and members in a parallel {@code byte[][]}, inner nodes keep
 * separator keys and per-child element counts (so ranks stay O(log n)); a search is a few binary
 * searches over contiguous arrays, and the upper levels stay in cache. The tree also has no
 * per-element object: about 12 bytes per element in leaves plus 12 per index slot, against a
 * 64-byte node per element before. Primitive arrays carry no GC write barrier on update.
 *
 * <p>Invariants (checked by {@link #check()}): every leaf is sorted; for an inner node,
 * {@code sep[i]} (i &ge; 1) is above every key in child i-1 and at most every key in child i
 * (separators are lower bounds, not necessarily present members); {@code counts[i]} is the
 * number of elements under child i; leaves are linked in order. Callers hold the key's lock.
 */
final class ZTree {
    static final int LEAF_CAPACITY = 64;
    static final int INNER_CAPACITY = 32;
    private static final int FIRST_LEAF_SLOTS = 8;

    abstract static class Node {
        int n;
    }

    static final class Leaf extends Node {
        double[] scores;
        byte[][] members;
        Leaf prev, next;

        Leaf(int slots) {
            scores = new double[slots];
            members = new byte[slots][];
        }
    }

    static final class Inner extends Node {
        final double[] sepScore;
        final byte[][] sepMember;
        final Node[] kids;
        final int[] counts;

        Inner(int capacity) {
            sepScore = new double[capacity];
            sepMember = new byte[capacity][];
            kids = new Node[capacity];
            counts = new int[capacity];
        }
    }

    private final int leafCap;
    private final int innerCap;
    private Node root;
    private int height; // 0: the root is a leaf
    private int size;
    private long memberBytes;
    private int maxMemberLength;
    /** Leaf array slots and node counts, for memoryUsage. */
    private long leafSlots;
    private int leaves = 1, inners;

    // Member index: linear probing over parallel arrays, power-of-two capacity, at most 3/4 full.
    private byte[][] keys = new byte[16][];
    private double[] keyScores = new double[16];

    // The search path of the last descent (callers hold the key's lock: one at a time), indexed
    // by height; grown with the tree (production capacities stay under 8 levels).
    private Inner[] path = new Inner[4];
    private int[] pathIdx = new int[4];

    ZTree() {
        this(LEAF_CAPACITY, INNER_CAPACITY);
    }

    /** Small capacities let tests reach every split and merge with few elements. */
    ZTree(int leafCap, int innerCap) {
        if (leafCap < 4 || innerCap < 4) throw new IllegalArgumentException("capacity");
        this.leafCap = leafCap;
        this.innerCap = innerCap;
        Leaf l = new Leaf(Math.min(FIRST_LEAF_SLOTS, leafCap));
        leafSlots = l.scores.length;
        root = l;
    }

    int size() {
        return size;
    }

    long memoryUsage() {
        // Per member its byte[] (16-byte header with the length); per leaf slot a double and a
        // reference; per leaf/inner node the object and its array headers; per index slot a
        // reference and a double.
        return memberBytes + size * 16L + leafSlots * 12 + leaves * 64L
                + inners * (64L + innerCap * 20L) + keys.length * 12L;
    }

    int maxMemberLength() {
        return maxMemberLength;
    }

    // ---- keys ---------------------------------------------------------------------------

    /** Orders (score, member) as Redis does: by score, then by member bytes unsigned. */
    private static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) return -1;
        if (s1 > s2) return 1;
        return Arrays.compareUnsigned(m1, m2);
    }

    /** The child of {@code in} whose range holds (score, member). */
    private static int childFor(Inner in, double score, byte[] member) {
        // The last i >= 1 with sep[i] <= key, else 0.
        int lo = 1, hi = in.n - 1;
        double[] ss = in.sepScore;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            double s = ss[mid];
            boolean le = s < score || (s == score && Arrays.compareUnsigned(in.sepMember[mid], member) <= 0);
            if (le) lo = mid + 1;
            else hi = mid - 1;
        }
        return hi;
    }

    /** The first position in {@code l} whose key is at least (score, member). */
    private static int lowerBound(Leaf l, double score, byte[] member) {
        int lo = 0, hi = l.n;
        double[] ss = l.scores;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double s = ss[mid];
            if (s < score || (s == score && Arrays.compareUnsigned(l.members[mid], member) < 0)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Descends to the leaf for (score, member), recording the path. */
    private Leaf descend(double score, byte[] member) {
        Node x = root;
        for (int h = height; h > 0; h--) {
            Inner in = (Inner) x;
            int i = childFor(in, score, member);
            path[h] = in;
            pathIdx[h] = i;
            x = in.kids[i];
        }
        return (Leaf) x;
    }

    // ---- member index -------------------------------------------------------------------

    private int slotOf(byte[] member) {
        byte[][] ks = keys;
        int mask = ks.length - 1;
        for (int i = io.amdc.core.util.ByteHash.hash(member) & mask; ; i = (i + 1) & mask) {
            byte[] k = ks[i];
            if (k == null) return -1;
            if (Arrays.equals(k, member)) return i;
        }
    }

    private void indexPut(byte[] member, double score) {
        if ((size + 1) * 4L > keys.length * 3L) resizeIndex(keys.length * 2);
        place(member, score);
    }

    private void resizeIndex(int capacity) {
        byte[][] oldKeys = keys;
        double[] oldScores = keyScores;
        keys = new byte[capacity][];
        keyScores = new double[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) place(oldKeys[i], oldScores[i]);
        }
    }

    private void place(byte[] member, double score) {
        int mask = keys.length - 1;
        int i = io.amdc.core.util.ByteHash.hash(member) & mask;
        while (keys[i] != null) i = (i + 1) & mask;
        keys[i] = member;
        keyScores[i] = score;
    }

    private void indexRemoveSlot(int i) {
        byte[][] ks = keys;
        int mask = ks.length - 1;
        ks[i] = null;
        // Backward-shift deletion keeps probe chains unbroken without tombstones.
        for (int j = (i + 1) & mask; ks[j] != null; j = (j + 1) & mask) {
            int home = io.amdc.core.util.ByteHash.hash(ks[j]) & mask;
            boolean between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!between) {
                ks[i] = ks[j];
                keyScores[i] = keyScores[j];
                ks[j] = null;
                i = j;
            }
        }
    }

    // ---- members ------------------------------------------------------------------------

    double score(byte[] member) {
        int i = slotOf(member);
        return i < 0 ? Double.NaN : keyScores[i];
    }

    /** Inserts or re-scores; returns the previous score, NaN when the member is new. */
    double replace(byte[] member, double score) {
        int slot = slotOf(member);
        if (slot < 0) {
            insert(member, score);
            return Double.NaN;
        }
        double old = keyScores[slot];
        if (old != score) {
            byte[] stored = keys[slot];
            keyScores[slot] = score;
            rescore(stored, old, score);
        }
        return old;
    }

    boolean remove(byte[] member) {
        int slot = slotOf(member);
        if (slot < 0) return false;
        byte[] stored = keys[slot];
        double score = keyScores[slot];
        indexRemoveSlot(slot);
        treeRemove(score, stored);
        memberBytes -= stored.length;
        // Under 1/8 full the index halves (Redis's dict shrinks under 1/10).
        if (keys.length > 16 && size * 8L < keys.length) resizeIndex(keys.length / 2);
        return true;
    }

    /** Inserts a member known to be absent. */
    void insert(byte[] member, double score) {
        indexPut(member, score);
        treeInsert(score, member);
        memberBytes += member.length;
        maxMemberLength = Math.max(maxMemberLength, member.length);
    }

    /**
     * Moves a member to its new score. When the new key still sorts between its neighbours in the
     * same leaf the score changes in place (as Redis's zslUpdateScore keeps the node); otherwise
     * the entry leaves and re-enters the tree.
     */
    private void rescore(byte[] member, double old, double score) {
        Leaf l = descend(old, member);
        int pos = lowerBound(l, old, member);
        if (pos >= l.n || l.members[pos] != member) throw new IllegalStateException("zset member missing from its tree");
        boolean afterPrev = pos > 0 ? compare(l.scores[pos - 1], l.members[pos - 1], score, member) < 0 : score > old;
        boolean beforeNext = pos < l.n - 1 ? compare(l.scores[pos + 1], l.members[pos + 1], score, member) > 0 : score < old;
        if (afterPrev && beforeNext) {
            l.scores[pos] = score;
            return;
        }
        removeAt(l, pos); // the path of this descent is still current
        treeInsert(score, member);
    }

    // ---- insertion ----------------------------------------------------------------------

    private void treeInsert(double score, byte[] member) {
        Leaf l = descend(score, member);
        for (int h = height; h > 0; h--) path[h].counts[pathIdx[h]]++;
        int pos = lowerBound(l, score, member);
        size++;
        if (l.n < leafCap) {
            leafInsert(l, pos, score, member);
            return;
        }
        // Full: appending at the very end moves only the new entry out (sorted loads fill
        // leaves completely); otherwise the leaf splits in half.
        Leaf r;
        if (pos == l.n && l.next == null) {
            r = newLeaf(FIRST_LEAF_SLOTS);
            leafInsert(r, 0, score, member);
        } else {
            int half = l.n / 2;
            r = newLeaf(slotsFor(l.n - half + 1));
            System.arraycopy(l.scores, half, r.scores, 0, l.n - half);
            System.arraycopy(l.members, half, r.members, 0, l.n - half);
            r.n = l.n - half;
            Arrays.fill(l.members, half, l.n, null);
            l.n = half;
            if (pos <= half) leafInsert(l, pos, score, member);
            else leafInsert(r, pos - half, score, member);
        }
        r.prev = l;
        r.next = l.next;
        if (l.next != null) l.next.prev = r;
        l.next = r;
        addChild(1, l.n, r, r.scores[0], r.members[0], r.n);
    }

    private int slotsFor(int n) {
        int s = FIRST_LEAF_SLOTS;
        while (s < n) s <<= 1;
        return Math.min(s, leafCap);
    }

    private Leaf newLeaf(int slots) {
        Leaf l = new Leaf(slots);
        leafSlots += slots;
        leaves++;
        return l;
    }

    private void leafInsert(Leaf l, int pos, double score, byte[] member) {
        if (l.n == l.scores.length) {
            int grown = Math.min(l.scores.length * 2, leafCap);
            leafSlots += grown - l.scores.length;
            l.scores = Arrays.copyOf(l.scores, grown);
            l.members = Arrays.copyOf(l.members, grown);
        }
        int tail = l.n - pos;
        if (tail > 0) {
            System.arraycopy(l.scores, pos, l.scores, pos + 1, tail);
            System.arraycopy(l.members, pos, l.members, pos + 1, tail);
        }
        l.scores[pos] = score;
        l.members[pos] = member;
        l.n++;
    }

    /**
     * After the child at {@code pathIdx[h]} of {@code path[h]} split: its count becomes
     * {@code leftCount} and {@code right} joins right after it. Splits upwards as needed; a
     * split root grows the tree by one level.
     */
    private void addChild(int h, int leftCount, Node right, double sepS, byte[] sepM, int rightCount) {
        if (h > height) {
            Inner r = new Inner(innerCap);
            inners++;
            r.kids[0] = root;
            r.counts[0] = leftCount;
            r.kids[1] = right;
            r.sepScore[1] = sepS;
            r.sepMember[1] = sepM;
            r.counts[1] = rightCount;
            r.n = 2;
            root = r;
            height++;
            if (path.length <= height) {
                path = Arrays.copyOf(path, height + 2);
                pathIdx = Arrays.copyOf(pathIdx, height + 2);
            }
            return;
        }
        Inner p = path[h];
        int at = pathIdx[h] + 1;
        p.counts[at - 1] = leftCount;
        if (p.n < innerCap) {
            innerInsert(p, at, right, sepS, sepM, rightCount);
            return;
        }
        Inner q = new Inner(innerCap);
        inners++;
        boolean append = at == p.n && onRightEdge(h); // sorted loads keep inner nodes full too
        int half = append ? p.n : p.n / 2;
        int moved = p.n - half;
        System.arraycopy(p.kids, half, q.kids, 0, moved);
        System.arraycopy(p.counts, half, q.counts, 0, moved);
        System.arraycopy(p.sepScore, half, q.sepScore, 0, moved);
        System.arraycopy(p.sepMember, half, q.sepMember, 0, moved);
        Arrays.fill(p.kids, half, p.n, null);
        Arrays.fill(p.sepMember, half, p.n, null);
        q.n = moved;
        p.n = half;
        if (at <= half && !append) innerInsert(p, at, right, sepS, sepM, rightCount);
        else innerInsert(q, at - half, right, sepS, sepM, rightCount);
        // q's first separator moves up; as child 0 it needs none.
        double upS = q.sepScore[0];
        byte[] upM = q.sepMember[0];
        q.sepMember[0] = null;
        addChild(h + 1, sum(p), q, upS, upM, sum(q));
    }

    /** True when every node on the recorded path down to level {@code h} is its parent's last child. */
    private boolean onRightEdge(int h) {
        for (int k = height; k > h; k--) {
            if (pathIdx[k] != path[k].n - 1) return false;
        }
        return true;
    }

    private static void innerInsert(Inner p, int at, Node kid, double sepS, byte[] sepM, int count) {
        int tail = p.n - at;
        if (tail > 0) {
            System.arraycopy(p.kids, at, p.kids, at + 1, tail);
            System.arraycopy(p.counts, at, p.counts, at + 1, tail);
            System.arraycopy(p.sepScore, at, p.sepScore, at + 1, tail);
            System.arraycopy(p.sepMember, at, p.sepMember, at + 1, tail);
        }
        p.kids[at] = kid;
        p.counts[at] = count;
        p.sepScore[at] = sepS;
        p.sepMember[at] = sepM;
        p.n++;
    }

    private static int sum(Inner p) {
        int s = 0;
        for (int i = 0; i < p.n; i++) s += p.counts[i];
        return s;
    }

    // ---- removal ------------------------------------------------------------------------

    private void treeRemove(double score, byte[] member) {
        Leaf l = descend(score, member);
        int pos = lowerBound(l, score, member);
        if (pos >= l.n || l.members[pos] != member) throw new IllegalStateException("zset member missing from its tree");
        removeAt(l, pos);
    }

    /** Removes entry {@code pos} of {@code l}, the leaf the last descent reached. */
    private void removeAt(Leaf l, int pos) {
        for (int h = height; h > 0; h--) path[h].counts[pathIdx[h]]--;
        size--;
        int tail = l.n - pos - 1;
        if (tail > 0) {
            System.arraycopy(l.scores, pos + 1, l.scores, pos, tail);
            System.arraycopy(l.members, pos + 1, l.members, pos, tail);
        }
        l.members[--l.n] = null;
        if (height == 0) {
            shrink(l);
            return;
        }
        if (l.n < leafCap / 4) mergeLeaf(l);
        else shrink(l);
    }

    /** A leaf far below its array keeps half of it: a set that shrank does not hold its peak. */
    private void shrink(Leaf l) {
        int slots = l.scores.length;
        if (slots > FIRST_LEAF_SLOTS && l.n <= slots / 4) {
            int to = Math.max(FIRST_LEAF_SLOTS, slots / 2);
            leafSlots -= slots - to;
            l.scores = Arrays.copyOf(l.scores, to);
            l.members = Arrays.copyOf(l.members, to);
        }
    }

    /** An under-full leaf joins a sibling under the same parent when the two fit in 3/4 of a leaf. */
    private void mergeLeaf(Leaf l) {
        Inner p = path[1];
        int i = pathIdx[1];
        int room = leafCap * 3 / 4;
        if (i > 0 && p.counts[i - 1] + l.n <= room) {
            Leaf left = (Leaf) p.kids[i - 1];
            moveAll(l, left);
            p.counts[i - 1] += p.counts[i];
            unlinkLeaf(l);
            removeChild(1, i);
        } else if (i + 1 < p.n && p.counts[i + 1] + l.n <= room) {
            Leaf right = (Leaf) p.kids[i + 1];
            moveAll(right, l);
            p.counts[i] += p.counts[i + 1];
            unlinkLeaf(right);
            removeChild(1, i + 1);
        } else if (l.n == 0) {
            unlinkLeaf(l);
            removeChild(1, i);
        } else {
            shrink(l);
        }
    }

    /** Appends every entry of {@code from} to {@code to} (its right neighbour's entries follow its own). */
    private void moveAll(Leaf from, Leaf to) {
        int need = to.n + from.n;
        if (need > to.scores.length) {
            int grown = slotsFor(need);
            leafSlots += grown - to.scores.length;
            to.scores = Arrays.copyOf(to.scores, grown);
            to.members = Arrays.copyOf(to.members, grown);
        }
        System.arraycopy(from.scores, 0, to.scores, to.n, from.n);
        System.arraycopy(from.members, 0, to.members, to.n, from.n);
        to.n = need;
        from.n = 0;
    }

    private void unlinkLeaf(Leaf l) {
        if (l.prev != null) l.prev.next = l.next;
        if (l.next != null) l.next.prev = l.prev;
        leafSlots -= l.scores.length;
        leaves--;
    }

    /** Drops child {@code i} of {@code path[h]}; an inner node left small joins a sibling in turn. */
    private void removeChild(int h, int i) {
        Inner p = path[h];
        int tail = p.n - i - 1;
        if (tail > 0) {
            System.arraycopy(p.kids, i + 1, p.kids, i, tail);
            System.arraycopy(p.counts, i + 1, p.counts, i, tail);
            System.arraycopy(p.sepScore, i + 1, p.sepScore, i, tail);
            System.arraycopy(p.sepMember, i + 1, p.sepMember, i, tail);
        }
        p.n--;
        p.kids[p.n] = null;
        p.sepMember[p.n] = null;
        p.sepMember[0] = null; // child 0 has no lower bound
        if (h == height) {
            // A root with one child hands the root down (as often as that child has one too).
            while (height > 0 && root.n == 1) {
                root = ((Inner) root).kids[0];
                height--;
                inners--;
            }
            return;
        }
        if (p.n >= innerCap / 4) return;
        Inner g = path[h + 1];
        int j = pathIdx[h + 1];
        int room = innerCap * 3 / 4;
        if (j > 0 && ((Inner) g.kids[j - 1]).n + p.n <= room) {
            joinInner((Inner) g.kids[j - 1], p, g, j);
            g.counts[j - 1] += g.counts[j];
            inners--;
            removeChild(h + 1, j);
        } else if (j + 1 < g.n && ((Inner) g.kids[j + 1]).n + p.n <= room) {
            joinInner(p, (Inner) g.kids[j + 1], g, j + 1);
            g.counts[j] += g.counts[j + 1];
            inners--;
            removeChild(h + 1, j + 1);
        } else if (p.n == 0) {
            inners--;
            removeChild(h + 1, j);
        }
    }

    /** Appends {@code right}'s children to {@code left}; the parent's separator for right leads them. */
    private static void joinInner(Inner left, Inner right, Inner parent, int rightIdx) {
        int at = left.n;
        System.arraycopy(right.kids, 0, left.kids, at, right.n);
        System.arraycopy(right.counts, 0, left.counts, at, right.n);
        System.arraycopy(right.sepScore, 0, left.sepScore, at, right.n);
        System.arraycopy(right.sepMember, 0, left.sepMember, at, right.n);
        if (right.n > 0) {
            left.sepScore[at] = parent.sepScore[rightIdx];
            left.sepMember[at] = parent.sepMember[rightIdx];
        }
        left.n += right.n;
        right.n = 0;
    }

    // ---- ranks and ranges ---------------------------------------------------------------

    long rank(byte[] member) {
        int slot = slotOf(member);
        if (slot < 0) return -1;
        byte[] stored = keys[slot];
        double score = keyScores[slot];
        long r = 0;
        Node x = root;
        for (int h = height; h > 0; h--) {
            Inner in = (Inner) x;
            int i = childFor(in, score, stored);
            for (int k = 0; k < i; k++) r += in.counts[k];
            x = in.kids[i];
        }
        return r + lowerBound((Leaf) x, score, stored);
    }

    /** A condition true for a prefix of the order (then false for the rest). */
    @FunctionalInterface
    private interface Prefix {
        boolean holds(double score, byte[] member);
    }

    /** Elements with score below {@code min} (at most {@code min} when exclusive). */
    long countBelowScore(double min, boolean exclusive) {
        return countPrefix(exclusive ? (s, m) -> s <= min : (s, m) -> s < min);
    }

    /** Elements whose member sorts below {@code bound} (or equal, when inclusive); scores all equal. */
    long countBelowLex(byte[] bound, boolean inclusiveOfBound) {
        return countPrefix((s, m) -> below(m, bound, inclusiveOfBound));
    }

    /** How many elements the prefix holds for: one descent by separators and counts. */
    private long countPrefix(Prefix p) {
        long r = 0;
        Node x = root;
        for (int h = height; h > 0; h--) {
            Inner in = (Inner) x;
            int i = in.n - 1;
            while (i > 0 && !p.holds(in.sepScore[i], in.sepMember[i])) i--;
            for (int k = 0; k < i; k++) r += in.counts[k];
            x = in.kids[i];
        }
        Leaf l = (Leaf) x;
        int lo = 0, hi = l.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (p.holds(l.scores[mid], l.members[mid])) lo = mid + 1;
            else hi = mid;
        }
        return r + lo;
    }

    private static boolean below(byte[] member, byte[] bound, boolean inclusive) {
        int cmp = Arrays.compareUnsigned(member, bound);
        return inclusive ? cmp <= 0 : cmp < 0;
    }

    /** Visits ranks {@code from..to} (0-based, inclusive), ascending or from {@code to} down. */
    void forRange(long from, long to, boolean rev, ZSet.EntryVisitor v) {
        if (size == 0 || from > to) return;
        to = Math.min(to, size - 1);
        long left = to - from + 1;
        long start = rev ? to : from;
        // Descend by counts to the leaf holding rank start.
        Node x = root;
        long r = start;
        for (int h = height; h > 0; h--) {
            Inner in = (Inner) x;
            int i = 0;
            while (r >= in.counts[i]) r -= in.counts[i++];
            x = in.kids[i];
        }
        Leaf l = (Leaf) x;
        int pos = (int) r;
        if (!rev) {
            while (left > 0) {
                for (; pos < l.n && left > 0; pos++, left--) v.visit(l.members[pos], l.scores[pos]);
                l = l.next;
                pos = 0;
            }
        } else {
            while (left > 0) {
                for (; pos >= 0 && left > 0; pos--, left--) v.visit(l.members[pos], l.scores[pos]);
                l = l.prev;
                if (l != null) pos = l.n - 1;
            }
        }
    }

    // ---- verification -------------------------------------------------------------------

    /** Verifies every invariant in the class comment; throws on the first violation (tests). */
    void check() {
        Leaf[] prevLeaf = new Leaf[1];
        int counted = checkNode(root, height, null, 0, null, 0, prevLeaf);
        if (counted != size) throw new IllegalStateException("size " + size + " but tree holds " + counted);
        if (prevLeaf[0].next != null) throw new IllegalStateException("leaf after the last");
        int indexed = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) continue;
            indexed++;
            if (slotOf(keys[i]) != i) throw new IllegalStateException("index probe chain broken");
        }
        if (indexed != size) throw new IllegalStateException("index holds " + indexed + " of " + size);
    }

    private int checkNode(Node x, int h, byte[] loM, double loS, byte[] hiM, double hiS, Leaf[] prevLeaf) {
        if (h == 0) {
            Leaf l = (Leaf) x;
            if (l.prev != prevLeaf[0]) throw new IllegalStateException("leaf links");
            prevLeaf[0] = l;
            for (int i = 0; i < l.n; i++) {
                if (i > 0 && compare(l.scores[i - 1], l.members[i - 1], l.scores[i], l.members[i]) >= 0) {
                    throw new IllegalStateException("leaf out of order");
                }
                if (loM != null && compare(loS, loM, l.scores[i], l.members[i]) > 0) throw new IllegalStateException("below separator");
                if (hiM != null && compare(l.scores[i], l.members[i], hiS, hiM) >= 0) throw new IllegalStateException("above next separator");
                if (keyScores[slotOf(l.members[i])] != l.scores[i]) throw new IllegalStateException("index score differs");
            }
            return l.n;
        }
        Inner in = (Inner) x;
        if (in.n == 0 || (x == root && in.n < 2)) throw new IllegalStateException("empty inner node");
        int total = 0;
        for (int i = 0; i < in.n; i++) {
            byte[] lo = i == 0 ? loM : in.sepMember[i];
            double ls = i == 0 ? loS : in.sepScore[i];
            byte[] hi = i + 1 < in.n ? in.sepMember[i + 1] : hiM;
            double hs = i + 1 < in.n ? in.sepScore[i + 1] : hiS;
            int c = checkNode(in.kids[i], h - 1, lo, ls, hi, hs, prevLeaf);
            if (c != in.counts[i]) throw new IllegalStateException("count " + in.counts[i] + " but child holds " + c);
            total += c;
        }
        return total;
    }
}
