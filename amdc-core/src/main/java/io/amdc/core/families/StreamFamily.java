package io.amdc.core.families;

import io.amdc.core.blocking.BlockedCommand;
import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.keyspace.Db;
import io.amdc.core.session.Client;
import io.amdc.core.types.StreamGroup;
import io.amdc.core.types.StreamId;
import io.amdc.core.types.StreamValue;
import io.amdc.core.util.Bytes;
import io.amdc.resp.RespOut;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Stream commands (Redis's t_stream.c semantics), over {@link StreamValue}. */
final class StreamFamily {
    private StreamFamily() {
    }

    static final String INVALID_ID = "ERR Invalid stream ID specified as stream command argument";

    static void declare(CommandTable t) {
        t.add("xadd", -5, "write denyoom fast", "@stream", 1, 1, 1, StreamFamily::xadd)
                .doc("Appends a new message to a stream. Creates the key if it doesn't exist.", "5.0.0", "stream", "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.");
        t.lookup(Bytes.bytes("xadd")).rewrite = StreamFamily::xaddEffect;
        t.add("xlen", 2, "readonly fast", "@stream", 1, 1, 1, StreamFamily::xlen)
                .doc("Return the number of messages in a stream.", "5.0.0", "stream", "O(1)");
        t.add("xrange", -4, "readonly", "@stream", 1, 1, 1, (c, a) -> xrange(c, a, false))
                .doc("Returns the messages from a stream within a range of IDs.", "5.0.0", "stream", "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).");
        t.add("xrevrange", -4, "readonly", "@stream", 1, 1, 1, (c, a) -> xrange(c, a, true))
                .doc("Returns the messages from a stream within a range of IDs in reverse order.", "5.0.0", "stream", "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).");
        t.add("xdel", -3, "write fast", "@stream", 1, 1, 1, StreamFamily::xdel)
                .doc("Returns the number of messages after removing them from a stream.", "5.0.0", "stream", "O(1) for each single item to delete in the stream, regardless of the stream size.");
        t.add("xtrim", -4, "write", "@stream", 1, 1, 1, StreamFamily::xtrim)
                .doc("Deletes messages from the beginning of a stream.", "5.0.0", "stream", "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.");
        t.add("xread", -4, "readonly blocking", "@stream", StreamFamily::streamsKeys, (c, a) -> xread(c, a, false))
                .doc("Returns messages from multiple streams with IDs greater than the ones requested. Blocks until a message is available otherwise.", "5.0.0", "stream", "");
        t.add("xreadgroup", -7, "write blocking", "@stream", StreamFamily::streamsKeys, (c, a) -> xread(c, a, true))
                .doc("Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is available otherwise.", "5.0.0", "stream", "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.");
        t.add("xack", -4, "write fast", "@stream", 1, 1, 1, StreamFamily::xack)
                .doc("Returns the number of messages that were successfully acknowledged by the consumer group member of a stream.", "5.0.0", "stream", "O(1) for each message ID processed.");
        t.add("xpending", -3, "readonly", "@stream", 1, 1, 1, StreamFamily::xpending)
                .doc("Returns the information and entries from a stream consumer group's pending entries list.", "5.0.0", "stream", "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.");
        t.add("xclaim", -6, "write fast", "@stream", 1, 1, 1, StreamFamily::xclaim)
                .doc("Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a consumer group member.", "5.0.0", "stream", "O(log N) with N being the number of messages in the PEL of the consumer group.");
        t.add("xautoclaim", -6, "write fast", "@stream", 1, 1, 1, StreamFamily::xautoclaim)
                .doc("Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to as consumer group member.", "6.2.0", "stream", "O(1) if COUNT is small.");
        t.add("xsetid", -3, "write denyoom fast", "@stream", 1, 1, 1, StreamFamily::xsetid)
                .doc("An internal command for replicating stream values.", "5.0.0", "stream", "O(1)");

        CommandSpec g = t.add("xgroup", -2, "", "", null)
                .doc("A container for consumer groups commands.", "5.0.0", "stream", "Depends on subcommand.");
        g.sub("create", -5, "write denyoom", "@stream", 2, 2, 1, StreamFamily::xgroup)
                .doc("Creates a consumer group.", "5.0.0", "stream", "O(1)");
        g.sub("setid", -5, "write", "@stream", 2, 2, 1, StreamFamily::xgroup)
                .doc("Sets the last-delivered ID of a consumer group.", "5.0.0", "stream", "O(1)");
        g.sub("destroy", 4, "write", "@stream", 2, 2, 1, StreamFamily::xgroup)
                .doc("Destroys a consumer group.", "5.0.0", "stream", "O(N) where N is the number of entries in the group's pending entries list (PEL).");
        g.sub("createconsumer", 5, "write denyoom", "@stream", 2, 2, 1, StreamFamily::xgroup)
                .doc("Creates a consumer in a consumer group.", "6.2.0", "stream", "O(1)");
        g.sub("delconsumer", 5, "write", "@stream", 2, 2, 1, StreamFamily::xgroup)
                .doc("Deletes a consumer from a consumer group.", "5.0.0", "stream", "O(1)");

        g.sub("help", 2, "loading stale", "@stream", (c, a) -> help(c, XGROUP_HELP))
                .doc("Returns helpful text about the different subcommands.", "5.0.0", "stream", "O(1)");

        CommandSpec i = t.add("xinfo", -2, "", "", null)
                .doc("A container for stream introspection commands.", "5.0.0", "stream", "Depends on subcommand.");
        i.sub("stream", -3, "readonly", "@stream", 2, 2, 1, StreamFamily::xinfo)
                .doc("Returns information about a stream.", "5.0.0", "stream", "O(1)");
        i.sub("groups", 3, "readonly", "@stream", 2, 2, 1, StreamFamily::xinfo)
                .doc("Returns a list of the consumer groups of a stream.", "5.0.0", "stream", "O(1)");
        i.sub("consumers", 4, "readonly", "@stream", 2, 2, 1, StreamFamily::xinfo)
                .doc("Returns a list of the consumers in a consumer group.", "5.0.0", "stream", "O(1)");
        i.sub("help", 2, "loading stale", "@stream", (c, a) -> help(c, XINFO_HELP))
                .doc("Returns helpful text about the different subcommands.", "5.0.0", "stream", "O(1)");
    }

    private static final String[] XGROUP_HELP = {
            "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group. Options are:",
            "    * MKSTREAM",
            "      Create the empty stream if it does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Set the group's entries_read counter (internal use).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.",
            "HELP",
            "    Prints this help.",
    };

    private static final String[] XINFO_HELP = {
            "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.",
            "HELP",
            "    Prints this help.",
    };

    private static void help(Client c, String[] lines) {
        c.out().array(lines.length);
        for (String l : lines) c.out().simple(l);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static StreamValue getStream(Db db, byte[] key) {
        Object v = db.get(key);
        if (v == null || v instanceof StreamValue) return (StreamValue) v;
        throw CommandError.wrongType();
    }

    /** Redis's string2ull: a strict decimal, or what strtoull accepts ("+5", " 5"); -1 (as a flag in ok[0]) when invalid. */
    static boolean parseUnsigned(byte[] b, int from, int to, long[] out) {
        int n = to - from;
        if (n == 0) return false;
        if (Bytes.isLong(java.util.Arrays.copyOfRange(b, from, to))) {
            long v = Bytes.toLong(java.util.Arrays.copyOfRange(b, from, to));
            if (v < 0) return false;
            out[0] = v;
            return true;
        }
        int i = from;
        while (i < to && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r'))) i++;
        boolean neg = false;
        if (i < to && (b[i] == '+' || b[i] == '-')) neg = b[i++] == '-';
        if (i == to) return false;
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return false;
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) return false;
            v = v * 10 + d;
        }
        out[0] = neg ? -v : v;
        return true;
    }

    /** Result of parsing an ID argument. */
    record ParsedId(StreamId id, boolean seqGiven) {
    }

    /**
     * Redis's streamGenericParseIDOrReply: "ms-seq", "ms" (seq = missingSeq), "-"/"+" unless
     * strict, and "ms-*" when allowAutoSeq.
     */
    static ParsedId parseId(byte[] b, long missingSeq, boolean strict, boolean allowAutoSeq) {
        if (b.length > 127) throw new CommandError(INVALID_ID);
        if (b.length == 1 && (b[0] == '-' || b[0] == '+')) {
            if (strict) throw new CommandError(INVALID_ID);
            return new ParsedId(b[0] == '-' ? StreamId.MIN : StreamId.MAX, true);
        }
        int dash = -1;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '-') {
                dash = i;
                break;
            }
        }
        long[] v = new long[1];
        if (!parseUnsigned(b, 0, dash < 0 ? b.length : dash, v)) throw new CommandError(INVALID_ID);
        long ms = v[0];
        if (dash < 0) return new ParsedId(new StreamId(ms, missingSeq), true);
        if (allowAutoSeq && b.length - dash - 1 == 1 && b[dash + 1] == '*') return new ParsedId(new StreamId(ms, 0), false);
        if (!parseUnsigned(b, dash + 1, b.length, v)) throw new CommandError(INVALID_ID);
        return new ParsedId(new StreamId(ms, v[0]), true);
    }

    static StreamId strictId(byte[] b) {
        return parseId(b, 0, true, false).id();
    }

    /** An interval bound, maybe exclusive with "(": returns the inclusive bound, adjusted. */
    static StreamId intervalId(byte[] b, long missingSeq, boolean isStart) {
        boolean exclusive = b.length > 1 && b[0] == '(';
        if (!exclusive) return parseId(b, missingSeq, false, false).id();
        StreamId id = parseId(java.util.Arrays.copyOfRange(b, 1, b.length), missingSeq, true, false).id();
        StreamId adj = isStart ? id.next() : id.prev();
        if (adj == null) throw new CommandError(isStart ? "ERR invalid start ID for the interval" : "ERR invalid end ID for the interval");
        return adj;
    }

    static void replyId(RespOut out, StreamId id) {
        out.bulkStreamId(id.ms(), id.seq());
    }

    static void replyEntry(RespOut out, StreamValue.Entry e) {
        out.array(2);
        replyId(out, e.id());
        byte[][] fv = e.fieldsAndValues();
        out.array(fv.length);
        for (byte[] x : fv) out.bulk(x);
    }

    static List<StreamValue.Entry> collect(StreamValue s, StreamId start, StreamId end, boolean rev, long count) {
        List<StreamValue.Entry> out = new ArrayList<>();
        s.range(start, end, rev, e -> {
            out.add(e);
            return count <= 0 || out.size() < count;
        });
        return out;
    }

    static long now() {
        return System.currentTimeMillis();
    }

    // ---- XADD / XTRIM ----------------------------------------------------------------------------

    /** Parsed [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT n]] (and, for XADD, the ID). */
    static final class AddTrimArgs {
        boolean noMkStream;
        boolean approx;
        boolean limitGiven;
        long limit;
        boolean hasStrategy;
        long maxLen;
        StreamId minId;
        StreamId id;
        boolean seqGiven = true;
        int idPos;
    }

    static AddTrimArgs parseAddTrim(Client c, byte[][] a, boolean xadd) {
        AddTrimArgs r = new AddTrimArgs();
        int i = 2;
        for (; i < a.length; i++) {
            int more = a.length - 1 - i;
            byte[] o = a[i];
            if (xadd && o.length == 1 && o[0] == '*') {
                break;
            } else if (Bytes.eqIgnoreCase(o, "MAXLEN") && more > 0) {
                if (r.hasStrategy && r.minId != null) {
                    throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                r.approx = false;
                if (more >= 2 && a[i + 1].length == 1 && (a[i + 1][0] == '~' || a[i + 1][0] == '=')) {
                    r.approx = a[i + 1][0] == '~';
                    i++;
                }
                long v = Bytes.toLong(a[i + 1]);
                if (v < 0) throw new CommandError("ERR The MAXLEN argument must be >= 0.");
                r.maxLen = v;
                r.hasStrategy = true;
                i++;
            } else if (Bytes.eqIgnoreCase(o, "MINID") && more > 0) {
                if (r.hasStrategy && r.minId == null) {
                    throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                }
                r.approx = false;
                if (more >= 2 && a[i + 1].length == 1 && (a[i + 1][0] == '~' || a[i + 1][0] == '=')) {
                    r.approx = a[i + 1][0] == '~';
                    i++;
                }
                r.minId = parseId(a[i + 1], 0, true, false).id();
                r.hasStrategy = true;
                i++;
            } else if (Bytes.eqIgnoreCase(o, "LIMIT") && more > 0) {
                long v = Bytes.toLong(a[i + 1]);
                if (v < 0) throw new CommandError("ERR The LIMIT argument must be >= 0.");
                r.limit = v;
                r.limitGiven = true;
                i++;
            } else if (xadd && Bytes.eqIgnoreCase(o, "NOMKSTREAM")) {
                r.noMkStream = true;
            } else if (xadd) {
                ParsedId p = parseId(o, 0, true, true);
                r.id = p.id();
                r.seqGiven = p.seqGiven();
                break;
            } else {
                throw CommandError.syntax();
            }
        }
        r.idPos = i;
        if (r.limitGiven && !r.hasStrategy) {
            throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && !r.hasStrategy) throw CommandError.syntax();
        if (r.limitGiven) {
            if (!r.approx) throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
        } else if (r.approx) {
            long l = 100 * c.engine().encodingLimits().streamEntries();
            r.limit = l <= 0 ? 10_000 : l;
        } else {
            r.limit = 0;
        }
        return r;
    }

    private static void notify(Client c, String event, byte[] key) {
        c.engine().notifications().notify(c, io.amdc.core.notify.Notifications.STREAM, event, key);
    }

    static void xadd(Client c, byte[][] a) {
        AddTrimArgs p = parseAddTrim(c, a, true);
        int fieldPos = p.idPos + 1;
        int n = a.length - fieldPos;
        if (n < 2 || (n & 1) == 1) throw new CommandError("ERR wrong number of arguments for 'xadd' command");
        if (p.id != null && p.seqGiven && p.id.isZero()) {
            throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
        }
        Db db = c.db();
        StreamValue s = getStream(db, a[1]);
        if (s == null) {
            if (p.noMkStream) {
                c.out().nullBulk();
                return;
            }
            s = new StreamValue();
            StreamId id = s.nextId(p.id, p.seqGiven, now());
            if (id == null) throw new CommandError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
            db.set(a[1], s);
            append(c, s, id, a, fieldPos, n / 2, p);
            return;
        }
        if (s.lastId().equals(StreamId.MAX)) {
            throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        StreamId id = s.nextId(p.id, p.seqGiven, now());
        if (id == null) {
            if (p.id != null && !p.seqGiven && p.id.ms() == s.lastId().ms() && s.lastId().seq() == -1L) {
                // "ms-*" with the sequence exhausted: Redis reports it as ERANGE.
                throw new CommandError("ERR Elements are too large to be stored");
            }
            throw new CommandError("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        }
        append(c, s, id, a, fieldPos, n / 2, p);
    }

    /**
     * XADD's record: the ID it assigned in place of "*" or "ms-*", and an approximate trim made
     * exact at the length (MAXLEN) or first ID (MINID) it reached, without LIMIT, so a replay
     * over differently packed nodes ends the same.
     */
    static byte[][] xaddEffect(Client c, byte[][] a) {
        if (!(c.db().peek(a[1]) instanceof StreamValue s)) return null; // NOMKSTREAM on a missing key
        AddTrimArgs p = parseAddTrim(c, a, true);
        java.util.List<byte[]> out = new java.util.ArrayList<>(a.length);
        for (int i = 0; i < p.idPos; i++) {
            if (p.approx && (Bytes.eqIgnoreCase(a[i], "MAXLEN") || Bytes.eqIgnoreCase(a[i], "MINID"))) {
                boolean maxlen = Bytes.eqIgnoreCase(a[i], "MAXLEN");
                out.add(a[i]);
                out.add(Bytes.bytes("="));
                if (Bytes.eqIgnoreCase(a[i + 1], "~") || Bytes.eqIgnoreCase(a[i + 1], "=")) i++;
                i++;
                out.add(Bytes.bytes(maxlen ? Long.toString(s.length()) : s.firstId().toString()));
            } else if (p.approx && Bytes.eqIgnoreCase(a[i], "LIMIT")) {
                i++;
            } else {
                out.add(a[i]);
            }
        }
        out.add(Bytes.bytes(s.lastId().toString()));
        for (int i = p.idPos + 1; i < a.length; i++) out.add(a[i]);
        return out.toArray(new byte[0][]);
    }

    private static void append(Client c, StreamValue s, StreamId id, byte[][] a, int from, int pairs, AddTrimArgs p) {
        EncodingLimits l = c.engine().encodingLimits();
        s.append(id, a, from, pairs, l.streamEntries(), l.streamBytes());
        c.engine().blocking().signal(c.dbIndex(), a[1]);
        replyId(c.out(), id);
        notify(c, "xadd", a[1]);
        if (p.hasStrategy && s.trim(p.maxLen, p.minId, p.approx, p.limit) > 0) notify(c, "xtrim", a[1]);
    }

    static void xtrim(Client c, byte[][] a) {
        AddTrimArgs p = parseAddTrim(c, a, false);
        StreamValue s = getStream(c.db(), a[1]);
        if (s == null) {
            c.out().integer(0);
            return;
        }
        long trimmed = s.trim(p.maxLen, p.minId, p.approx, p.limit);
        if (trimmed > 0) notify(c, "xtrim", a[1]);
        c.out().integer(trimmed);
    }

    static void xlen(Client c, byte[][] a) {
        StreamValue s = getStream(c.db(), a[1]);
        c.out().integer(s == null ? 0 : s.length());
    }

    static void xdel(Client c, byte[][] a) {
        Db db = c.db();
        StreamValue s = getStream(db, a[1]);
        if (s == null) {
            c.out().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[a.length - 2];
        for (int i = 2; i < a.length; i++) ids[i - 2] = strictId(a[i]);
        int deleted = 0;
        for (StreamId id : ids) {
            if (s.delete(id)) deleted++;
        }
        if (deleted > 0) notify(c, "xdel", a[1]);
        c.out().integer(deleted);
    }

    // ---- XRANGE ----------------------------------------------------------------------------------

    static void xrange(Client c, byte[][] a, boolean rev) {
        byte[] startArg = rev ? a[3] : a[2];
        byte[] endArg = rev ? a[2] : a[3];
        StreamId start = intervalId(startArg, 0, true);
        StreamId end = intervalId(endArg, -1L, false);
        long count = -1;
        for (int j = 4; j < a.length; j++) {
            if (Bytes.eqIgnoreCase(a[j], "COUNT") && j + 1 < a.length) {
                count = Bytes.toLong(a[++j]);
                if (count < 0) count = 0;
            } else {
                throw CommandError.syntax();
            }
        }
        StreamValue s = getStream(c.db(), a[1]);
        RespOut out = c.out();
        if (s == null) {
            out.array(0);
            return;
        }
        if (count == 0) {
            out.nullArray();
            return;
        }
        List<StreamValue.Entry> es = collect(s, start, end, rev, count < 0 ? 0 : count);
        out.array(es.size());
        for (StreamValue.Entry e : es) replyEntry(out, e);
    }

    // ---- XREAD / XREADGROUP ------------------------------------------------------------------------

    /** Key positions of XREAD/XREADGROUP: the first half of the arguments after STREAMS. */
    static int[] streamsKeys(byte[][] a) {
        for (int i = 1; i < a.length; i++) {
            if (Bytes.eqIgnoreCase(a[i], "STREAMS")) {
                int n = (a.length - i - 1) / 2;
                int[] pos = new int[n];
                for (int k = 0; k < n; k++) pos[k] = i + 1 + k;
                return pos;
            }
            if (Bytes.eqIgnoreCase(a[i], "GROUP")) i += 2;
            else if (Bytes.eqIgnoreCase(a[i], "COUNT") || Bytes.eqIgnoreCase(a[i], "BLOCK")) i++;
        }
        return CommandSpec.NO_KEYS;
    }

    static void xread(Client c, byte[][] a, boolean group) {
        long count = 0;
        boolean noack = false;
        int streamsArg = 0;
        int streamsCount = 0;
        byte[] groupName = null;
        byte[] consumerName = null;
        long blockMs = -1;
        for (int i = 1; i < a.length; i++) {
            int more = a.length - i - 1;
            byte[] o = a[i];
            if (Bytes.eqIgnoreCase(o, "BLOCK") && more > 0) {
                i++;
                long timeout;
                try {
                    timeout = Bytes.toLong(a[i]);
                } catch (CommandError e) {
                    throw new CommandError("ERR timeout is not an integer or out of range");
                }
                if (timeout < 0) throw new CommandError("ERR timeout is negative");
                blockMs = timeout;
            } else if (Bytes.eqIgnoreCase(o, "COUNT") && more > 0) {
                i++;
                count = Bytes.toLong(a[i]);
                if (count < 0) count = 0;
            } else if (Bytes.eqIgnoreCase(o, "STREAMS") && more > 0) {
                streamsArg = i + 1;
                streamsCount = a.length - streamsArg;
                if ((streamsCount & 1) != 0) {
                    throw new CommandError("ERR Unbalanced '" + (group ? "xreadgroup" : "xread")
                            + "' list of streams: for each stream key an ID or '" + (group ? '>' : '$') + "' must be specified.");
                }
                streamsCount /= 2;
                break;
            } else if (Bytes.eqIgnoreCase(o, "GROUP") && more >= 2) {
                if (!group) throw new CommandError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                groupName = a[i + 1];
                consumerName = a[i + 2];
                i += 2;
            } else if (Bytes.eqIgnoreCase(o, "NOACK")) {
                if (!group) throw new CommandError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                noack = true;
            } else {
                throw CommandError.syntax();
            }
        }
        if (streamsArg == 0) throw CommandError.syntax();
        if (group && groupName == null) throw new CommandError("ERR Missing GROUP option for XREADGROUP");

        Db db = c.db();
        StreamId[] ids = new StreamId[streamsCount];
        StreamGroup[] groups = group ? new StreamGroup[streamsCount] : null;
        StreamValue[] streams = new StreamValue[streamsCount];
        for (int k = 0; k < streamsCount; k++) {
            byte[] key = a[streamsArg + k];
            byte[] idArg = a[streamsArg + streamsCount + k];
            StreamValue s = getStream(db, key);
            streams[k] = s;
            if (group) {
                StreamGroup g = s == null ? null : s.group(groupName);
                if (g == null) {
                    throw new CommandError("NOGROUP No such key '" + Bytes.str(key) + "' or consumer group '"
                            + Bytes.str(groupName) + "' in XREADGROUP with GROUP option");
                }
                groups[k] = g;
            }
            if (idArg.length == 1 && idArg[0] == '$') {
                if (group) {
                    throw new CommandError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.");
                }
                ids[k] = s == null ? StreamId.MIN : s.lastId();
            } else if (idArg.length == 1 && idArg[0] == '>') {
                if (!group) {
                    throw new CommandError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
                }
                ids[k] = null;
            } else {
                ids[k] = strictId(idArg);
            }
        }

        // Serve synchronously whatever is available; replies are gathered first so counts are known.
        // XREADGROUP records its effects (see readNew and readHistory), never itself.
        if (group) c.propagateNothing();
        long now = now();
        List<byte[]> keys = new ArrayList<>();
        List<List<Object>> results = new ArrayList<>();
        for (int k = 0; k < streamsCount; k++) {
            StreamValue s = streams[k];
            if (s == null) continue;
            List<Object> rows = null;
            if (group) {
                StreamGroup g = groups[k];
                boolean created = g.consumer(consumerName) == null;
                StreamGroup.Consumer consumer = g.consumerOrCreate(consumerName, now);
                consumer.seenTime = now;
                if (ids[k] != null) {
                    // Like XREAD, the given ID is exclusive.
                    StreamId from = ids[k].next();
                    rows = from == null ? new ArrayList<>() : readHistory(c, a[streamsArg + k], groupName, g, s, consumer, from, count, now);
                } else if (s.length() > 0 && s.lastValidId().compareTo(g.lastId) > 0) {
                    rows = readNew(c, a[streamsArg + k], groupName, s, g, consumer, created, count, noack, now);
                }
            } else if (s.length() > 0 && s.lastValidId().compareTo(ids[k]) > 0) {
                StreamId start = ids[k].next();
                rows = new ArrayList<>(collect(s, start, StreamId.MAX, false, count));
            }
            if (rows != null) {
                keys.add(a[streamsArg + k]);
                results.add(rows);
            }
        }
        if (!keys.isEmpty()) {
            replyStreams(c.out(), keys, results);
            return;
        }
        if (blockMs < 0) {
            c.out().nullArray();
            return;
        }
        // Nothing yet: wait for an XADD on any of the streams ("$" was resolved above, so entries
        // added from now on are the ones this read returns). Only the stream that became ready is
        // served, as Redis does.
        byte[][] blockKeys = java.util.Arrays.copyOfRange(a, streamsArg, streamsArg + streamsCount);
        final long fCount = count;
        final boolean fNoack = noack;
        final byte[] fGroup = groupName;
        final byte[] fConsumer = consumerName;
        c.engine().blocking().block(c, blockKeys, blockMs, new BlockedCommand() {
            @Override
            public int serve(Client w, byte[] key) {
                int k = indexOf(blockKeys, key);
                if (k < 0 || !(w.db().get(key) instanceof StreamValue s) || s.length() == 0) return SKIP;
                List<Object> rows;
                if (fGroup != null) {
                    StreamGroup g = s.group(fGroup);
                    if (g == null || s.lastValidId().compareTo(g.lastId) <= 0) return SKIP;
                    long t = now();
                    boolean created = g.consumer(fConsumer) == null;
                    StreamGroup.Consumer consumer = g.consumerOrCreate(fConsumer, t);
                    consumer.seenTime = t;
                    rows = readNew(w, key, fGroup, s, g, consumer, created, fCount, fNoack, t);
                } else {
                    if (s.lastValidId().compareTo(ids[k]) <= 0) return SKIP;
                    rows = new ArrayList<>(collect(s, ids[k].next(), StreamId.MAX, false, fCount));
                }
                if (rows.isEmpty()) return SKIP;
                replyStreams(w.out(), List.of(key), List.of(rows));
                return SERVED;
            }

            @Override
            public void timedOut(Client w) {
                w.out().nullArray();
            }
        });
    }

    private static int indexOf(byte[][] keys, byte[] key) {
        for (int i = 0; i < keys.length; i++) {
            if (java.util.Arrays.equals(keys[i], key)) return i;
        }
        return -1;
    }

    /** The XREAD reply: per stream its key and entries (RESP3: a map keyed by stream). */
    private static void replyStreams(RespOut out, List<byte[]> keys, List<List<Object>> results) {
        if (out.resp3()) out.map(keys.size());
        else out.array(keys.size());
        for (int k = 0; k < keys.size(); k++) {
            if (!out.resp3()) out.array(2);
            out.bulk(keys.get(k));
            List<Object> rows = results.get(k);
            out.array(rows.size());
            for (Object r : rows) {
                if (r instanceof StreamValue.Entry e) {
                    replyEntry(out, e);
                } else {
                    out.array(2);
                    replyId(out, (StreamId) r);
                    out.nullArray();
                }
            }
        }
    }

    /**
     * XREADGROUP ">": entries after the group's last ID, added to the PEL unless NOACK. Records
     * the effects as Redis 7 propagates them: each entry taken into the PEL as an unconditional
     * XCLAIM (which also creates the consumer and carries the group's last ID); with NOACK, the
     * consumer's creation (XGROUP CREATECONSUMER); then the group's new last ID with its
     * entries-read count (XGROUP SETID ... ENTRIESREAD).
     */
    private static List<Object> readNew(Client c, byte[] key, byte[] groupName, StreamValue s, StreamGroup g,
                                        StreamGroup.Consumer consumer, boolean created, long count,
                                        boolean noack, long now) {
        List<Object> rows = new ArrayList<>();
        StreamId start = g.lastId.next();
        if (start == null) return rows;
        StreamId lastBefore = g.lastId;
        for (StreamValue.Entry e : collect(s, start, StreamId.MAX, false, count)) {
            StreamId id = e.id();
            if (id.compareTo(g.lastId) > 0) {
                if (g.entriesRead != StreamGroup.INVALID_ENTRIES_READ && !hasTombstones(s, id, null)) {
                    g.entriesRead++;
                } else if (s.entriesAdded() != 0) {
                    g.entriesRead = estimateDistance(s, id);
                }
                g.lastId = id;
            }
            rows.add(e);
            if (!noack) {
                StreamGroup.Nack existing = g.pel.get(id);
                StreamGroup.Nack n = existing;
                if (existing == null) {
                    n = new StreamGroup.Nack(now, 1, consumer);
                    g.pel.put(id, n);
                    consumer.pel.put(id, n);
                } else {
                    existing.consumer.pel.remove(id);
                    existing.consumer = consumer;
                    existing.deliveryTime = now;
                    existing.deliveryCount = 1;
                    consumer.pel.put(id, existing);
                }
                recordClaim(c, key, groupName, id, n, g);
            }
            consumer.activeTime = now;
        }
        if (!g.lastId.equals(lastBefore)) {
            if (noack && created) c.propagate(Bytes.bytes("XGROUP"), Bytes.bytes("CREATECONSUMER"), key, groupName, consumer.name);
            // Also after XCLAIMs (redis-server 7.0 only does it for NOACK): their LASTID moves the
            // group's last ID but not its entries-read counter, which XINFO's lag comes from.
            recordGroupId(c, key, groupName, g);
        }
        return rows;
    }

    /**
     * XREADGROUP with an explicit ID: the consumer's own pending entries from that ID. Each one
     * delivered again is recorded as an XCLAIM with its new count and time (redis-server 7.0
     * records nothing here, so a replica or a reloaded AOF loses those deliveries; the record
     * is one Redis itself replays).
     */
    private static List<Object> readHistory(Client c, byte[] key, byte[] groupName, StreamGroup g, StreamValue s,
                                            StreamGroup.Consumer consumer, StreamId from, long count, long now) {
        List<Object> rows = new ArrayList<>();
        for (Map.Entry<StreamId, StreamGroup.Nack> pe : consumer.pel.tailMap(from, true).entrySet()) {
            if (count > 0 && rows.size() >= count) break;
            StreamValue.Entry e = s.get(pe.getKey());
            rows.add(e != null ? e : pe.getKey());
            if (e == null) continue; // a deleted entry is reported, not delivered again (as Redis)
            StreamGroup.Nack n = pe.getValue();
            n.deliveryTime = now;
            n.deliveryCount++;
            recordClaim(c, key, groupName, pe.getKey(), n, g);
        }
        return rows;
    }

    /** Redis's streamRangeHasTombstones. */
    static boolean hasTombstones(StreamValue s, StreamId start, StreamId end) {
        if (s.length() == 0 || s.maxDeletedId().isZero()) return false;
        if (s.firstId().compareTo(s.maxDeletedId()) > 0) return false;
        StreamId st = start == null ? StreamId.MIN : start;
        StreamId en = end == null ? StreamId.MAX : end;
        return st.compareTo(s.maxDeletedId()) <= 0 && s.maxDeletedId().compareTo(en) <= 0;
    }

    /** Redis's streamEstimateDistanceFromFirstEverEntry. */
    static long estimateDistance(StreamValue s, StreamId id) {
        if (s.entriesAdded() == 0) return 0;
        if (s.length() == 0 && id.compareTo(s.lastId()) < 1) return s.entriesAdded();
        int cmpLast = id.compareTo(s.lastId());
        if (cmpLast == 0) return s.entriesAdded();
        if (cmpLast > 0) return StreamGroup.INVALID_ENTRIES_READ;
        int cmpFirst = id.compareTo(s.firstId());
        if (s.maxDeletedId().isZero() || s.maxDeletedId().compareTo(s.firstId()) < 0) {
            if (cmpFirst < 0) return s.entriesAdded() - s.length();
            if (cmpFirst == 0) return s.entriesAdded() - s.length() + 1;
        }
        return StreamGroup.INVALID_ENTRIES_READ;
    }

    /** A group's lag, or null when it cannot be known. */
    static Long lag(StreamValue s, StreamGroup g) {
        if (s.entriesAdded() == 0) return 0L;
        if (g.entriesRead != StreamGroup.INVALID_ENTRIES_READ && !hasTombstones(s, g.lastId, null)) {
            return s.entriesAdded() - g.entriesRead;
        }
        long read = estimateDistance(s, g.lastId);
        return read == StreamGroup.INVALID_ENTRIES_READ ? null : s.entriesAdded() - read;
    }

    // ---- XGROUP ------------------------------------------------------------------------------------

    static String subSyntax(byte[] sub) {
        return subSyntax(sub, "XGROUP");
    }

    static String subSyntax(byte[] sub, String container) {
        return "ERR unknown subcommand or wrong number of arguments for '" + Bytes.str(sub) + "'. Try " + container + " HELP.";
    }

    static void xgroup(Client c, byte[][] a) {
        byte[] opt = a[1];
        boolean create = Bytes.eqIgnoreCase(opt, "CREATE");
        boolean setid = Bytes.eqIgnoreCase(opt, "SETID");
        boolean mkstream = false;
        long entriesRead = StreamGroup.INVALID_ENTRIES_READ;
        if (create && a.length >= 5 && a.length <= 8) {
            for (int i = 5; i < a.length; ) {
                if (Bytes.eqIgnoreCase(a[i], "MKSTREAM")) {
                    mkstream = true;
                    i++;
                } else if (Bytes.eqIgnoreCase(a[i], "ENTRIESREAD") && i + 1 < a.length) {
                    entriesRead = entriesReadArg(a[i + 1]);
                    i += 2;
                } else {
                    throw new CommandError(subSyntax(opt));
                }
            }
        } else if (setid && (a.length == 5 || a.length == 7)) {
            if (a.length == 7) {
                if (!Bytes.eqIgnoreCase(a[5], "ENTRIESREAD")) throw new CommandError(subSyntax(opt));
                entriesRead = entriesReadArg(a[6]);
            }
        }
        Db db = c.db();
        StreamValue s = getStream(db, a[2]);
        byte[] groupName = a[3];
        StreamGroup g = s == null ? null : s.group(groupName);
        if (!mkstream) {
            if (s == null) {
                throw new CommandError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.");
            }
            if (g == null && (setid || Bytes.eqIgnoreCase(opt, "CREATECONSUMER") || Bytes.eqIgnoreCase(opt, "DELCONSUMER"))) {
                throw new CommandError("NOGROUP No such consumer group '" + Bytes.str(groupName) + "' for key name '" + Bytes.str(a[2]) + "'");
            }
        }
        RespOut out = c.out();
        if (create && a.length >= 5 && a.length <= 8) {
            StreamId id;
            if (a[4].length == 1 && a[4][0] == '$') {
                id = s == null ? StreamId.MIN : s.lastId();
            } else {
                id = strictId(a[4]);
            }
            if (s == null) {
                s = new StreamValue();
                db.set(a[2], s);
            }
            if (s.createGroup(groupName, id, entriesRead) == null) {
                throw new CommandError("BUSYGROUP Consumer Group name already exists");
            }
            notify(c, "xgroup-create", a[2]);
            out.ok();
        } else if (setid && (a.length == 5 || a.length == 7)) {
            StreamId id = a[4].length == 1 && a[4][0] == '$' ? s.lastId() : parseId(a[4], 0, false, false).id();
            g.lastId = id;
            g.entriesRead = entriesRead;
            notify(c, "xgroup-setid", a[2]);
            out.ok();
        } else if (Bytes.eqIgnoreCase(opt, "DESTROY") && a.length == 4) {
            boolean destroyed = s.destroyGroup(groupName);
            if (destroyed) notify(c, "xgroup-destroy", a[2]);
            out.integer(destroyed ? 1 : 0);
        } else if (Bytes.eqIgnoreCase(opt, "CREATECONSUMER") && a.length == 5) {
            boolean created = g.createConsumer(a[4], now()) != null;
            if (created) notify(c, "xgroup-createconsumer", a[2]);
            out.integer(created ? 1 : 0);
        } else if (Bytes.eqIgnoreCase(opt, "DELCONSUMER") && a.length == 5) {
            boolean existed = g.consumer(a[4]) != null;
            long pending = g.deleteConsumer(a[4]);
            if (existed) notify(c, "xgroup-delconsumer", a[2]);
            out.integer(pending);
        } else {
            throw new CommandError(subSyntax(opt));
        }
    }

    private static long entriesReadArg(byte[] b) {
        long v = Bytes.toLong(b);
        if (v < 0 && v != StreamGroup.INVALID_ENTRIES_READ) throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
        return v;
    }

    // ---- XACK / XPENDING / XCLAIM / XAUTOCLAIM -----------------------------------------------------

    static void xack(Client c, byte[][] a) {
        StreamValue s = getStream(c.db(), a[1]);
        StreamGroup g = s == null ? null : s.group(a[2]);
        StreamId[] ids = new StreamId[a.length - 3];
        for (int i = 3; i < a.length; i++) ids[i - 3] = strictId(a[i]);
        if (g == null) {
            c.out().integer(0);
            return;
        }
        int acked = 0;
        for (StreamId id : ids) {
            if (g.ack(id)) acked++;
        }
        c.out().integer(acked);
    }

    static void xpending(Client c, byte[][] a) {
        boolean summary = a.length == 3;
        if (a.length != 3 && (a.length < 6 || a.length > 9)) throw CommandError.syntax();
        long minIdle = 0;
        long count = 0;
        StreamId start = null;
        StreamId end = null;
        byte[] consumerName = null;
        if (a.length >= 6) {
            int si = 3;
            if (Bytes.eqIgnoreCase(a[3], "IDLE")) {
                minIdle = Bytes.toLong(a[4]);
                if (a.length < 8) throw CommandError.syntax();
                si += 2;
            }
            count = Bytes.toLong(a[si + 2]);
            if (count < 0) count = 0;
            start = intervalId(a[si], 0, true);
            end = intervalId(a[si + 1], -1L, false);
            if (si + 3 < a.length) consumerName = a[si + 3];
        }
        StreamValue s = getStream(c.db(), a[1]);
        StreamGroup g = s == null ? null : s.group(a[2]);
        if (g == null) {
            throw new CommandError("NOGROUP No such key '" + Bytes.str(a[1]) + "' or consumer group '" + Bytes.str(a[2]) + "'");
        }
        RespOut out = c.out();
        if (summary) {
            out.array(4);
            out.integer(g.pel.size());
            if (g.pel.isEmpty()) {
                out.nullBulk();
                out.nullBulk();
                out.nullArray();
                return;
            }
            replyId(out, g.pel.firstKey());
            replyId(out, g.pel.lastKey());
            int n = 0;
            for (StreamGroup.Consumer con : g.consumers()) {
                if (!con.pel.isEmpty()) n++;
            }
            out.array(n);
            for (StreamGroup.Consumer con : g.consumers()) {
                if (con.pel.isEmpty()) continue;
                out.array(2);
                out.bulk(con.name);
                out.bulkLong(con.pel.size());
            }
            return;
        }
        java.util.TreeMap<StreamId, StreamGroup.Nack> pel = g.pel;
        if (consumerName != null) {
            StreamGroup.Consumer con = g.consumer(consumerName);
            if (con == null) {
                out.array(0);
                return;
            }
            pel = con.pel;
        }
        long now = now();
        List<Map.Entry<StreamId, StreamGroup.Nack>> rows = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (Map.Entry<StreamId, StreamGroup.Nack> e : pel.subMap(start, true, end, true).entrySet()) {
                if (rows.size() >= count) break;
                if (minIdle != 0 && now - e.getValue().deliveryTime < minIdle) continue;
                rows.add(e);
            }
        }
        out.array(rows.size());
        for (Map.Entry<StreamId, StreamGroup.Nack> e : rows) {
            StreamGroup.Nack n = e.getValue();
            out.array(4);
            replyId(out, e.getKey());
            out.bulk(n.consumer.name);
            out.integer(Math.max(0, now - n.deliveryTime));
            out.integer(n.deliveryCount);
        }
    }

    private static long longArg(byte[] b, String error) {
        return Bytes.toLong(b, error);
    }

    static void xclaim(Client c, byte[][] a) {
        StreamValue s = getStream(c.db(), a[1]);
        StreamGroup g = s == null ? null : s.group(a[2]);
        if (g == null) {
            throw new CommandError("NOGROUP No such key '" + Bytes.str(a[1]) + "' or consumer group '" + Bytes.str(a[2]) + "'");
        }
        long minIdle = longArg(a[4], "ERR Invalid min-idle-time argument for XCLAIM");
        if (minIdle < 0) minIdle = 0;
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < a.length; j++) {
            try {
                ids.add(strictId(a[j]));
            } catch (CommandError e) {
                break;
            }
        }
        long now = now();
        long retryCount = -1;
        long deliveryTime = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = null;
        for (; j < a.length; j++) {
            int more = a.length - 1 - j;
            byte[] o = a[j];
            if (Bytes.eqIgnoreCase(o, "FORCE")) {
                force = true;
            } else if (Bytes.eqIgnoreCase(o, "JUSTID")) {
                justId = true;
            } else if (Bytes.eqIgnoreCase(o, "IDLE") && more > 0) {
                deliveryTime = now - longArg(a[++j], "ERR Invalid IDLE option argument for XCLAIM");
            } else if (Bytes.eqIgnoreCase(o, "TIME") && more > 0) {
                deliveryTime = longArg(a[++j], "ERR Invalid TIME option argument for XCLAIM");
            } else if (Bytes.eqIgnoreCase(o, "RETRYCOUNT") && more > 0) {
                retryCount = longArg(a[++j], "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (Bytes.eqIgnoreCase(o, "LASTID") && more > 0) {
                StreamId id = strictId(a[++j]);
                if (lastId == null || id.compareTo(lastId) > 0) lastId = id;
            } else {
                throw new CommandError("ERR Unrecognized XCLAIM option '" + Bytes.str(o) + "'");
            }
        }
        boolean lastIdMoved = lastId != null && lastId.compareTo(g.lastId) > 0;
        if (lastIdMoved) g.lastId = lastId;
        if (deliveryTime == -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;

        StreamGroup.Consumer consumer = null;
        List<Object> replies = new ArrayList<>();
        boolean recorded = false;
        for (StreamId id : ids) {
            StreamGroup.Nack nack = g.pel.get(id);
            StreamValue.Entry entry = s.get(id);
            if (entry == null) {
                if (nack != null) {
                    recordClaim(c, a[1], a[2], id, nack, g);
                    recorded = true;
                    g.pel.remove(id);
                    nack.consumer.pel.remove(id);
                }
                continue;
            }
            if (force && nack == null) {
                nack = new StreamGroup.Nack(now, 1, null);
                g.pel.put(id, nack);
            }
            if (nack == null) continue;
            if (nack.consumer != null && minIdle != 0 && now - nack.deliveryTime < minIdle) continue;
            if (consumer == null) consumer = g.consumerOrCreate(a[3], now);
            if (nack.consumer != consumer && nack.consumer != null) nack.consumer.pel.remove(id);
            nack.deliveryTime = deliveryTime;
            if (retryCount >= 0) nack.deliveryCount = retryCount;
            else if (!justId) nack.deliveryCount++;
            if (nack.consumer != consumer) {
                consumer.pel.put(id, nack);
                nack.consumer = consumer;
            }
            replies.add(justId ? id : entry);
            consumer.activeTime = now;
            recordClaim(c, a[1], a[2], id, nack, g);
            recorded = true;
        }
        if (!recorded) {
            if (lastIdMoved) recordGroupId(c, a[1], a[2], g);
            else c.propagateNothing();
        }
        RespOut out = c.out();
        out.array(replies.size());
        for (Object r : replies) {
            if (r instanceof StreamId id) replyId(out, id);
            else replyEntry(out, (StreamValue.Entry) r);
        }
    }

    /**
     * Records a claim (or the removal of a deleted entry's PEL record) as its effect, the way
     * Redis propagates XCLAIM and XAUTOCLAIM: an unconditional XCLAIM carrying the delivery time,
     * count, owner and the group's last ID, so an AOF replay or a replica reaches the same
     * state whatever the clock says then (IDLE and min-idle-time are relative to "now").
     */
    private static void recordClaim(Client c, byte[] key, byte[] group, StreamId id, StreamGroup.Nack nack, StreamGroup g) {
        c.propagate(Bytes.bytes("XCLAIM"), key, group, nack.consumer.name, Bytes.bytes("0"), Bytes.bytes(id.toString()),
                Bytes.bytes("TIME"), Bytes.bytes(Long.toString(nack.deliveryTime)),
                Bytes.bytes("RETRYCOUNT"), Bytes.bytes(Long.toString(nack.deliveryCount)),
                Bytes.bytes("FORCE"), Bytes.bytes("JUSTID"), Bytes.bytes("LASTID"), Bytes.bytes(g.lastId.toString()));
    }

    /** Records a group's last-delivered ID moved without any claim (XCLAIM ... LASTID). */
    private static void recordGroupId(Client c, byte[] key, byte[] group, StreamGroup g) {
        c.propagate(Bytes.bytes("XGROUP"), Bytes.bytes("SETID"), key, group, Bytes.bytes(g.lastId.toString()),
                Bytes.bytes("ENTRIESREAD"), Bytes.bytes(Long.toString(g.entriesRead)));
    }

    static void xautoclaim(Client c, byte[][] a) {
        long minIdle = longArg(a[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM");
        if (minIdle < 0) minIdle = 0;
        StreamId start = intervalId(a[5], 0, true);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < a.length; j++) {
            int more = a.length - 1 - j;
            if (Bytes.eqIgnoreCase(a[j], "COUNT") && more > 0) {
                long v;
                try {
                    v = Bytes.toLong(a[j + 1]);
                } catch (CommandError e) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                if (v < 1 || v > Long.MAX_VALUE / 16) throw new CommandError("ERR COUNT must be > 0");
                count = v;
                j++;
            } else if (Bytes.eqIgnoreCase(a[j], "JUSTID")) {
                justId = true;
            } else {
                throw CommandError.syntax();
            }
        }
        StreamValue s = getStream(c.db(), a[1]);
        StreamGroup g = s == null ? null : s.group(a[2]);
        if (g == null) {
            throw new CommandError("NOGROUP No such key '" + Bytes.str(a[1]) + "' or consumer group '" + Bytes.str(a[2]) + "'");
        }
        long attempts = count * 10;
        long now = now();
        StreamGroup.Consumer consumer = null;
        List<Object> replies = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        StreamId cursor = start;
        StreamId next = StreamId.MIN;
        while (true) {
            if (attempts-- == 0 || count == 0) {
                Map.Entry<StreamId, StreamGroup.Nack> after = cursor == null ? null : g.pel.ceilingEntry(cursor);
                next = after == null ? StreamId.MIN : after.getKey();
                break;
            }
            Map.Entry<StreamId, StreamGroup.Nack> pe = cursor == null ? null : g.pel.ceilingEntry(cursor);
            if (pe == null) {
                next = StreamId.MIN;
                break;
            }
            StreamId id = pe.getKey();
            StreamGroup.Nack nack = pe.getValue();
            cursor = id.next();
            StreamValue.Entry entry = s.get(id);
            if (entry == null) {
                recordClaim(c, a[1], a[2], id, nack, g);
                g.pel.remove(id);
                nack.consumer.pel.remove(id);
                deleted.add(id);
                count--;
                continue;
            }
            if (minIdle != 0 && now - nack.deliveryTime < minIdle) continue;
            if (consumer == null) consumer = g.consumerOrCreate(a[3], now);
            if (nack.consumer != consumer) nack.consumer.pel.remove(id);
            nack.deliveryTime = now;
            if (!justId) nack.deliveryCount++;
            if (nack.consumer != consumer) {
                consumer.pel.put(id, nack);
                nack.consumer = consumer;
            }
            replies.add(justId ? id : entry);
            count--;
            consumer.activeTime = now;
            recordClaim(c, a[1], a[2], id, nack, g);
        }
        if (replies.isEmpty() && deleted.isEmpty()) c.propagateNothing();
        RespOut out = c.out();
        out.array(3);
        replyId(out, next);
        out.array(replies.size());
        for (Object r : replies) {
            if (r instanceof StreamId id) replyId(out, id);
            else replyEntry(out, (StreamValue.Entry) r);
        }
        out.array(deleted.size());
        for (StreamId id : deleted) replyId(out, id);
    }

    // ---- XSETID ------------------------------------------------------------------------------------

    static void xsetid(Client c, byte[][] a) {
        StreamId id = strictId(a[2]);
        long entriesAdded = -1;
        StreamId maxDel = StreamId.MIN;
        for (int i = 3; i < a.length; ) {
            int more = a.length - 1 - i;
            if (Bytes.eqIgnoreCase(a[i], "ENTRIESADDED") && more > 0) {
                entriesAdded = Bytes.toLong(a[i + 1]);
                if (entriesAdded < 0) throw new CommandError("ERR entries_added must be positive");
                i += 2;
            } else if (Bytes.eqIgnoreCase(a[i], "MAXDELETEDID") && more > 0) {
                maxDel = strictId(a[i + 1]);
                if (id.compareTo(maxDel) < 0) {
                    throw new CommandError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                i += 2;
            } else {
                throw CommandError.syntax();
            }
        }
        StreamValue s = getStream(c.db(), a[1]);
        if (s == null) throw new CommandError(CommandError.NO_SUCH_KEY);
        if (s.length() > 0) {
            if (id.compareTo(s.lastValidId()) < 0) {
                throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new CommandError("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.lastId(id);
        if (entriesAdded != -1) s.entriesAdded(entriesAdded);
        if (!maxDel.isZero()) s.maxDeletedId(maxDel);
        notify(c, "xsetid", a[1]);
        c.out().ok();
    }

    // ---- XINFO -------------------------------------------------------------------------------------

    static void xinfo(Client c, byte[][] a) {
        byte[] opt = a[1];
        StreamValue s = getStream(c.db(), a[2]);
        if (s == null) throw new CommandError(CommandError.NO_SUCH_KEY);
        RespOut out = c.out();
        long now = now();
        if (Bytes.eqIgnoreCase(opt, "CONSUMERS")) {
            StreamGroup g = s.group(a[3]);
            if (g == null) {
                throw new CommandError("NOGROUP No such consumer group '" + Bytes.str(a[3]) + "' for key name '" + Bytes.str(a[2]) + "'");
            }
            out.array(g.consumerCount());
            for (StreamGroup.Consumer con : g.consumers()) {
                out.map(4);
                out.bulk("name");
                out.bulk(con.name);
                out.bulk("pending");
                out.integer(con.pel.size());
                out.bulk("idle");
                out.integer(Math.max(0, now - con.seenTime));
                out.bulk("inactive");
                out.integer(con.activeTime == -1 ? -1 : Math.max(0, now - con.activeTime));
            }
        } else if (Bytes.eqIgnoreCase(opt, "GROUPS")) {
            out.array(s.groupCount());
            for (StreamGroup g : s.groups()) {
                out.map(6);
                out.bulk("name");
                out.bulk(g.name);
                out.bulk("consumers");
                out.integer(g.consumerCount());
                out.bulk("pending");
                out.integer(g.pel.size());
                out.bulk("last-delivered-id");
                replyId(out, g.lastId);
                replyEntriesReadAndLag(out, s, g);
            }
        } else {
            xinfoStream(c, a, s, now);
        }
    }

    private static void replyEntriesReadAndLag(RespOut out, StreamValue s, StreamGroup g) {
        out.bulk("entries-read");
        if (g.entriesRead != StreamGroup.INVALID_ENTRIES_READ) out.integer(g.entriesRead);
        else out.nullBulk();
        out.bulk("lag");
        Long lag = lag(s, g);
        if (lag != null) out.integer(lag);
        else out.nullBulk();
    }

    private static void xinfoStream(Client c, byte[][] a, StreamValue s, long now) {
        boolean full = false;
        long count = 10;
        int argc = a.length - 2;
        if (argc == 2 || argc == 4) {
            if (!Bytes.eqIgnoreCase(a[3], "FULL")) throw new CommandError(subSyntax(a[1], "XINFO"));
            full = true;
            if (argc == 4) {
                if (!Bytes.eqIgnoreCase(a[4], "COUNT")) throw new CommandError(subSyntax(a[1], "XINFO"));
                count = Bytes.toLong(a[5]);
                if (count < 0) count = 10;
            }
        } else if (argc != 1) {
            throw new CommandError(subSyntax(a[1], "XINFO"));
        }
        RespOut out = c.out();
        out.map(full ? 9 : 10);
        out.bulk("length");
        out.integer(s.length());
        out.bulk("radix-tree-keys");
        out.integer(s.nodeCount());
        out.bulk("radix-tree-nodes");
        out.integer(s.nodeCount() + 1);
        out.bulk("last-generated-id");
        replyId(out, s.lastId());
        out.bulk("max-deleted-entry-id");
        replyId(out, s.maxDeletedId());
        out.bulk("entries-added");
        out.integer(s.entriesAdded());
        out.bulk("recorded-first-entry-id");
        replyId(out, s.firstId());
        if (!full) {
            out.bulk("groups");
            out.integer(s.groupCount());
            out.bulk("first-entry");
            List<StreamValue.Entry> first = collect(s, StreamId.MIN, StreamId.MAX, false, 1);
            if (first.isEmpty()) out.nullBulk();
            else replyEntry(out, first.get(0));
            out.bulk("last-entry");
            List<StreamValue.Entry> last = collect(s, StreamId.MIN, StreamId.MAX, true, 1);
            if (last.isEmpty()) out.nullBulk();
            else replyEntry(out, last.get(0));
            return;
        }
        out.bulk("entries");
        List<StreamValue.Entry> es = collect(s, StreamId.MIN, StreamId.MAX, false, count);
        out.array(es.size());
        for (StreamValue.Entry e : es) replyEntry(out, e);
        out.bulk("groups");
        out.array(s.groupCount());
        for (StreamGroup g : s.groups()) {
            out.map(7);
            out.bulk("name");
            out.bulk(g.name);
            out.bulk("last-delivered-id");
            replyId(out, g.lastId);
            replyEntriesReadAndLag(out, s, g);
            out.bulk("pel-count");
            out.integer(g.pel.size());
            out.bulk("pending");
            int n = (int) (count == 0 ? g.pel.size() : Math.min(count, g.pel.size()));
            out.array(n);
            int k = 0;
            for (Map.Entry<StreamId, StreamGroup.Nack> e : g.pel.entrySet()) {
                if (k++ >= n) break;
                out.array(4);
                replyId(out, e.getKey());
                out.bulk(e.getValue().consumer.name);
                out.integer(e.getValue().deliveryTime);
                out.integer(e.getValue().deliveryCount);
            }
            out.bulk("consumers");
            out.array(g.consumerCount());
            for (StreamGroup.Consumer con : g.consumers()) {
                out.map(5);
                out.bulk("name");
                out.bulk(con.name);
                out.bulk("seen-time");
                out.integer(con.seenTime);
                out.bulk("active-time");
                out.integer(con.activeTime);
                out.bulk("pel-count");
                out.integer(con.pel.size());
                out.bulk("pending");
                int m = (int) (count == 0 ? con.pel.size() : Math.min(count, con.pel.size()));
                out.array(m);
                int q = 0;
                for (Map.Entry<StreamId, StreamGroup.Nack> e : con.pel.entrySet()) {
                    if (q++ >= m) break;
                    out.array(3);
                    replyId(out, e.getKey());
                    out.integer(e.getValue().deliveryTime);
                    out.integer(e.getValue().deliveryCount);
                }
            }
        }
    }
}
