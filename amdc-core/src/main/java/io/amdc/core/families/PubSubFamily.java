package io.amdc.core.families;

import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.pubsub.PubSub;
import io.amdc.core.pubsub.PubSub.Kind;
import io.amdc.core.pubsub.Subscriber;
import io.amdc.core.session.Client;
import io.amdc.resp.RespOut;

import java.util.List;

/**
 * SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UNSUBSCRIBEs, PUBLISH, SPUBLISH, PUBSUB. The
 * registry and delivery live in {@link PubSub} / {@link Subscriber}; RESP2 subscribed mode is
 * enforced by the dispatcher. Confirmations are pushes: '>' frames in RESP3, arrays in RESP2.
 */
public final class PubSubFamily {
    private PubSubFamily() {
    }

    static void declare(CommandTable t) {
        t.add("subscribe", -2, "pubsub noscript loading stale", "", (c, a) -> subscribe(c, a, Kind.CHANNEL))
                .doc("Listens for messages published to channels.", "2.0.0", "pubsub",
                        "O(N) where N is the number of channels to subscribe to.");
        t.add("psubscribe", -2, "pubsub noscript loading stale", "", (c, a) -> subscribe(c, a, Kind.PATTERN))
                .doc("Listens for messages published to channels that match one or more patterns.", "2.0.0", "pubsub",
                        "O(N) where N is the number of patterns to subscribe to.");
        t.add("ssubscribe", -2, "pubsub noscript loading stale", "", 1, -1, 1, (c, a) -> subscribe(c, a, Kind.SHARD))
                .doc("Listens for messages published to shard channels.", "7.0.0", "pubsub",
                        "O(N) where N is the number of shard channels to subscribe to.");
        t.add("unsubscribe", -1, "pubsub noscript loading stale", "", (c, a) -> unsubscribe(c, a, Kind.CHANNEL))
                .doc("Stops listening to messages posted to channels.", "2.0.0", "pubsub",
                        "O(N) where N is the number of channels to unsubscribe.");
        t.add("punsubscribe", -1, "pubsub noscript loading stale", "", (c, a) -> unsubscribe(c, a, Kind.PATTERN))
                .doc("Stops listening to messages published to channels that match one or more patterns.", "2.0.0",
                        "pubsub", "O(N) where N is the number of patterns to unsubscribe.");
        t.add("sunsubscribe", -1, "pubsub noscript loading stale", "", 1, -1, 1, (c, a) -> unsubscribe(c, a, Kind.SHARD))
                .doc("Stops listening to messages posted to shard channels.", "7.0.0", "pubsub",
                        "O(N) where N is the number of shard channels to unsubscribe.");
        t.add("publish", 3, "pubsub loading stale fast", "", PubSubFamily::publish)
                .doc("Posts a message to a channel.", "2.0.0", "pubsub",
                        "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total "
                                + "number of subscribed patterns (by any client).");
        t.add("spublish", 3, "pubsub loading stale fast", "", 1, 1, 1, PubSubFamily::spublish)
                .doc("Post a message to a shard channel", "7.0.0", "pubsub",
                        "O(N) where N is the number of clients subscribed to the receiving shard channel.");
        CommandSpec pubsub = t.add("pubsub", -2, "", "", null)
                .doc("A container for Pub/Sub commands.", "2.8.0", "pubsub", "Depends on subcommand.");
        pubsub.sub("channels", -2, "pubsub loading stale", "", (c, a) -> channels(c, a, Kind.CHANNEL))
                .doc("Returns the active channels.", "2.8.0", "pubsub",
                        "O(N) where N is the number of active channels, and assuming constant time pattern matching "
                                + "(relatively short channels and patterns)");
        pubsub.sub("numsub", -2, "pubsub loading stale", "", (c, a) -> numsub(c, a, Kind.CHANNEL))
                .doc("Returns a count of subscribers to channels.", "2.8.0", "pubsub",
                        "O(N) for the NUMSUB subcommand, where N is the number of requested channels");
        pubsub.sub("numpat", 2, "pubsub loading stale", "", PubSubFamily::numpat)
                .doc("Returns a count of unique pattern subscriptions.", "2.8.0", "pubsub", "O(1)");
        pubsub.sub("shardchannels", -2, "pubsub loading stale", "", (c, a) -> channels(c, a, Kind.SHARD))
                .doc("Returns the active shard channels.", "7.0.0", "pubsub",
                        "O(N) where N is the number of active shard channels, and assuming constant time pattern "
                                + "matching (relatively short shard channels).");
        pubsub.sub("shardnumsub", -2, "pubsub loading stale", "", (c, a) -> numsub(c, a, Kind.SHARD))
                .doc("Returns the count of subscribers of shard channels.", "7.0.0", "pubsub",
                        "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels");
        pubsub.sub("help", 2, "loading stale", "", PubSubFamily::help)
                .doc("Returns helpful text about the different subcommands.", "6.2.0", "pubsub", "O(1)");
    }

    private static Subscriber subscriber(Client c) {
        Subscriber s = c.subscriber();
        if (s == null) {
            s = new Subscriber(c, c.engine().pubsub());
            c.subscriber(s);
        }
        return s;
    }

    private static String verb(Kind kind, boolean sub) {
        String base = switch (kind) {
            case CHANNEL -> "subscribe";
            case PATTERN -> "psubscribe";
            case SHARD -> "ssubscribe";
        };
        if (sub) return base;
        return kind == Kind.CHANNEL ? "unsubscribe" : base.charAt(0) + "un" + base.substring(1);
    }

    private static int countFor(Subscriber s, Kind kind) {
        return kind == Kind.SHARD ? s.shardCount() : s.plainCount();
    }

    static void subscribe(Client c, byte[][] argv, Kind kind) {
        Subscriber s = subscriber(c);
        RespOut out = c.out();
        String verb = verb(kind, true);
        for (int i = 1; i < argv.length; i++) {
            s.subscribe(kind, argv[i]);
            out.push(3);
            out.bulk(verb);
            out.bulk(argv[i]);
            out.integer(countFor(s, kind));
        }
    }

    static void unsubscribe(Client c, byte[][] argv, Kind kind) {
        Subscriber s = subscriber(c);
        RespOut out = c.out();
        String verb = verb(kind, false);
        List<byte[]> names = argv.length > 1 ? java.util.Arrays.asList(argv).subList(1, argv.length) : s.names(kind);
        if (names.isEmpty()) {
            // Nothing to leave: one confirmation with a null name, as Redis sends.
            out.push(3);
            out.bulk(verb);
            out.nullBulk();
            out.integer(countFor(s, kind));
            return;
        }
        for (byte[] name : names) {
            s.unsubscribe(kind, name);
            out.push(3);
            out.bulk(verb);
            out.bulk(name);
            out.integer(countFor(s, kind));
        }
    }

    static void publish(Client c, byte[][] argv) {
        c.out().integer(c.engine().pubsub().publish(c, argv[1], argv[2]));
    }

    static void spublish(Client c, byte[][] argv) {
        c.out().integer(c.engine().pubsub().spublish(c, argv[1], argv[2]));
    }

    static void channels(Client c, byte[][] argv, Kind kind) {
        if (argv.length > 3) {
            throw new io.amdc.core.command.CommandError("ERR unknown subcommand or wrong number of arguments for '"
                    + io.amdc.core.util.Bytes.str(argv[1]) + "'. Try PUBSUB HELP.");
        }
        List<byte[]> names = c.engine().pubsub().channels(kind, argv.length == 3 ? argv[2] : null);
        c.out().array(names.size());
        for (byte[] n : names) c.out().bulk(n);
    }

    static void numsub(Client c, byte[][] argv, Kind kind) {
        PubSub ps = c.engine().pubsub();
        RespOut out = c.out();
        out.array((argv.length - 2) * 2);
        for (int i = 2; i < argv.length; i++) {
            out.bulk(argv[i]);
            out.integer(ps.subscribers(kind, argv[i]));
        }
    }

    static void numpat(Client c, byte[][] argv) {
        c.out().integer(c.engine().pubsub().patternCount());
    }

    private static final String[] HELP = {
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
    };

    static void help(Client c, byte[][] argv) {
        c.out().array(HELP.length);
        for (String s : HELP) c.out().simple(s);
    }
}
