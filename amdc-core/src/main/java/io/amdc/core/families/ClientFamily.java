package io.amdc.core.families;

import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.session.Client;
import io.amdc.core.tracking.TrackingState;
import io.amdc.core.util.Bytes;
import io.amdc.resp.RespOut;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** CLIENT and its sub-commands. */
final class ClientFamily {
    private ClientFamily() {
    }

    static void declare(CommandTable t) {
        CommandSpec client = t.add("client", -2, "", "", null)
                .doc("A container for client connection commands.", "2.4.0", "connection", "Depends on subcommand.");
        client.sub("id", 2, "noscript loading stale", "@connection", ClientFamily::id)
                .doc("Returns the unique client ID of the connection.", "5.0.0", "connection", "O(1)");
        client.sub("setname", 3, "noscript loading stale", "@connection", ClientFamily::setname)
                .doc("Sets the connection name.", "2.6.9", "connection", "O(1)");
        client.sub("getname", 2, "noscript loading stale", "@connection", ClientFamily::getname)
                .doc("Returns the name of the connection.", "2.6.9", "connection", "O(1)");
        client.sub("info", 2, "noscript loading stale", "@connection", ClientFamily::info)
                .doc("Returns information about the connection.", "6.2.0", "connection", "O(1)");
        client.sub("list", -2, "admin noscript loading stale", "@connection", ClientFamily::list)
                .doc("Lists open connections.", "2.4.0", "connection", "O(N) where N is the number of client connections");
        client.sub("kill", -3, "admin noscript loading stale", "@connection", ClientFamily::kill)
                .doc("Terminates open connections.", "2.4.0", "connection", "O(N) where N is the number of client connections");
        client.sub("setinfo", 4, "noscript loading stale", "@connection", ClientFamily::setinfo)
                .doc("Sets information specific to the client or connection.", "7.2.0", "connection", "O(1)");
        client.sub("no-evict", 3, "admin noscript loading stale", "@connection", ClientFamily::noEvict)
                .doc("Sets the client eviction mode of the connection.", "7.0.0", "connection", "O(1)");
        client.sub("no-touch", 3, "noscript loading stale", "@connection", ClientFamily::noTouch)
                .doc("Controls whether commands sent by the client affect the LRU/LFU of accessed keys.", "7.2.0",
                        "connection", "O(1)");
        client.sub("reply", 3, "noscript loading stale", "@connection", ClientFamily::reply)
                .doc("Instructs the server whether to reply to commands.", "3.2.0", "connection", "O(1)");
        client.sub("help", 2, "loading stale", "@connection", ClientFamily::help)
                .doc("Returns helpful text about the different subcommands.", "5.0.0", "connection", "O(1)");
        client.sub("unblock", -3, "admin noscript loading stale", "@connection", ClientFamily::unblock)
                .doc("Unblocks a client blocked by a blocking command from a different connection.", "5.0.0", "connection", "O(log N) where N is the number of client connections");
        declareIntrospection(client);
    }

    static void declareIntrospection(CommandSpec client) {
        client.sub("tracking", -3, "noscript loading stale", "@connection", ClientFamily::tracking)
                .doc("Controls server-assisted client-side caching for the connection.", "6.0.0", "connection", "O(1). Some options may introduce additional complexity.");
        client.sub("caching", 3, "noscript loading stale", "@connection", ClientFamily::caching)
                .doc("Instructs the server whether to track the keys in the next request.", "6.0.0", "connection", "O(1)");
        client.sub("getredir", 2, "noscript loading stale", "@connection", ClientFamily::getredir)
                .doc("Returns the client ID to which the connection's tracking notifications are redirected.", "6.0.0", "connection", "O(1)");
        client.sub("trackinginfo", 2, "noscript loading stale", "@connection", ClientFamily::trackinginfo)
                .doc("Returns information about server-assisted client-side caching for the connection.", "6.2.0", "connection", "O(1)");
        client.sub("pause", -3, "admin noscript loading stale", "@connection", ClientFamily::pause)
                .doc("Suspends commands processing.", "3.0.0", "connection", "O(1)");
        client.sub("unpause", 2, "admin noscript loading stale", "@connection", ClientFamily::unpause)
                .doc("Resumes processing commands from paused clients.", "6.2.0", "connection", "O(N) Where N is the number of paused clients");
    }

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP]. */
    static void tracking(Client c, byte[][] a) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int i = 3; i < a.length; i++) {
            boolean more = i + 1 < a.length;
            if (Bytes.eqIgnoreCase(a[i], "REDIRECT") && more) {
                if (redirect != 0) throw new CommandError("ERR A client can only redirect to a single other client");
                redirect = Bytes.toLong(a[++i]);
                if (c.engine().clients().get(redirect) == null) {
                    throw new CommandError("ERR The client ID you want redirect to does not exist");
                }
            } else if (Bytes.eqIgnoreCase(a[i], "BCAST")) {
                bcast = true;
            } else if (Bytes.eqIgnoreCase(a[i], "OPTIN")) {
                optin = true;
            } else if (Bytes.eqIgnoreCase(a[i], "OPTOUT")) {
                optout = true;
            } else if (Bytes.eqIgnoreCase(a[i], "NOLOOP")) {
                noloop = true;
            } else if (Bytes.eqIgnoreCase(a[i], "PREFIX") && more) {
                prefixes.add(a[++i]);
            } else {
                throw CommandError.syntax();
            }
        }
        if (Bytes.eqIgnoreCase(a[2], "ON")) {
            c.engine().tracking().enable(c, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (Bytes.eqIgnoreCase(a[2], "OFF")) {
            c.engine().tracking().disable(c);
        } else {
            throw CommandError.syntax();
        }
        c.out().ok();
    }

    static void caching(Client c, byte[][] a) {
        boolean yes;
        if (Bytes.eqIgnoreCase(a[2], "YES")) yes = true;
        else if (Bytes.eqIgnoreCase(a[2], "NO")) yes = false;
        else if (c.tracking() == null || !(c.tracking().optin || c.tracking().optout)) {
            c.engine().tracking().caching(c, true); // reports the not-in-OPTIN/OPTOUT error first, as Redis
            return;
        } else throw CommandError.syntax();
        c.engine().tracking().caching(c, yes);
        c.out().ok();
    }

    static void getredir(Client c, byte[][] a) {
        TrackingState s = c.tracking();
        c.out().integer(s == null ? -1 : s.redirect);
    }

    static void trackinginfo(Client c, byte[][] a) {
        TrackingState s = c.tracking();
        List<byte[]> p = new ArrayList<>();
        if (s != null) p.addAll(s.prefixes());
        p.sort(java.util.Arrays::compareUnsigned);
        RespOut out = c.out();
        out.map(3);
        out.bulk("flags");
        if (s == null) {
            out.set(1);
            out.bulk("off");
        } else {
            List<String> f = new ArrayList<>();
            f.add("on");
            if (s.bcast) f.add("bcast");
            if (s.optin) f.add("optin");
            if (s.optout) f.add("optout");
            if (s.caching() > 0) f.add("caching-yes");
            if (s.caching() < 0) f.add("caching-no");
            if (s.noloop) f.add("noloop");
            if (s.brokenRedirect()) f.add("broken_redirect");
            out.set(f.size());
            for (String x : f) out.bulk(x);
        }
        out.bulk("redirect");
        out.integer(s == null ? -1 : s.redirect);
        out.bulk("prefixes");
        out.array(p.size());
        for (byte[] x : p) out.bulk(x);
    }

    /** CLIENT PAUSE timeout [WRITE|ALL]. */
    static void pause(Client c, byte[][] a) {
        if (a.length > 4) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Bytes.str(a[1])
                    + "'. Try CLIENT HELP.");
        }
        if (!Bytes.isLong(a[2])) throw new CommandError("ERR timeout is not an integer or out of range");
        long ms = Bytes.toLong(a[2]);
        if (ms < 0) throw new CommandError("ERR timeout is negative");
        boolean all = true;
        if (a.length == 4) {
            if (Bytes.eqIgnoreCase(a[3], "WRITE")) all = false;
            else if (!Bytes.eqIgnoreCase(a[3], "ALL")) throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
        }
        c.engine().pause().pause(c, ms, all);
        c.out().ok();
    }

    static void unpause(Client c, byte[][] a) {
        c.engine().pause().unpause();
        c.out().ok();
    }

    /** CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: 1 when the client was blocked and is now released. */
    static void unblock(Client c, byte[][] a) {
        long id = Bytes.toLong(a[2]);
        boolean error = false;
        if (a.length == 4) {
            if (Bytes.eqIgnoreCase(a[3], "ERROR")) error = true;
            else if (!Bytes.eqIgnoreCase(a[3], "TIMEOUT")) throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        } else if (a.length > 4) {
            throw CommandError.syntax();
        }
        c.out().integer(c.engine().blocking().unblock(id, error) ? 1 : 0);
    }

    /** CLIENT SETNAME / HELLO SETNAME validation: no spaces, newlines or other special characters. */
    static String validateName(String name) {
        return printable(name) ? null : "ERR Client names cannot contain spaces, newlines or special characters.";
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '!' || ch > '~') return false;
        }
        return true;
    }

    static void id(Client c, byte[][] argv) {
        c.out().integer(c.id);
    }

    static void setname(Client c, byte[][] argv) {
        String name = Bytes.str(argv[2]);
        String err = validateName(name);
        if (err != null) throw new CommandError(err);
        c.name(name);
        c.out().ok();
    }

    static void getname(Client c, byte[][] argv) {
        if (c.name().isEmpty()) c.out().nullBulk();
        else c.out().bulk(c.name());
    }

    static void info(Client c, byte[][] argv) {
        c.out().verbatim(describe(c, System.currentTimeMillis()) + "\n");
    }

    static void list(Client c, byte[][] argv) {
        List<Client> chosen = new ArrayList<>();
        if (argv.length == 2) {
            chosen.addAll(c.engine().clients().values());
        } else if (argv.length == 4 && Bytes.eqIgnoreCase(argv[2], "TYPE")) {
            java.util.function.Predicate<Client> type = typeFilter(argv[3]);
            for (Client o : c.engine().clients().values()) {
                if (type.test(o)) chosen.add(o);
            }
        } else if (argv.length > 3 && Bytes.eqIgnoreCase(argv[2], "ID")) {
            long[] ids = new long[argv.length - 3];
            for (int i = 3; i < argv.length; i++) {
                ids[i - 3] = Bytes.isLong(argv[i]) ? Bytes.toLong(argv[i]) : 0;
                if (ids[i - 3] <= 0) throw new CommandError("ERR Invalid client ID");
            }
            for (long id : ids) {
                Client other = c.engine().clients().get(id);
                if (other != null && !chosen.contains(other)) chosen.add(other);
            }
        } else {
            throw CommandError.syntax();
        }
        chosen.sort(Comparator.comparingLong(x -> x.id));
        long now = System.currentTimeMillis();
        StringBuilder sb = new StringBuilder(chosen.size() * 256);
        for (Client o : chosen) sb.append(describe(o, now)).append('\n');
        c.out().verbatim(sb.toString());
    }

    /** TYPE filter: a client with subscriptions is "pubsub", every other one "normal" (no replication links). */
    private static java.util.function.Predicate<Client> typeFilter(byte[] type) {
        String t = Bytes.str(type).toLowerCase(Locale.ROOT);
        return switch (t) {
            case "normal" -> o -> !isPubSub(o);
            case "pubsub" -> ClientFamily::isPubSub;
            case "master", "replica", "slave" -> o -> false;
            default -> throw new CommandError("ERR Unknown client type '" + Bytes.str(type) + "'");
        };
    }

    /** One CLIENT LIST line in Redis 7.2's field order. */
    private static boolean isPubSub(Client o) {
        io.amdc.core.pubsub.Subscriber s = o.subscriber();
        return s != null && s.count() > 0;
    }

    static String describe(Client o, long now) {
        CommandSpec last = o.lastCommand();
        long qbuf = o.queryBufferBytes();
        long omem = o.outputBufferBytes();
        return "id=" + o.id
                + " addr=" + o.addr()
                + " laddr=" + o.laddr()
                + " fd=" + o.fd()
                + " name=" + o.name()
                + " age=" + (now - o.createdAtMs) / 1000
                + " idle=" + Math.max(0, now - o.lastInteractionMs()) / 1000
                + " flags=" + flags(o)
                + " db=" + o.dbIndex()
                + subscriptions(o)
                + " qbuf=" + qbuf
                + " qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0"
                + " omem=" + omem
                + " tot-mem=" + (qbuf + omem)
                + " events=r"
                + " cmd=" + (last == null ? "NULL" : last.name)
                + " user=" + o.user()
                + " redir=" + (o.tracking() == null ? -1 : o.tracking().redirect)
                + " resp=" + o.protocol()
                + " lib-name=" + o.libName()
                + " lib-ver=" + o.libVer();
    }

    private static String subscriptions(Client o) {
        io.amdc.core.pubsub.Subscriber s = o.subscriber();
        io.amdc.core.tx.Transaction tx = o.transaction();
        return " sub=" + (s == null ? 0 : s.channelCount())
                + " psub=" + (s == null ? 0 : s.patternCount())
                + " ssub=" + (s == null ? 0 : s.shardCount())
                + " multi=" + (tx == null ? -1 : tx.size());
    }

    private static String flags(Client o) {
        String base = o.flagLetters();
        StringBuilder extra = new StringBuilder();
        TrackingState t = o.tracking();
        if (t != null) {
            extra.append('t');
            if (t.brokenRedirect()) extra.append('R');
            if (t.bcast) extra.append('B');
        }
        if (o.noEvict()) extra.append('e');
        if (o.noTouch()) extra.append('T');
        if (extra.isEmpty()) return base;
        return (base.equals("N") ? "" : base) + extra;
    }

    static void kill(Client c, byte[][] argv) {
        if (argv.length == 3) {
            // Old form: CLIENT KILL ip:port, an error when nobody matches.
            String addr = Bytes.str(argv[2]);
            Client victim = null;
            for (Client o : c.engine().clients().values()) {
                if (o.addr().equals(addr)) victim = o;
            }
            if (victim == null) throw new CommandError("ERR No such client");
            c.out().ok();
            close(c, victim);
            return;
        }
        if ((argv.length & 1) != 0) throw CommandError.syntax();
        long id = 0;
        String addr = null;
        String laddr = null;
        String user = null;
        java.util.function.Predicate<Client> type = null;
        boolean skipMe = true;
        long maxAge = 0;
        for (int i = 2; i < argv.length; i += 2) {
            byte[] opt = argv[i];
            byte[] val = argv[i + 1];
            if (Bytes.eqIgnoreCase(opt, "ID")) {
                id = Bytes.isLong(val) ? Bytes.toLong(val) : 0;
                if (id <= 0) throw new CommandError("ERR client-id should be greater than 0");
            } else if (Bytes.eqIgnoreCase(opt, "TYPE")) {
                type = typeFilter(val);
            } else if (Bytes.eqIgnoreCase(opt, "ADDR")) {
                addr = Bytes.str(val);
            } else if (Bytes.eqIgnoreCase(opt, "LADDR")) {
                laddr = Bytes.str(val);
            } else if (Bytes.eqIgnoreCase(opt, "USER")) {
                user = Bytes.str(val);
                // "default" is the only user until ACLs land.
                if (!user.equals("default")) throw new CommandError("ERR No such user '" + user + "'");
            } else if (Bytes.eqIgnoreCase(opt, "SKIPME")) {
                if (Bytes.eqIgnoreCase(val, "YES")) skipMe = true;
                else if (Bytes.eqIgnoreCase(val, "NO")) skipMe = false;
                else throw CommandError.syntax();
            } else if (Bytes.eqIgnoreCase(opt, "MAXAGE")) {
                if (!Bytes.isLong(val)) throw CommandError.syntax();
                maxAge = Bytes.toLong(val);
            } else {
                throw CommandError.syntax();
            }
        }
        long now = System.currentTimeMillis();
        List<Client> victims = new ArrayList<>();
        for (Client o : c.engine().clients().values()) {
            if (id != 0 && o.id != id) continue;
            if (type != null && !type.test(o)) continue;
            if (addr != null && !o.addr().equals(addr)) continue;
            if (laddr != null && !o.laddr().equals(laddr)) continue;
            if (user != null && !o.user().equals(user)) continue;
            if (skipMe && o == c) continue;
            if (maxAge != 0 && (now - o.createdAtMs) / 1000 <= maxAge) continue;
            victims.add(o);
        }
        c.out().integer(victims.size());
        for (Client v : victims) close(c, v);
    }

    /** Killing oneself waits for the reply to go out, as Redis's close-after-reply does. */
    private static void close(Client self, Client victim) {
        if (victim == self) self.closeAfterReply();
        else victim.kill();
    }

    static void setinfo(Client c, byte[][] argv) {
        String attr = Bytes.str(argv[2]);
        String value = Bytes.str(argv[3]);
        boolean libName = attr.equalsIgnoreCase("lib-name");
        if (!libName && !attr.equalsIgnoreCase("lib-ver")) {
            throw new CommandError("ERR Unrecognized option '" + attr + "'");
        }
        if (!printable(value)) {
            throw new CommandError("ERR " + attr + " cannot contain spaces, newlines or special characters.");
        }
        if (libName) c.libName(value);
        else c.libVer(value);
        c.out().ok();
    }

    private static boolean onOff(byte[] arg) {
        if (Bytes.eqIgnoreCase(arg, "ON")) return true;
        if (Bytes.eqIgnoreCase(arg, "OFF")) return false;
        throw CommandError.syntax();
    }

    static void noEvict(Client c, byte[][] argv) {
        c.noEvict(onOff(argv[2]));
        c.out().ok();
    }

    static void noTouch(Client c, byte[][] argv) {
        c.noTouch(onOff(argv[2]));
        c.out().ok();
    }

    static void reply(Client c, byte[][] argv) {
        Client.ReplyMode mode;
        if (Bytes.eqIgnoreCase(argv[2], "ON")) mode = Client.ReplyMode.ON;
        else if (Bytes.eqIgnoreCase(argv[2], "OFF")) mode = Client.ReplyMode.OFF;
        else if (Bytes.eqIgnoreCase(argv[2], "SKIP")) mode = Client.ReplyMode.SKIP;
        else throw CommandError.syntax();
        c.replyMode(mode);
        c.out().ok(); // muted for OFF and SKIP
    }

    static void help(Client c, byte[][] argv) {
        ServerFamily.help(c.out(), "CLIENT",
                "CACHING (YES|NO)",
                "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                "GETREDIR",
                "    Return the client ID we are redirecting to when tracking is enabled.",
                "GETNAME",
                "    Return the name of the current connection.",
                "ID",
                "    Return the ID of the current connection.",
                "INFO",
                "    Return information about the current client connection.",
                "KILL <ip:port>",
                "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]",
                "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Kill connections by type.",
                "    * USER <username>",
                "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)",
                "      Skip killing current connection (default: yes).",
                "    * ID <client-id>",
                "      Kill connections by client id.",
                "    * MAXAGE <maxage>",
                "      Kill connections older than the specified age.",
                "LIST [options ...]",
                "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Return clients of specified type.",
                "UNPAUSE",
                "    Stop the current client pause, resuming traffic.",
                "PAUSE <timeout> [WRITE|ALL]",
                "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)",
                "    Control the replies sent to the current connection.",
                "SETNAME <name>",
                "    Assign the name <name> to the current connection.",
                "SETINFO <option> <value>",
                "    Set client meta attr. Options are:",
                "    * LIB-NAME: the client lib name.",
                "    * LIB-VER: the client lib version.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                "         [OPTIN] [OPTOUT] [NOLOOP]",
                "    Control server assisted client side caching.",
                "TRACKINGINFO",
                "    Report tracking status for the current connection.",
                "NO-EVICT (ON|OFF)",
                "    Protect current client connection from eviction.",
                "NO-TOUCH (ON|OFF)",
                "    Will not touch LRU/LFU stats when this mode is on.");
    }
}
