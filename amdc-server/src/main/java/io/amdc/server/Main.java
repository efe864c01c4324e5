package io.amdc.server;

import io.amdc.core.Engine;
import io.amdc.core.config.Config;
import io.amdc.core.config.ConfigException;
import io.amdc.core.util.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code amdc-server [/path/to/amdc.conf] [--option value ...]}: the same command line as
 * redis-server. Options after the file override it, exactly as if appended to it.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("-v") || args[0].equals("--version"))) {
            System.out.println("AMDC server v=" + Engine.AMDC_VERSION + " redis_compat=" + Engine.REDIS_VERSION
                    + " java=" + Runtime.version());
            return;
        }
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.println("Usage: amdc-server [/path/to/amdc.conf] [--option value ...]\n"
                    + "       amdc-server --port 7777\n"
                    + "       amdc-server /etc/amdc/7000.conf --loglevel verbose");
            return;
        }
        Config config = new Config();
        try {
            parse(config, args);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("Fatal error, can't open config file '" + e.getMessage() + "'");
            System.exit(1);
        }
        try {
            Log.level(config.get("loglevel"));
            Log.file(config.get("logfile"));
        } catch (IOException e) {
            System.err.println("Can't open the log file: " + e.getMessage());
            System.exit(1);
        }
        config.param("loglevel").onChange(p -> Log.level(p.get()));
        Engine engine = new Engine(config);
        NettyServer server = new NettyServer(engine);
        Log.notice("AMDC " + Engine.AMDC_VERSION + " (Redis " + Engine.REDIS_VERSION + " compatible) starting, pid="
                + ProcessHandle.current().pid() + ", java " + Runtime.version());
        if (config.file() == null) {
            Log.warning("No config file specified, using the default config. In order to specify a config file use "
                    + "amdc-server /path/to/amdc.conf");
        }
        int port;
        try {
            port = server.start();
        } catch (Exception e) {
            Log.warning(e.getMessage());
            System.exit(1);
            return;
        }
        // SHUTDOWN has logged "User requested shutdown..." and saved; this stops the process.
        engine.onShutdown(code -> {
            Thread t = new Thread(() -> {
                server.close();
                Log.notice("AMDC is now ready to exit, bye bye...");
                System.exit(code);
            }, "amdc-shutdown");
            t.start();
        });
        // SIGTERM saves like SHUTDOWN does when save points are configured (a no-op after SHUTDOWN).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!engine.persistence().prepareShutdown(false, false)) Log.warning("Could not save the DB on exit");
        }, "amdc-sigterm"));
        writePidFile(config.get("pidfile"));
        Log.notice("Server initialized: " + config.getLong("io-threads") + " io-threads, transport " + server.transport());
        Log.notice("Ready to accept connections tcp on port " + port);
    }

    static void parse(Config config, String[] args) throws IOException {
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            if (!Files.isReadable(Path.of(args[0]))) throw new IOException(args[0]);
            config.load(Path.of(args[0]));
            i = 1;
        }
        // "--port 7000 --save '' --bind 127.0.0.1 ::1" becomes config lines, as redis-server does.
        List<String> lines = new ArrayList<>();
        StringBuilder cur = null;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && a.length() > 2) {
                if (cur != null) lines.add(cur.toString());
                cur = new StringBuilder(a.substring(2));
            } else {
                if (cur == null) throw new ConfigException("command line", i + 1, a, "Bad directive or wrong number of arguments");
                cur.append(' ').append(quote(a));
            }
        }
        if (cur != null) lines.add(cur.toString());
        config.loadLines(lines, "(command line)");
    }

    private static String quote(String a) {
        if (a.isEmpty()) return "\"\"";
        if (a.chars().anyMatch(Character::isWhitespace) || a.contains("\"")) {
            return "\"" + a.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return a;
    }

    private static void writePidFile(String path) {
        if (path == null || path.isEmpty()) return;
        try {
            Files.writeString(Path.of(path), ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            Log.warning("Failed to write PID file: " + e.getMessage());
        }
    }
}
