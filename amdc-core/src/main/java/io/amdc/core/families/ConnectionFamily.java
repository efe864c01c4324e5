package io.amdc.core.families;

import io.amdc.core.Engine;
import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandTable;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;
import io.amdc.resp.RespOut;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Connection commands: PING, ECHO, QUIT, SELECT, HELLO, AUTH, RESET. CLIENT lives in {@link ClientFamily}. */
public final class ConnectionFamily {
    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

    private ConnectionFamily() {
    }

    static void declare(CommandTable t) {
        t.add("ping", -1, "fast sentinel", "@connection", ConnectionFamily::ping)
                .doc("Returns the server's liveliness response.", "1.0.0", "connection", "O(1)");
        t.add("echo", 2, "loading stale fast", "@connection", ConnectionFamily::echo)
                .doc("Returns the given string.", "1.0.0", "connection", "O(1)");
        t.add("quit", -1, "allow_busy noscript loading stale fast no_auth", "@connection", ConnectionFamily::quit)
                .doc("Closes the connection.", "1.0.0", "connection", "O(1)");
        t.add("select", 2, "loading stale fast", "@connection", ConnectionFamily::select)
                .doc("Changes the selected database.", "1.0.0", "connection", "O(1)");
        t.add("hello", -1, "noscript loading stale fast no_auth sentinel allow_busy", "@connection", ConnectionFamily::hello)
                .doc("Handshakes with the Redis server.", "6.0.0", "connection", "O(1)");
        t.add("auth", -2, "noscript loading stale fast no_auth sentinel allow_busy", "@connection", ConnectionFamily::auth)
                .doc("Authenticates the connection.", "1.0.0", "connection", "O(N) where N is the number of passwords defined for the user");
        t.add("reset", 1, "noscript loading stale fast no_auth allow_busy", "@connection", ConnectionFamily::reset)
                .doc("Resets the connection.", "6.2.0", "connection", "O(1)");
    }

    static void ping(Client c, byte[][] argv) {
        if (argv.length > 2) throw new CommandError("ERR wrong number of arguments for 'ping' command");
        io.amdc.core.pubsub.Subscriber s = c.subscriber();
        if (s != null && s.count() > 0 && !c.out().resp3()) {
            // RESP2 subscribed mode: the reply must look like a message to a client reading pushes.
            c.out().array(2);
            c.out().bulk("pong");
            c.out().bulk(argv.length == 2 ? argv[1] : new byte[0]);
            return;
        }
        if (argv.length == 2) c.out().bulk(argv[1]);
        else c.out().simple("PONG");
    }

    static void echo(Client c, byte[][] argv) {
        c.out().bulk(argv[1]);
    }

    static void quit(Client c, byte[][] argv) {
        c.out().ok();
        c.closeAfterReply();
    }

    static void select(Client c, byte[][] argv) {
        long idx = Bytes.toLong(argv[1]);
        if (idx < 0 || idx >= c.engine().keyspace().databases()) {
            throw new CommandError("ERR DB index is out of range");
        }
        c.select((int) idx);
        c.out().ok();
    }

    static void auth(Client c, byte[][] argv) {
        if (argv.length > 3) throw CommandError.syntax();
        String user = argv.length == 3 ? Bytes.str(argv[1]) : "default";
        byte[] pass = argv[argv.length - 1];
        Engine e = c.engine();
        if (argv.length == 2 && !e.authRequired()) {
            throw new CommandError("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        if (!checkPassword(e, user, pass)) {
            throw new CommandError(WRONGPASS);
        }
        c.authenticated(true);
        c.user(user);
        c.out().ok();
    }

    /** The default user is the only one until ACLs land: its password is requirepass (or none). */
    static boolean checkPassword(Engine e, String user, byte[] pass) {
        if (!user.equals("default")) return false;
        String required = e.config().get("requirepass");
        if (required.isEmpty()) return true;
        // Constant-time compare so the reply time does not leak how much of the password matched.
        return MessageDigest.isEqual(required.getBytes(StandardCharsets.UTF_8), pass);
    }

    static void hello(Client c, byte[][] argv) {
        int proto = c.protocol();
        int i = 1;
        if (argv.length > 1) {
            long v;
            try {
                v = Bytes.toLong(argv[1]);
            } catch (CommandError ex) {
                throw new CommandError("ERR Protocol version is not an integer or out of range");
            }
            if (v < 2 || v > 3) throw new CommandError("NOPROTO unsupported protocol version");
            proto = (int) v;
            i = 2;
        }
        String setName = null;
        boolean authed = false;
        for (; i < argv.length; i++) {
            boolean more = i + 1 < argv.length;
            if (Bytes.eqIgnoreCase(argv[i], "AUTH") && i + 2 < argv.length) {
                if (!checkPassword(c.engine(), Bytes.str(argv[i + 1]), argv[i + 2])) {
                    throw new CommandError(WRONGPASS);
                }
                authed = true;
                c.user(Bytes.str(argv[i + 1]));
                i += 2;
            } else if (Bytes.eqIgnoreCase(argv[i], "SETNAME") && more) {
                setName = Bytes.str(argv[i + 1]);
                String err = ClientFamily.validateName(setName);
                if (err != null) throw new CommandError(err);
                i++;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + Bytes.str(argv[i]) + "'");
            }
        }
        if (authed) c.authenticated(true);
        if (!c.authenticated()) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select "
                    + "the RESP protocol version at the same time");
        }
        if (setName != null) c.name(setName);
        RespOut out = c.out();
        out.protocol(proto);
        out.map(7);
        out.bulk("server");
        out.bulk("redis");
        out.bulk("version");
        out.bulk(Engine.REDIS_VERSION);
        out.bulk("proto");
        out.integer(proto);
        out.bulk("id");
        out.integer(c.id);
        out.bulk("mode");
        out.bulk("standalone");
        out.bulk("role");
        out.bulk("master");
        out.bulk("modules");
        out.array(0);
    }

    static void reset(Client c, byte[][] argv) {
        c.transaction(null);
        c.engine().watches().unwatchAll(c);
        c.engine().pubsub().forget(c);
        c.select(0);
        c.out().protocol(2);
        c.name("");
        c.replyMode(Client.ReplyMode.ON);
        c.noEvict(false);
        c.noTouch(false);
        c.user("default");
        c.authenticated(!c.engine().authRequired());
        c.out().simple("RESET");
    }
}
