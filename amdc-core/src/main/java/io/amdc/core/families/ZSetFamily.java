package io.amdc.core.families;

import io.amdc.core.blocking.BlockedCommand;
import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.command.KeyFinder;
import io.amdc.core.keyspace.Db;
import io.amdc.core.notify.Notifications;
import io.amdc.core.session.Client;
import io.amdc.core.types.ElementSource;
import io.amdc.core.types.ZSet;
import io.amdc.core.util.Bytes;
import io.amdc.core.util.Glob;
import io.amdc.resp.Doubles;
import io.amdc.resp.RespOut;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Sorted-set commands (Redis's t_zset.c). */
final class ZSetFamily {
    private ZSetFamily() {
    }

    static final String MINMAX_NOT_FLOAT = "ERR min or max is not a float";
    static final String MINMAX_NOT_LEX = "ERR min or max not valid string range item";

    static void declare(CommandTable t) {
        t.add("zadd", -4, "write denyoom fast", "@sortedset", 1, 1, 1, ZSetFamily::zadd)
                .doc("Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.", "1.2.0", "sorted-set", "O(log(N)) for each item added, where N is the number of elements in the sorted set.");
        t.add("zincrby", 4, "write denyoom fast", "@sortedset", 1, 1, 1, ZSetFamily::zincrby)
                .doc("Increments the score of a member in a sorted set.", "1.2.0", "sorted-set", "O(log(N)) where N is the number of elements in the sorted set.");
        t.add("zrem", -3, "write fast", "@sortedset", 1, 1, 1, ZSetFamily::zrem)
                .doc("Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.", "1.2.0", "sorted-set", "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.");
        t.add("zcard", 2, "readonly fast", "@sortedset", 1, 1, 1, ZSetFamily::zcard)
                .doc("Returns the number of members in a sorted set.", "1.2.0", "sorted-set", "O(1)");
        t.add("zcount", 4, "readonly fast", "@sortedset", 1, 1, 1, ZSetFamily::zcount)
                .doc("Returns the count of members in a sorted set that have scores within a range.", "2.0.0", "sorted-set", "O(log(N)) with N being the number of elements in the sorted set.");
        t.add("zlexcount", 4, "readonly fast", "@sortedset", 1, 1, 1, ZSetFamily::zlexcount)
                .doc("Returns the number of members in a sorted set within a lexicographical range.", "2.8.9", "sorted-set", "O(log(N)) with N being the number of elements in the sorted set.");
        t.add("zscore", 3, "readonly fast", "@sortedset", 1, 1, 1, ZSetFamily::zscore)
                .doc("Returns the score of a member in a sorted set.", "1.2.0", "sorted-set", "O(1)");
        t.add("zmscore", -3, "readonly fast", "@sortedset", 1, 1, 1, ZSetFamily::zmscore)
                .doc("Returns the score of one or more members in a sorted set.", "6.2.0", "sorted-set", "O(N) where N is the number of members being requested.");
        t.add("zrank", -3, "readonly fast", "@sortedset", 1, 1, 1, (c, a) -> zrank(c, a, false))
                .doc("Returns the index of a member in a sorted set ordered by ascending scores.", "2.0.0", "sorted-set", "O(log(N))");
        t.add("zrevrank", -3, "readonly fast", "@sortedset", 1, 1, 1, (c, a) -> zrank(c, a, true))
                .doc("Returns the index of a member in a sorted set ordered by descending scores.", "2.0.0", "sorted-set", "O(log(N))");
        t.add("zrange", -4, "readonly", "@sortedset", 1, 1, 1, (c, a) -> zrange(c, a, 1, Kind.AUTO, Dir.AUTO, false))
                .doc("Returns members in a sorted set within a range of indexes.", "1.2.0", "sorted-set", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.");
        t.add("zrangestore", -5, "write denyoom", "@sortedset", 1, 2, 1, (c, a) -> zrange(c, a, 2, Kind.AUTO, Dir.AUTO, true))
                .doc("Stores a range of members from sorted set in a key.", "6.2.0", "sorted-set", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.");
        t.add("zrevrange", -4, "readonly", "@sortedset", 1, 1, 1, (c, a) -> zrange(c, a, 1, Kind.RANK, Dir.REV, false))
                .doc("Returns members in a sorted set within a range of indexes in reverse order.", "1.2.0", "sorted-set", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.");
        t.add("zrangebyscore", -4, "readonly", "@sortedset", 1, 1, 1, (c, a) -> zrange(c, a, 1, Kind.SCORE, Dir.FWD, false))
                .doc("Returns members in a sorted set within a range of scores.", "1.0.5", "sorted-set", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).");
        t.add("zrevrangebyscore", -4, "readonly", "@sortedset", 1, 1, 1, (c, a) -> zrange(c, a, 1, Kind.SCORE, Dir.REV, false))
                .doc("Returns members in a sorted set within a range of scores in reverse order.", "2.2.0", "sorted-set", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).");
        t.add("zrangebylex", -4, "readonly", "@sortedset", 1, 1, 1, (c, a) -> zrange(c, a, 1, Kind.LEX, Dir.FWD, false))
                .doc("Returns members in a sorted set within a lexicographical range.", "2.8.9", "sorted-set", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).");
        t.add("zrevrangebylex", -4, "readonly", "@sortedset", 1, 1, 1, (c, a) -> zrange(c, a, 1, Kind.LEX, Dir.REV, false))
                .doc("Returns members in a sorted set within a lexicographical range in reverse order.", "2.8.9", "sorted-set", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).");
        t.add("zremrangebyrank", 4, "write", "@sortedset", 1, 1, 1, (c, a) -> zremrange(c, a, Kind.RANK))
                .doc("Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.", "2.0.0", "sorted-set", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.");
        t.add("zremrangebyscore", 4, "write", "@sortedset", 1, 1, 1, (c, a) -> zremrange(c, a, Kind.SCORE))
                .doc("Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.", "1.2.0", "sorted-set", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.");
        t.add("zremrangebylex", 4, "write", "@sortedset", 1, 1, 1, (c, a) -> zremrange(c, a, Kind.LEX))
                .doc("Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.", "2.8.9", "sorted-set", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.");
        t.add("zpopmin", -2, "write fast", "@sortedset", 1, 1, 1, (c, a) -> zpop(c, a, false))
                .doc("Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.", "5.0.0", "sorted-set", "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.");
        t.add("zpopmax", -2, "write fast", "@sortedset", 1, 1, 1, (c, a) -> zpop(c, a, true))
                .doc("Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.", "5.0.0", "sorted-set", "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.");
        t.add("zmpop", -4, "write", "@sortedset", numKeys(1), (c, a) -> zmpop(c, a, 1))
                .doc("Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.", "7.0.0", "sorted-set", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.");
        t.add("bzpopmin", -3, "write noscript blocking fast", "@sortedset", 1, -2, 1, (c, a) -> bzpop(c, a, false))
                .doc("Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.", "5.0.0", "sorted-set", "O(log(N)) with N being the number of elements in the sorted set.");
        t.add("bzpopmax", -3, "write noscript blocking fast", "@sortedset", 1, -2, 1, (c, a) -> bzpop(c, a, true))
                .doc("Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.", "5.0.0", "sorted-set", "O(log(N)) with N being the number of elements in the sorted set.");
        t.add("bzmpop", -5, "write blocking", "@sortedset", numKeys(2), (c, a) -> zmpop(c, a, 2))
                .doc("Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.", "7.0.0", "sorted-set", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.");
        t.add("zrandmember", -2, "readonly", "@sortedset", 1, 1, 1, ZSetFamily::zrandmember)
                .doc("Returns one or more random members from a sorted set.", "6.2.0", "sorted-set", "O(N) where N is the number of members returned");
        t.add("zunion", -3, "readonly", "@sortedset", numKeys(1), (c, a) -> zsetop(c, a, Op.UNION, false))
                .doc("Returns the union of multiple sorted sets.", "6.2.0", "sorted-set", "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.");
        t.add("zinter", -3, "readonly", "@sortedset", numKeys(1), (c, a) -> zsetop(c, a, Op.INTER, false))
                .doc("Returns the intersect of multiple sorted sets.", "6.2.0", "sorted-set", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.");
        t.add("zdiff", -3, "readonly", "@sortedset", numKeys(1), (c, a) -> zsetop(c, a, Op.DIFF, false))
                .doc("Returns the difference between multiple sorted sets.", "6.2.0", "sorted-set", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.");
        t.add("zunionstore", -4, "write denyoom", "@sortedset", 1, 1, 1, storeKeys(), (c, a) -> zsetop(c, a, Op.UNION, true))
                .doc("Stores the union of multiple sorted sets in a key.", "2.0.0", "sorted-set", "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.");
        t.add("zinterstore", -4, "write denyoom", "@sortedset", 1, 1, 1, storeKeys(), (c, a) -> zsetop(c, a, Op.INTER, true))
                .doc("Stores the intersect of multiple sorted sets in a key.", "2.0.0", "sorted-set", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.");
        t.add("zdiffstore", -4, "write denyoom", "@sortedset", 1, 1, 1, storeKeys(), (c, a) -> zsetop(c, a, Op.DIFF, true))
                .doc("Stores the difference of multiple sorted sets in a key.", "6.2.0", "sorted-set", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.");
        t.add("zintercard", -3, "readonly", "@sortedset", numKeys(1), ZSetFamily::zintercard)
                .doc("Returns the number of members of the intersect of multiple sorted sets.", "7.0.0", "sorted-set", "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.");
        t.add("zscan", -3, "readonly", "@sortedset", 1, 1, 1, ZSetFamily::zscan)
                .doc("Iterates over members and scores of a sorted set.", "2.8.0", "sorted-set", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.");
        SortFamily.declare(t);
    }

    // ---- key finders ---------------------------------------------------------------------

    /** Keys follow a numkeys argument at {@code at}. */
    static KeyFinder numKeys(int at) {
        return argv -> {
            if (at >= argv.length) return new int[0];
            long n = Bytes.isLong(argv[at]) ? Bytes.toLong(argv[at]) : 0;
            if (n <= 0) return new int[0];
            int k = (int) Math.min(n, argv.length - at - 1);
            int[] pos = new int[k];
            for (int i = 0; i < k; i++) pos[i] = at + 1 + i;
            return pos;
        };
    }

    /** ZUNIONSTORE-style: destination at 1, numkeys at 2. */
    static KeyFinder storeKeys() {
        KeyFinder src = numKeys(2);
        return argv -> {
            int[] s = src.keys(argv);
            int[] pos = new int[s.length + 1];
            pos[0] = 1;
            System.arraycopy(s, 0, pos, 1, s.length);
            return pos;
        };
    }

    // ---- helpers -------------------------------------------------------------------------

    /** The sorted set at {@code key}, null when absent, WRONGTYPE otherwise. */
    static ZSet get(Client c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) return null;
        if (!(v instanceof ZSet z)) throw CommandError.wrongType();
        return z;
    }

    static long maxEntries(Client c) {
        return c.engine().encodingLimits().zsetEntries();
    }

    static long maxValue(Client c) {
        return c.engine().encodingLimits().zsetValue();
    }

    /** A new empty set in the encoding Redis would create for its first member. */
    static ZSet create(Client c, byte[] firstMember) {
        return ZSet.needsSkiplist(1, firstMember.length, maxEntries(c), maxValue(c)) ? ZSet.skiplist() : new ZSet();
    }

    /** Stores a (new) sorted set at {@code key} and wakes clients blocked on it once the command ends. */
    static void store(Client c, byte[] key, ZSet z) {
        c.db().set(key, z);
        c.engine().blocking().signal(c.dbIndex(), key);
    }

    /** Deletes an emptied set, reporting "del" as Redis does after the command's own event. */
    static void deleteIfEmpty(Client c, byte[] key, ZSet z) {
        if (z.size() == 0 && c.db().delete(key)) notify(c, Notifications.GENERIC, "del", key);
    }

    private static void notify(Client c, int cls, String event, byte[] key) {
        c.engine().notifications().notify(c, cls, event, key);
    }

    /** A *STORE destination: the set is stored with {@code event}, or an empty result deletes it ("del"). */
    private static void storeResult(Client c, byte[] dst, Collected in, String event) {
        if (in.size() == 0) {
            if (c.db().delete(dst)) notify(c, Notifications.GENERIC, "del", dst);
        } else {
            store(c, dst, build(c, in, in.size()));
            notify(c, Notifications.ZSET, event, dst);
        }
    }

    /** Writes member/score pairs: RESP2 flat, RESP3 nested [member, score] pairs. */
    static void replyPairs(RespOut out, List<byte[]> members, double[] scores, int n) {
        if (out.resp3()) {
            out.array(n);
            for (int i = 0; i < n; i++) {
                out.array(2);
                out.bulk(members.get(i));
                out.dbl(scores[i]);
            }
        } else {
            out.array(n * 2);
            for (int i = 0; i < n; i++) {
                out.bulk(members.get(i));
                out.dbl(scores[i]);
            }
        }
    }

    /** Accumulates visited entries for a reply or a store. */
    static final class Collected implements ZSet.EntryVisitor {
        final List<byte[]> members;
        double[] scores;

        Collected() {
            this(8);
        }

        /** Sized for {@code expected} entries, when the caller knows the count (a rank range). */
        Collected(int expected) {
            members = new ArrayList<>(expected);
            scores = new double[Math.max(expected, 4)];
        }

        @Override
        public void visit(byte[] member, double score) {
            int n = members.size();
            if (n == scores.length) scores = Arrays.copyOf(scores, n * 2);
            members.add(member);
            scores[n] = score;
        }

        int size() {
            return members.size();
        }
    }

    // ---- ZADD / ZINCRBY ------------------------------------------------------------------

    static void zadd(Client c, byte[][] argv) {
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        int i = 2;
        for (; i < argv.length; i++) {
            byte[] o = argv[i];
            if (Bytes.eqIgnoreCase(o, "NX")) nx = true;
            else if (Bytes.eqIgnoreCase(o, "XX")) xx = true;
            else if (Bytes.eqIgnoreCase(o, "GT")) gt = true;
            else if (Bytes.eqIgnoreCase(o, "LT")) lt = true;
            else if (Bytes.eqIgnoreCase(o, "CH")) ch = true;
            else if (Bytes.eqIgnoreCase(o, "INCR")) incr = true;
            else break;
        }
        int elements = argv.length - i;
        if (elements == 0 || elements % 2 != 0) throw CommandError.syntax();
        elements /= 2;
        if (nx && xx) throw new CommandError("ERR XX and NX options at the same time are not compatible");
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 1) throw new CommandError("ERR INCR option supports a single increment-element pair");
        double[] scores = new double[elements];
        for (int e = 0; e < elements; e++) scores[e] = Bytes.toDouble(argv[i + 2 * e]);
        ZSet z = get(c, argv[1]);
        if (z == null) {
            if (xx) {
                if (incr) c.out().nullBulk();
                else c.out().integer(0);
                return;
            }
            z = create(c, argv[i + 1]);
            store(c, argv[1], z);
        }
        long added = 0, updated = 0;
        double result = Double.NaN;
        long maxE = maxEntries(c), maxV = maxValue(c);
        boolean plain = !nx && !xx && !gt && !lt && !incr;
        for (int e = 0; e < elements; e++) {
            byte[] member = argv[i + 2 * e + 1];
            double score = scores[e];
            if (plain) { // no condition to check first: one lookup does it
                double old = z.replace(member, score, maxE, maxV);
                if (Double.isNaN(old)) added++;
                else if (old != score) updated++;
                result = score;
                continue;
            }
            double cur = z.score(member);
            if (!Double.isNaN(cur)) {
                if (nx) continue;
                double next = incr ? cur + score : score;
                if (Double.isNaN(next)) {
                    deleteIfEmpty(c, argv[1], z);
                    throw new CommandError("ERR resulting score is not a number (NaN)");
                }
                if ((lt && next >= cur) || (gt && next <= cur)) continue;
                result = next;
                if (next != cur) {
                    z.put(member, next, maxE, maxV);
                    updated++;
                }
            } else {
                if (xx) continue;
                z.put(member, score, maxE, maxV);
                result = score;
                added++;
            }
        }
        if (added + updated > 0) notify(c, Notifications.ZSET, incr ? "zincr" : "zadd", argv[1]);
        deleteIfEmpty(c, argv[1], z);
        if (incr) {
            if (Double.isNaN(result)) c.out().nullBulk();
            else c.out().dbl(result);
        } else {
            c.out().integer(ch ? added + updated : added);
        }
    }

    static void zincrby(Client c, byte[][] argv) {
        double by = Bytes.toDouble(argv[2]);
        ZSet z = get(c, argv[1]);
        boolean created = false;
        if (z == null) {
            z = create(c, argv[3]);
            created = true;
        }
        double cur = z.score(argv[3]);
        double next = Double.isNaN(cur) ? by : cur + by;
        if (Double.isNaN(next)) throw new CommandError("ERR resulting score is not a number (NaN)");
        z.put(argv[3], next, maxEntries(c), maxValue(c));
        if (created) store(c, argv[1], z);
        notify(c, Notifications.ZSET, "zincr", argv[1]);
        c.out().dbl(next);
    }

    // ---- simple reads / removals ---------------------------------------------------------

    static void zrem(Client c, byte[][] argv) {
        ZSet z = get(c, argv[1]);
        if (z == null) {
            c.out().integer(0);
            return;
        }
        long n = 0;
        for (int i = 2; i < argv.length; i++) {
            if (z.remove(argv[i])) n++;
        }
        if (n > 0) notify(c, Notifications.ZSET, "zrem", argv[1]);
        deleteIfEmpty(c, argv[1], z);
        c.out().integer(n);
    }

    static void zcard(Client c, byte[][] argv) {
        ZSet z = get(c, argv[1]);
        c.out().integer(z == null ? 0 : z.size());
    }

    static void zcount(Client c, byte[][] argv) {
        ScoreBound min = ScoreBound.parse(argv[2]);
        ScoreBound max = ScoreBound.parse(argv[3]);
        ZSet z = get(c, argv[1]);
        if (z == null) {
            c.out().integer(0);
            return;
        }
        long lo = min.lowRank(z), hi = max.highRank(z);
        c.out().integer(Math.max(0, hi - lo));
    }

    static void zlexcount(Client c, byte[][] argv) {
        LexBound min = LexBound.parse(argv[2]);
        LexBound max = LexBound.parse(argv[3]);
        ZSet z = get(c, argv[1]);
        if (z == null) {
            c.out().integer(0);
            return;
        }
        c.out().integer(Math.max(0, max.highRank(z) - min.lowRank(z)));
    }

    static void zscore(Client c, byte[][] argv) {
        ZSet z = get(c, argv[1]);
        double s = z == null ? Double.NaN : z.score(argv[2]);
        if (Double.isNaN(s)) c.out().nullBulk();
        else c.out().dbl(s);
    }

    static void zmscore(Client c, byte[][] argv) {
        ZSet z = get(c, argv[1]);
        c.out().array(argv.length - 2);
        for (int i = 2; i < argv.length; i++) {
            double s = z == null ? Double.NaN : z.score(argv[i]);
            if (Double.isNaN(s)) c.out().nullBulk();
            else c.out().dbl(s);
        }
    }

    static void zrank(Client c, byte[][] argv, boolean rev) {
        boolean withScore = false;
        if (argv.length > 4) throw CommandError.syntax();
        if (argv.length == 4) {
            if (!Bytes.eqIgnoreCase(argv[3], "WITHSCORE")) throw CommandError.syntax();
            withScore = true;
        }
        ZSet z = get(c, argv[1]);
        long r = z == null ? -1 : z.rank(argv[2]);
        if (r < 0) {
            if (withScore) c.out().nullArray();
            else c.out().nullBulk();
            return;
        }
        if (rev) r = z.size() - 1 - r;
        if (withScore) {
            c.out().array(2);
            c.out().integer(r);
            c.out().dbl(z.score(argv[2]));
        } else {
            c.out().integer(r);
        }
    }

    // ---- ranges --------------------------------------------------------------------------

    enum Kind { AUTO, RANK, SCORE, LEX }

    enum Dir { AUTO, FWD, REV }

    /** A ZRANGEBYSCORE bound: "1.5", "(1.5", "-inf", "+inf". */
    record ScoreBound(double value, boolean exclusive) {
        static ScoreBound parse(byte[] b) {
            boolean ex = b.length > 0 && b[0] == '(';
            byte[] num = ex ? Arrays.copyOfRange(b, 1, b.length) : b;
            return new ScoreBound(Bytes.toDouble(num, MINMAX_NOT_FLOAT), ex);
        }

        /** Rank of the first entry satisfying this bound as a minimum. */
        long lowRank(ZSet z) {
            return z.countBelowScore(value, exclusive);
        }

        /** One past the rank of the last entry satisfying this bound as a maximum. */
        long highRank(ZSet z) {
            return z.countBelowScore(value, !exclusive);
        }
    }

    /** A ZRANGEBYLEX bound: "-", "+", "[member", "(member". */
    record LexBound(int kind, byte[] value) {
        static final int MINUS = 0, PLUS = 1, INCL = 2, EXCL = 3;

        static LexBound parse(byte[] b) {
            if (b.length == 1 && b[0] == '-') return new LexBound(MINUS, null);
            if (b.length == 1 && b[0] == '+') return new LexBound(PLUS, null);
            if (b.length > 0 && b[0] == '[') return new LexBound(INCL, Arrays.copyOfRange(b, 1, b.length));
            if (b.length > 0 && b[0] == '(') return new LexBound(EXCL, Arrays.copyOfRange(b, 1, b.length));
            throw new CommandError(MINMAX_NOT_LEX);
        }

        long lowRank(ZSet z) {
            return switch (kind) {
                case MINUS -> 0;
                case PLUS -> z.size();
                case INCL -> z.countBelowLex(value, false);
                default -> z.countBelowLex(value, true);
            };
        }

        long highRank(ZSet z) {
            return switch (kind) {
                case MINUS -> 0;
                case PLUS -> z.size();
                case INCL -> z.countBelowLex(value, true);
                default -> z.countBelowLex(value, false);
            };
        }
    }

    /** A parsed range: ascending ranks [lo, hi) plus direction and LIMIT. */
    record Span(long lo, long hi) {
    }

    static Span rankSpan(long start, long end, long size) {
        if (start < 0) start += size;
        if (end < 0) end += size;
        if (start < 0) start = 0;
        if (start > end || start >= size) return new Span(0, 0);
        if (end >= size) end = size - 1;
        return new Span(start, end + 1);
    }

    /**
     * ZRANGE and its older forms. {@code first} is argv's index of the source key; the range
     * bounds follow it, then options.
     */
    static void zrange(Client c, byte[][] argv, int first, Kind kind, Dir dir, boolean store) {
        boolean withScores = false;
        long offset = 0, limit = -1;
        boolean limitSeen = false;
        for (int j = first + 3; j < argv.length; j++) {
            int left = argv.length - j - 1;
            byte[] o = argv[j];
            if (!store && Bytes.eqIgnoreCase(o, "WITHSCORES")) withScores = true;
            else if (Bytes.eqIgnoreCase(o, "LIMIT") && left >= 2) {
                offset = Bytes.toLong(argv[j + 1]);
                limit = Bytes.toLong(argv[j + 2]);
                limitSeen = true;
                j += 2;
            } else if (dir == Dir.AUTO && Bytes.eqIgnoreCase(o, "REV")) dir = Dir.REV;
            else if (kind == Kind.AUTO && Bytes.eqIgnoreCase(o, "BYLEX")) kind = Kind.LEX;
            else if (kind == Kind.AUTO && Bytes.eqIgnoreCase(o, "BYSCORE")) kind = Kind.SCORE;
            else throw CommandError.syntax();
        }
        if (dir == Dir.AUTO) dir = Dir.FWD;
        if (kind == Kind.AUTO) kind = Kind.RANK;
        if (limitSeen && kind == Kind.RANK) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && kind == Kind.LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        boolean rev = dir == Dir.REV;
        byte[] minArg = argv[first + 1], maxArg = argv[first + 2];
        if (rev && kind != Kind.RANK) {
            byte[] t = minArg;
            minArg = maxArg;
            maxArg = t;
        }
        long start = 0, end = 0;
        ScoreBound smin = null, smax = null;
        LexBound lmin = null, lmax = null;
        switch (kind) {
            case RANK -> {
                start = Bytes.toLong(minArg);
                end = Bytes.toLong(maxArg);
            }
            case SCORE -> {
                smin = ScoreBound.parse(minArg);
                smax = ScoreBound.parse(maxArg);
            }
            default -> {
                lmin = LexBound.parse(minArg);
                lmax = LexBound.parse(maxArg);
            }
        }
        byte[] key = argv[first];
        ZSet z = get(c, key);
        long lo = 0, hi = 0;
        if (z != null) {
            Span s = switch (kind) {
                case RANK -> rankSpan(start, end, z.size());
                case SCORE -> new Span(smin.lowRank(z), smax.highRank(z));
                default -> new Span(lmin.lowRank(z), lmax.highRank(z));
            };
            lo = s.lo();
            hi = s.hi();
            if (rev && kind == Kind.RANK) {
                long n = z.size();
                long l2 = n - hi, h2 = n - lo;
                lo = l2;
                hi = h2;
            }
            if (offset < 0) hi = lo;
            else if (rev) {
                hi -= offset;
                if (limit >= 0) lo = Math.max(lo, hi - limit);
            } else {
                lo += offset;
                if (limit >= 0) hi = Math.min(hi, lo + limit);
            }
        }
        // [lo, hi) lies within the set's ranks, so its size is the reply's length.
        int n = lo < hi ? (int) (hi - lo) : 0;
        if (store) {
            // The range's size is known here: the result lists are allocated once, at their size.
            Collected out = new Collected(Math.min(n, 1024));
            if (n > 0) z.forRange(lo, hi - 1, rev, out);
            storeResult(c, argv[1], out, "zrangestore");
            c.out().integer(out.size());
            return;
        }
        // A reply streams straight from the set: nothing collected, nothing allocated per entry
        // (ZRANGE 0 9 at 1.2M requests/s collected ~120 MB/s of lists for the collector).
        RespOut o = c.out();
        boolean resp3 = o.resp3();
        o.array(withScores && !resp3 ? 2 * n : n);
        if (n == 0) return;
        if (!withScores) z.forRange(lo, hi - 1, rev, (m, sc) -> o.bulk(m));
        else if (resp3) z.forRange(lo, hi - 1, rev, (m, sc) -> {
            o.array(2);
            o.bulk(m);
            o.dbl(sc);
        });
        else z.forRange(lo, hi - 1, rev, (m, sc) -> {
            o.bulk(m);
            o.dbl(sc);
        });
    }

    /** A new set holding the first n collected entries, in the encoding Redis picks for its size. */
    static ZSet build(Client c, Collected in, int n) {
        long maxE = maxEntries(c), maxV = maxValue(c);
        ZSet z = ZSet.skiplist();
        for (int i = 0; i < n; i++) z.put(in.members.get(i), in.scores[i], Long.MAX_VALUE, Long.MAX_VALUE);
        z.compactIfFits(maxE, maxV);
        return z;
    }

    static void zremrange(Client c, byte[][] argv, Kind kind) {
        long start = 0, end = 0;
        ScoreBound smin = null, smax = null;
        LexBound lmin = null, lmax = null;
        switch (kind) {
            case RANK -> {
                start = Bytes.toLong(argv[2]);
                end = Bytes.toLong(argv[3]);
            }
            case SCORE -> {
                smin = ScoreBound.parse(argv[2]);
                smax = ScoreBound.parse(argv[3]);
            }
            default -> {
                lmin = LexBound.parse(argv[2]);
                lmax = LexBound.parse(argv[3]);
            }
        }
        ZSet z = get(c, argv[1]);
        if (z == null) {
            c.out().integer(0);
            return;
        }
        Span s = switch (kind) {
            case RANK -> rankSpan(start, end, z.size());
            case SCORE -> new Span(smin.lowRank(z), smax.highRank(z));
            default -> new Span(lmin.lowRank(z), lmax.highRank(z));
        };
        Collected victims = new Collected();
        if (s.lo() < s.hi()) z.forRange(s.lo(), s.hi() - 1, false, victims);
        for (byte[] m : victims.members) z.remove(m);
        if (victims.size() > 0) {
            notify(c, Notifications.ZSET, switch (kind) {
                case RANK -> "zremrangebyrank";
                case SCORE -> "zremrangebyscore";
                default -> "zremrangebylex";
            }, argv[1]);
        }
        deleteIfEmpty(c, argv[1], z);
        c.out().integer(victims.size());
    }

    // ---- pops ----------------------------------------------------------------------------

    /** Pops up to n entries from one end. */
    static Collected pop(Client c, byte[] key, ZSet z, long n, boolean max) {
        Collected got = new Collected();
        long size = z.size();
        long k = Math.min(n, size);
        if (k > 0) {
            if (max) z.forRange(size - k, size - 1, true, got);
            else z.forRange(0, k - 1, false, got);
        }
        for (byte[] m : got.members) z.remove(m);
        if (got.size() > 0) notify(c, Notifications.ZSET, max ? "zpopmax" : "zpopmin", key);
        deleteIfEmpty(c, key, z);
        return got;
    }

    static void zpop(Client c, byte[][] argv, boolean max) {
        if (argv.length > 3) throw CommandError.syntax();
        long count = 1;
        boolean hasCount = argv.length == 3;
        if (hasCount) {
            count = Bytes.toLong(argv[2]);
            if (count < 0) throw new CommandError("ERR value is out of range, must be positive");
        }
        ZSet z = get(c, argv[1]);
        if (z == null || count == 0) {
            c.out().array(0);
            return;
        }
        Collected got = pop(c, argv[1], z, count, max);
        if (!hasCount) {
            c.out().array(2);
            c.out().bulk(got.members.get(0));
            c.out().dbl(got.scores[0]);
        } else {
            replyPairs(c.out(), got.members, got.scores, got.size());
        }
    }

    /** ZMPOP numkeys key... MIN|MAX [COUNT n], and BZMPOP timeout numkeys ... (at = numkeys index). */
    static void zmpop(Client c, byte[][] argv, int at) {
        long numKeys = Bytes.toLong(argv[at], "ERR numkeys should be greater than 0");
        if (numKeys <= 0) throw new CommandError("ERR numkeys should be greater than 0");
        if (numKeys > argv.length - at - 2) throw CommandError.syntax();
        int where = at + 1 + (int) numKeys;
        boolean max;
        if (Bytes.eqIgnoreCase(argv[where], "MIN")) max = false;
        else if (Bytes.eqIgnoreCase(argv[where], "MAX")) max = true;
        else throw CommandError.syntax();
        long count = -1;
        for (int j = where + 1; j < argv.length; j++) {
            if (count == -1 && Bytes.eqIgnoreCase(argv[j], "COUNT") && j + 1 < argv.length) {
                count = Bytes.toLong(argv[++j], "ERR count should be greater than 0");
                if (count <= 0) throw new CommandError("ERR count should be greater than 0");
            } else {
                throw CommandError.syntax();
            }
        }
        if (count == -1) count = 1;
        // BZMPOP reads its timeout only after the options, as Redis does (so their errors come first).
        long timeoutMs = at == 2 ? ListFamily.timeoutMs(argv[1]) : -1;
        for (int k = 0; k < numKeys; k++) {
            byte[] key = argv[at + 1 + k];
            ZSet z = get(c, key);
            if (z == null) continue;
            mpopReply(c, key, z, count, max);
            return;
        }
        if (timeoutMs < 0) {
            c.out().nullArray();
            return;
        }
        long n = count;
        byte[][] keys = Arrays.copyOfRange(argv, at + 1, where);
        c.engine().blocking().block(c, keys, timeoutMs, new BlockedCommand() {
            @Override
            public int serve(Client w, byte[] key) {
                if (!(w.db().get(key) instanceof ZSet z)) return SKIP;
                mpopReply(w, key, z, n, max);
                return SERVED;
            }

            @Override
            public void timedOut(Client w) {
                w.out().nullArray();
            }
        });
    }

    /** [key, [[member, score]...]] popping up to {@code count} entries. */
    private static void mpopReply(Client c, byte[] key, ZSet z, long count, boolean max) {
        Collected got = pop(c, key, z, count, max);
        RespOut out = c.out();
        out.array(2);
        out.bulk(key);
        out.array(got.size());
        for (int i = 0; i < got.size(); i++) {
            out.array(2);
            out.bulk(got.members.get(i));
            out.dbl(got.scores[i]);
        }
    }

    /** BZPOPMIN/BZPOPMAX key... timeout. */
    static void bzpop(Client c, byte[][] argv, boolean max) {
        long timeoutMs = ListFamily.timeoutMs(argv[argv.length - 1]);
        for (int k = 1; k < argv.length - 1; k++) {
            ZSet z = get(c, argv[k]);
            if (z == null) continue;
            bzpopReply(c, argv[k], z, max);
            return;
        }
        byte[][] keys = Arrays.copyOfRange(argv, 1, argv.length - 1);
        c.engine().blocking().block(c, keys, timeoutMs, new BlockedCommand() {
            @Override
            public int serve(Client w, byte[] key) {
                if (!(w.db().get(key) instanceof ZSet z)) return SKIP;
                bzpopReply(w, key, z, max);
                return SERVED;
            }

            @Override
            public void timedOut(Client w) {
                w.out().nullArray();
            }
        });
    }

    /** [key, member, score]. */
    private static void bzpopReply(Client c, byte[] key, ZSet z, boolean max) {
        Collected got = pop(c, key, z, 1, max);
        c.out().array(3);
        c.out().bulk(key);
        c.out().bulk(got.members.get(0));
        c.out().dbl(got.scores[0]);
    }

    // ---- ZRANDMEMBER ---------------------------------------------------------------------

    static void zrandmember(Client c, byte[][] argv) {
        if (argv.length > 4) throw CommandError.syntax();
        if (argv.length == 2) {
            ZSet z = get(c, argv[1]);
            if (z == null) c.out().nullBulk();
            else c.out().bulk(z.memberAt(ThreadLocalRandom.current().nextInt(z.size())));
            return;
        }
        long count = Bytes.toLong(argv[2]);
        boolean withScores = false;
        if (argv.length == 4) {
            if (!Bytes.eqIgnoreCase(argv[3], "WITHSCORES")) throw CommandError.syntax();
            withScores = true;
        }
        if (count < -Long.MAX_VALUE / 2 || (withScores && count < -(Long.MAX_VALUE / 2))) {
            throw new CommandError("ERR value is out of range");
        }
        ZSet z = get(c, argv[1]);
        if (z == null || count == 0) {
            c.out().array(0);
            return;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Collected all = new Collected();
        z.forRange(0, z.size() - 1, false, all);
        Collected pick = new Collected();
        if (count < 0) {
            for (long i = 0; i < -count; i++) {
                int r = rnd.nextInt(all.size());
                pick.visit(all.members.get(r), all.scores[r]);
            }
        } else if (count >= all.size()) {
            pick = all;
        } else {
            // Partial Fisher-Yates: the first count slots become a uniform sample without repeats.
            int n = all.size();
            for (int i = 0; i < count; i++) {
                int r = i + rnd.nextInt(n - i);
                byte[] m = all.members.get(r);
                double s = all.scores[r];
                all.members.set(r, all.members.get(i));
                all.scores[r] = all.scores[i];
                all.members.set(i, m);
                all.scores[i] = s;
                pick.visit(m, s);
            }
        }
        if (withScores) replyPairs(c.out(), pick.members, pick.scores, pick.size());
        else {
            c.out().array(pick.size());
            for (byte[] m : pick.members) c.out().bulk(m);
        }
    }

    // ---- ZUNION / ZINTER / ZDIFF ---------------------------------------------------------

    enum Op { UNION, INTER, DIFF }

    enum Agg { SUM, MIN, MAX }

    /** One input of the set algebra: a zset, or a plain set read with score 1. */
    record Input(ZSet zset, ElementSource set) {
        long size() {
            return zset != null ? zset.size() : set == null ? 0 : set.elementCount();
        }

        /** NaN when absent. */
        void forEach(ZSet.EntryVisitor v) {
            if (zset != null) zset.forRange(0, zset.size() - 1, false, v);
            else if (set != null) set.forEachElement(m -> v.visit(m, 1.0));
        }

        double score(byte[] m, Map<ByteKey, Double> setIndex) {
            if (zset != null) return zset.score(m);
            if (set == null) return Double.NaN;
            return setIndex.containsKey(new ByteKey(m)) ? 1.0 : Double.NaN;
        }
    }

    record ByteKey(byte[] b) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey k && Arrays.equals(b, k.b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(b);
        }
    }

    static Input input(Client c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null) return new Input(null, null);
        if (v instanceof ZSet z) return new Input(z, null);
        if (v instanceof ElementSource s && s.typeName().equals("set")) return new Input(null, s);
        throw CommandError.wrongType();
    }

    static double aggregate(Agg agg, double a, double b) {
        return switch (agg) {
            case SUM -> {
                double r = a + b;
                yield Double.isNaN(r) ? 0 : r; // inf + -inf: Redis settles on 0
            }
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
        };
    }

    static void zsetop(Client c, byte[][] argv, Op op, boolean store) {
        int at = store ? 2 : 1;
        long numKeys = Bytes.toLong(argv[at]);
        String cmd = Bytes.str(argv[0]).toLowerCase();
        if (numKeys < 1) throw new CommandError("ERR at least 1 input key is needed for '" + cmd + "' command");
        if (numKeys > argv.length - at - 1) throw CommandError.syntax();
        int n = (int) numKeys;
        double[] weights = new double[n];
        Arrays.fill(weights, 1.0);
        Agg agg = Agg.SUM;
        boolean withScores = false;
        for (int j = at + 1 + n; j < argv.length; j++) {
            int left = argv.length - j - 1;
            byte[] o = argv[j];
            if (op != Op.DIFF && Bytes.eqIgnoreCase(o, "WEIGHTS") && left >= n) {
                for (int w = 0; w < n; w++) weights[w] = Bytes.toDouble(argv[j + 1 + w], "ERR weight value is not a float");
                j += n;
            } else if (op != Op.DIFF && Bytes.eqIgnoreCase(o, "AGGREGATE") && left >= 1) {
                byte[] a = argv[++j];
                if (Bytes.eqIgnoreCase(a, "SUM")) agg = Agg.SUM;
                else if (Bytes.eqIgnoreCase(a, "MIN")) agg = Agg.MIN;
                else if (Bytes.eqIgnoreCase(a, "MAX")) agg = Agg.MAX;
                else throw CommandError.syntax();
            } else if (!store && Bytes.eqIgnoreCase(o, "WITHSCORES")) {
                withScores = true;
            } else {
                throw CommandError.syntax();
            }
        }
        Input[] in = new Input[n];
        for (int k = 0; k < n; k++) in[k] = input(c, argv[at + 1 + k]);
        Map<ByteKey, Double> result = compute(in, weights, agg, op);
        Collected sorted = sortedEntries(result);
        if (store) {
            storeResult(c, argv[1], sorted, switch (op) {
                case UNION -> "zunionstore";
                case INTER -> "zinterstore";
                case DIFF -> "zdiffstore";
            });
            c.out().integer(sorted.size());
            return;
        }
        if (withScores) replyPairs(c.out(), sorted.members, sorted.scores, sorted.size());
        else {
            c.out().array(sorted.size());
            for (byte[] m : sorted.members) c.out().bulk(m);
        }
    }

    private static Map<ByteKey, Double> setIndex(Input in) {
        if (in.set() == null) return null;
        Map<ByteKey, Double> m = new HashMap<>();
        in.set().forEachElement(e -> m.put(new ByteKey(e), 1.0));
        return m;
    }

    private static double weighted(double score, double weight) {
        double r = score * weight;
        return Double.isNaN(r) ? 0 : r; // inf * 0
    }

    static Map<ByteKey, Double> compute(Input[] in, double[] weights, Agg agg, Op op) {
        Map<ByteKey, Double> acc = new HashMap<>();
        switch (op) {
            case UNION -> {
                for (int k = 0; k < in.length; k++) {
                    double w = weights[k];
                    in[k].forEach((m, s) -> acc.merge(new ByteKey(m), weighted(s, w), (a, b) -> aggregate(agg, a, b)));
                }
            }
            case INTER -> {
                Integer[] order = new Integer[in.length];
                for (int k = 0; k < in.length; k++) order[k] = k;
                Arrays.sort(order, (x, y) -> Long.compare(in[x].size(), in[y].size()));
                if (in[order[0]].size() == 0) return acc;
                List<Map<ByteKey, Double>> idx = new ArrayList<>();
                for (Input i : in) idx.add(setIndex(i));
                int first = order[0];
                in[first].forEach((m, s) -> {
                    double score = weighted(s, weights[first]);
                    for (int q = 1; q < order.length; q++) {
                        int k = order[q];
                        double o = in[k].score(m, idx.get(k));
                        if (Double.isNaN(o)) return;
                        score = aggregate(agg, score, weighted(o, weights[k]));
                    }
                    acc.put(new ByteKey(m), score);
                });
            }
            case DIFF -> {
                List<Map<ByteKey, Double>> idx = new ArrayList<>();
                for (Input i : in) idx.add(setIndex(i));
                in[0].forEach((m, s) -> {
                    for (int k = 1; k < in.length; k++) {
                        if (!Double.isNaN(in[k].score(m, idx.get(k)))) return;
                    }
                    acc.put(new ByteKey(m), s);
                });
            }
        }
        return acc;
    }

    static Collected sortedEntries(Map<ByteKey, Double> m) {
        List<Map.Entry<ByteKey, Double>> es = new ArrayList<>(m.entrySet());
        es.sort((x, y) -> {
            int c = Double.compare(x.getValue(), y.getValue());
            if (x.getValue().doubleValue() == y.getValue().doubleValue()) c = 0;
            return c != 0 ? c : Arrays.compareUnsigned(x.getKey().b(), y.getKey().b());
        });
        Collected out = new Collected();
        for (Map.Entry<ByteKey, Double> e : es) out.visit(e.getKey().b(), e.getValue());
        return out;
    }

    static void zintercard(Client c, byte[][] argv) {
        long numKeys = Bytes.toLong(argv[1]);
        if (numKeys <= 0) throw new CommandError("ERR at least 1 input key is needed for 'zintercard' command");
        if (numKeys > argv.length - 2) throw CommandError.syntax();
        int n = (int) numKeys;
        long limit = 0;
        for (int j = 2 + n; j < argv.length; j++) {
            if (Bytes.eqIgnoreCase(argv[j], "LIMIT") && j + 1 < argv.length) {
                limit = Bytes.toLong(argv[++j]);
                if (limit < 0) throw new CommandError("ERR LIMIT can't be negative");
            } else {
                throw CommandError.syntax();
            }
        }
        Input[] in = new Input[n];
        for (int k = 0; k < n; k++) in[k] = input(c, argv[2 + k]);
        double[] w = new double[n];
        Arrays.fill(w, 1);
        long card = compute(in, w, Agg.SUM, Op.INTER).size();
        c.out().integer(limit > 0 ? Math.min(limit, card) : card);
    }

    // ---- ZSCAN ---------------------------------------------------------------------------

    static void zscan(Client c, byte[][] argv) {
        long cursor = parseCursor(argv[2]);
        byte[] pattern = null;
        long count = 10;
        for (int j = 3; j < argv.length; j++) {
            int left = argv.length - j - 1;
            if (Bytes.eqIgnoreCase(argv[j], "MATCH") && left >= 1) {
                pattern = argv[++j];
            } else if (Bytes.eqIgnoreCase(argv[j], "COUNT") && left >= 1) {
                count = Bytes.toLong(argv[++j]);
                if (count < 1) throw CommandError.syntax();
            } else {
                throw CommandError.syntax();
            }
        }
        ZSet z = get(c, argv[1]);
        Collected page = new Collected();
        long next = 0;
        if (z != null) {
            // A packed set answers in one call, as Redis does; a big one pages by rank.
            long from = z.packed() ? 0 : cursor;
            long to = z.packed() ? z.size() - 1 : Math.min(z.size() - 1, cursor + count - 1);
            z.forRange(from, to, false, page);
            next = z.packed() || to >= z.size() - 1 ? 0 : to + 1;
        }
        RespOut out = c.out();
        out.array(2);
        out.bulk(Long.toUnsignedString(next));
        List<byte[]> ms = new ArrayList<>();
        List<Double> ss = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            byte[] m = page.members.get(i);
            if (pattern != null && !Glob.match(pattern, m, false)) continue;
            ms.add(m);
            ss.add(page.scores[i]);
        }
        out.array(ms.size() * 2);
        for (int i = 0; i < ms.size(); i++) {
            out.bulk(ms.get(i));
            out.bulk(Doubles.format(ss.get(i))); // SCAN replies carry scores as text in RESP3 too
        }
    }

    static long parseCursor(byte[] b) {
        try {
            return Long.parseUnsignedLong(Bytes.str(b));
        } catch (NumberFormatException e) {
            throw new CommandError("ERR invalid cursor");
        }
    }
}
