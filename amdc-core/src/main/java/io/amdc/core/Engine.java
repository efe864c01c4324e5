package io.amdc.core;

import io.amdc.core.blocking.BlockingRegistry;
import io.amdc.core.command.CommandError;
import io.amdc.core.command.CommandSpec;
import io.amdc.core.command.CommandTable;
import io.amdc.core.config.Config;
import io.amdc.core.families.Families;
import io.amdc.core.keyspace.AccessClock;
import io.amdc.core.keyspace.Keyspace;
import io.amdc.core.keyspace.Slots;
import io.amdc.core.session.Client;
import io.amdc.core.util.Bytes;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * The command engine: configuration, keyspace, command table, clients and the dispatcher that
 * runs a parsed command on the calling thread (an I/O event loop) under its slots' locks.
 */
public final class Engine {
    /** The Redis version whose behaviour AMDC matches; clients gate features on it. */
    public static final String REDIS_VERSION = "7.2.4";
    public static final String AMDC_VERSION = "0.1.0";

    private final Config config;
    private final Keyspace keyspace;
    private final CommandTable table = new CommandTable();
    private final Stats stats = new Stats();
    private final BlockingRegistry blocking = new BlockingRegistry(this);
    private final io.amdc.core.scripting.Scripting scripting = new io.amdc.core.scripting.Scripting(this);
    private final Map<Long, Client> clients = new ConcurrentHashMap<>();
    private final AtomicLong nextClientId = new AtomicLong(1);
    private final long startTimeMs = System.currentTimeMillis();
    private final String runId;
    private volatile IntConsumer shutdownHandler = code -> { };
    private volatile int port;

    public Engine(Config config) {
        this.config = config;
        this.keyspace = new Keyspace((int) config.getLong("databases"));
        byte[] r = new byte[20];
        new SecureRandom().nextBytes(r);
        StringBuilder sb = new StringBuilder();
        for (byte b : r) sb.append(String.format("%02x", b));
        this.runId = sb.toString();
        Families.declareAll(table);
    }

    public Config config() {
        return config;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public CommandTable commands() {
        return table;
    }

    public Stats stats() {
        return stats;
    }

    public BlockingRegistry blocking() {
        return blocking;
    }

    public io.amdc.core.scripting.Scripting scripting() {
        return scripting;
    }

    public String runId() {
        return runId;
    }

    public long startTimeMs() {
        return startTimeMs;
    }

    public int port() {
        return port;
    }

    public void port(int p) {
        this.port = p;
    }

    public boolean authRequired() {
        return !config.get("requirepass").isEmpty();
    }

    public long newClientId() {
        return nextClientId.getAndIncrement();
    }

    public void register(Client c) {
        clients.put(c.id, c);
    }

    public void unregister(Client c) {
        clients.remove(c.id);
        blocking.disconnected(c);
    }

    public Map<Long, Client> clients() {
        return clients;
    }

    public void onShutdown(IntConsumer handler) {
        this.shutdownHandler = handler;
    }

    /** Asks the server to stop (SHUTDOWN); the network layer decides how. */
    public void shutdown(int exitCode) {
        shutdownHandler.accept(exitCode);
    }

    /** Periodic work, called hz times a second by the server. */
    public void cron() {
        AccessClock.tick();
        stats.sample(System.currentTimeMillis());
        long hz = Math.max(1, config.getLong("hz"));
        // Redis spends up to 25% of each cron period on active expiry.
        keyspace.activeExpireCycle(250_000_000L / hz);
    }

    /** Runs one command for {@code c}; the reply goes to {@code c.out()}. Never throws. */
    public void execute(Client c, byte[][] argv) {
        CommandSpec cmd = table.lookup(argv[0]);
        if (cmd == null) {
            reject(c, null, unknownCommand(argv));
            return;
        }
        // A container routes to its sub-command; one with its own handler (COMMAND) also runs bare.
        if (!cmd.subcommands().isEmpty() && (argv.length >= 2 || cmd.handler == null)) {
            if (argv.length < 2) {
                reject(c, cmd, "ERR wrong number of arguments for '" + cmd.name + "' command");
                return;
            }
            CommandSpec sub = cmd.subcommand(Bytes.str(argv[1]).toLowerCase());
            if (sub == null) {
                reject(c, cmd, "ERR unknown subcommand '" + abbreviate(Bytes.str(argv[1])) + "'. Try "
                        + cmd.name.toUpperCase() + " HELP.");
                return;
            }
            cmd = sub;
        }
        if (!cmd.arityOk(argv.length)) {
            reject(c, cmd, "ERR wrong number of arguments for '" + cmd.name + "' command");
            return;
        }
        if (!c.authenticated() && !cmd.has(io.amdc.core.command.Flag.NO_AUTH)) {
            reject(c, cmd, "NOAUTH Authentication required.");
            return;
        }
        if (!cmd.has(io.amdc.core.command.Flag.ALLOW_BUSY)) {
            String busy = scripting.busyError(c);
            if (busy != null) {
                reject(c, cmd, busy);
                return;
            }
        }
        c.lastCommand(cmd);
        c.beginCommand();
        long start = System.nanoTime();
        try {
            runLocked(c, cmd, argv);
        } catch (CommandError e) {
            c.out().error(e.getMessage());
            stats.error(CommandError.code(e.getMessage()));
            cmd.failed.increment();
        } catch (RuntimeException | StackOverflowError e) {
            // A bug must cost one reply, not the connection or the server.
            String msg = "ERR internal error executing '" + cmd.name + "': " + e;
            c.out().error(msg.replace('\r', ' ').replace('\n', ' '));
            stats.error("ERR");
            stats.unexpectedErrorReplies.increment();
            cmd.failed.increment();
            e.printStackTrace();
        } finally {
            long took = System.nanoTime() - start;
            c.endCommand();
            cmd.calls.increment();
            cmd.usec.add(took / 1000);
            stats.commandsProcessed.increment();
        }
    }

    private void runLocked(Client c, CommandSpec cmd, byte[][] argv) {
        if (cmd.keyFinder == null && cmd.firstKey > 0 && cmd.firstKey == cmd.lastKey) {
            int slot = Slots.slot(argv[cmd.firstKey]);
            keyspace.lock(slot);
            try {
                cmd.handler.run(c, argv);
                serveBlocked();
            } finally {
                keyspace.unlock(slot);
            }
            return;
        }
        if (!cmd.hasKeys()) {
            cmd.handler.run(c, argv);
            serveBlocked();
            return;
        }
        int[] pos = cmd.keyPositions(argv);
        int[] slots = new int[pos.length];
        for (int i = 0; i < pos.length; i++) slots[i] = Slots.slot(argv[pos[i]]);
        java.util.Arrays.sort(slots);
        int u = 0;
        for (int i = 0; i < slots.length; i++) {
            if (u == 0 || slots[u - 1] != slots[i]) slots[u++] = slots[i];
        }
        keyspace.lock(slots, u);
        try {
            cmd.handler.run(c, argv);
            serveBlocked();
        } finally {
            keyspace.unlock(slots, u);
        }
    }

    /** Clients blocked on keys this command filled are served now, under its slot locks. */
    private void serveBlocked() {
        if (blocking.hasReady()) blocking.serveReady();
    }

    private void reject(Client c, CommandSpec cmd, String msg) {
        c.out().error(msg);
        stats.error(CommandError.code(msg));
        if (cmd != null) cmd.rejected.increment();
    }

    private static String unknownCommand(byte[][] argv) {
        StringBuilder sb = new StringBuilder("ERR unknown command '")
                .append(abbreviate(new String(argv[0], StandardCharsets.UTF_8)))
                .append("', with args beginning with: ");
        for (int i = 1; i < argv.length && sb.length() < 128; i++) {
            sb.append('\'').append(abbreviate(new String(argv[i], StandardCharsets.UTF_8))).append("' ");
        }
        return sb.toString().replace('\r', ' ').replace('\n', ' ');
    }

    /** Redis quotes at most 128 bytes of user input in an error. */
    private static String abbreviate(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }
}
