package io.amdc.core.config;

import io.amdc.core.util.Glob;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's configuration: every directive AMDC accepts, with its type, default and whether
 * CONFIG SET may change it at run time. Reads a redis.conf-syntax file; the same names and value
 * syntax as Redis so existing files and CONFIG calls keep working.
 */
public final class Config {
    private final Map<String, ConfigParam> params = new LinkedHashMap<>();
    private Path file;

    private final OutputBufferLimits outputBufferLimits;

    public Config() {
        ConfigDefaults.declare(this);
        outputBufferLimits = new OutputBufferLimits(param("client-output-buffer-limit"));
    }

    public OutputBufferLimits outputBufferLimits() {
        return outputBufferLimits;
    }

    ConfigParam add(ConfigParam p) {
        params.put(p.name, p);
        for (String a : p.aliases) params.put(a, p);
        return p;
    }

    public ConfigParam param(String name) {
        // Commands read their limits through here on every call with lower-case literals: look
        // the name up as given first, and lower-case (a copy) only user input that missed.
        ConfigParam p = params.get(name);
        return p != null ? p : params.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** Unique parameters in declaration order (aliases collapsed). */
    public Collection<ConfigParam> all() {
        List<ConfigParam> out = new ArrayList<>();
        for (ConfigParam p : params.values()) if (!out.contains(p)) out.add(p);
        return Collections.unmodifiableList(out);
    }

    public String get(String name) {
        return param(name).get();
    }

    public long getLong(String name) {
        return param(name).asLong();
    }

    public boolean getBool(String name) {
        return param(name).asBool();
    }

    public Path file() {
        return file;
    }

    /** Parameters whose name (or alias) matches the glob, name to value, for CONFIG GET. */
    public Map<String, String> matching(String glob) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigParam> e : params.entrySet()) {
            if (Glob.match(glob, e.getKey(), true)) out.put(e.getKey(), e.getValue().get());
        }
        return out;
    }

    /**
     * Applies a directive from a config file or the command line. Returns null on success, else
     * the reason (as Redis prints it in its fatal config error).
     */
    public String apply(String name, List<String> args, boolean startup) {
        ConfigParam p = param(name);
        if (p == null) return "Bad directive or wrong number of arguments";
        if (!startup && p.immutable) return "can't set immutable config";
        return p.set(args, startup);
    }

    /** Loads a file; throws with Redis's fatal config error text when a line is bad. */
    public void load(Path path) throws IOException {
        this.file = path.toAbsolutePath();
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        loadLines(lines, path.toString());
    }

    public void loadLines(List<String> lines, String source) {
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<String> words = ConfigLine.split(line);
            if (words == null) throw new ConfigException(source, n, line, "Unbalanced quotes in configuration line");
            if (words.isEmpty()) continue;
            String name = words.get(0).toLowerCase();
            if (name.equals("include")) {
                if (words.size() != 2) throw new ConfigException(source, n, line, "Bad directive or wrong number of arguments");
                try {
                    load(Path.of(words.get(1)));
                } catch (IOException e) {
                    throw new ConfigException(source, n, line, "Can't open the include file: " + e.getMessage());
                }
                continue;
            }
            String err = apply(name, words.subList(1, words.size()), true);
            if (err != null) throw new ConfigException(source, n, line, err);
        }
    }

    /** CONFIG REWRITE: rewrites the file in place keeping comments and unknown layout, as Redis does. */
    public void rewrite() throws IOException {
        if (file == null) throw new IOException("The server is running without a config file");
        List<String> old = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        List<String> out = new ArrayList<>();
        List<ConfigParam> written = new ArrayList<>();
        for (String raw : old) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                out.add(raw);
                continue;
            }
            List<String> words = ConfigLine.split(line);
            ConfigParam p = words == null || words.isEmpty() ? null : param(words.get(0));
            if (p == null || p.immutable && !p.changed()) {
                out.add(raw);
                continue;
            }
            if (written.contains(p)) continue;
            written.add(p);
            if (p.isDefault()) continue; // Redis drops lines that restate the default
            out.addAll(p.configLines());
        }
        boolean header = false;
        for (ConfigParam p : all()) {
            if (written.contains(p) || p.isDefault()) continue;
            if (!header) {
                out.add("# Generated by CONFIG REWRITE");
                header = true;
            }
            out.addAll(p.configLines());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
