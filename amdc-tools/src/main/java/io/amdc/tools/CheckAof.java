package io.amdc.tools;

import io.amdc.persist.aof.AofManifest;
import io.amdc.persist.aof.AofReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code amdc-check-aof [--fix [--yes]] FILE|MANIFEST}: verifies every command of an AOF (a single
 * file, or all files a manifest lists) and with --fix truncates a file cut short to its last whole
 * command. Exit status 0 when the AOF is valid (or was fixed), 1 otherwise.
 */
public final class CheckAof {
    private final PrintStream out;
    private final InputStream stdin;

    CheckAof(PrintStream out, InputStream stdin) {
        this.out = out;
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        System.exit(new CheckAof(System.out, System.in).run(args));
    }

    int run(String[] args) {
        boolean fix = false;
        boolean yes = false;
        String file = null;
        for (String a : args) {
            switch (a) {
                case "--fix" -> fix = true;
                case "--yes", "-y" -> yes = true;
                default -> {
                    if (a.startsWith("-") || file != null) return usage();
                    file = a;
                }
            }
        }
        if (file == null) return usage();
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            out.println("Cannot open file: " + file);
            return 1;
        }
        try {
            List<Path> files = new ArrayList<>();
            if (p.getFileName().toString().endsWith(".manifest")) {
                out.println("Start checking Multi Part AOF");
                AofManifest m = AofManifest.parse(p);
                if (m.base != null) files.add(p.resolveSibling(m.base.name()));
                for (AofManifest.Entry e : m.incrs) files.add(p.resolveSibling(e.name()));
                if (files.isEmpty()) {
                    out.println("The manifest lists no files");
                    return 1;
                }
            } else {
                files.add(p);
            }
            for (int i = 0; i < files.size(); i++) {
                int rc = checkFile(files.get(i), i == files.size() - 1, fix, yes);
                if (rc != 0) return rc;
            }
            if (files.size() > 1) out.println("All AOF files and manifest are valid");
            return 0;
        } catch (IOException e) {
            out.println("Error: " + e.getMessage());
            return 1;
        }
    }

    private int usage() {
        out.println("Usage: amdc-check-aof [--fix [--yes]] <file.manifest|file.aof>");
        return 1;
    }

    private int checkFile(Path f, boolean last, boolean fix, boolean yes) throws IOException {
        long size = Files.size(f);
        String name = f.getFileName().toString();
        if (isRdb(f)) {
            // An RDB base (aof-use-rdb-preamble): the RDB checker verifies it; it cannot be --fix'ed.
            out.println("Start checking RDB base " + name);
            int rc = CheckRdb.run(new String[] {f.toString()}, out, out);
            out.println(rc == 0 ? "RDB preamble of " + name + " is valid" : "RDB preamble of " + name + " is not valid");
            return rc == 0 ? 0 : 1;
        }
        long nextReport = 64L << 20;
        try (InputStream in = Files.newInputStream(f); AofReader r = new AofReader(in)) {
            try {
                while (r.next() != null) {
                    if (r.position() >= nextReport) {
                        out.printf("Checking %s: %d%% (%d commands)%n", name, r.position() * 100 / Math.max(1, size), r.commands());
                        nextReport += 64L << 20;
                    }
                }
                out.println("AOF " + name + " is valid (" + r.commands() + " commands)");
                return 0;
            } catch (AofReader.Truncated | AofReader.BadFormat e) {
                long valid = r.validOffset();
                long diff = size - valid;
                out.println("AOF " + name + " is not valid: " + e.getMessage());
                out.println("AOF analyzed: filename=" + name + ", size=" + size + ", ok_up_to=" + valid
                        + ", ok_up_to_line=?, diff=" + diff);
                if (!fix) {
                    out.println("AOF " + name + " is not valid. Use the --fix option to try fixing it.");
                    return 1;
                }
                if (!last && e instanceof AofReader.Truncated) {
                    out.println("Only the last file of a multi part AOF can be truncated: " + name + " cannot be fixed");
                    return 1;
                }
                if (!yes && !confirm("This will shrink the AOF " + name + " from " + size + " bytes, with " + diff
                        + " bytes, to " + valid + " bytes\nContinue? [y/N]: ")) {
                    out.println("Aborting...");
                    return 1;
                }
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.truncate(valid);
                    ch.force(true);
                }
                out.println("Successfully truncated AOF " + name);
                return 0;
            }
        }
    }

    private boolean confirm(String prompt) throws IOException {
        out.print(prompt);
        out.flush();
        String line = new BufferedReader(new InputStreamReader(stdin)).readLine();
        return line != null && (line.trim().equalsIgnoreCase("y") || line.trim().equalsIgnoreCase("yes"));
    }

    private static boolean isRdb(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return Arrays.equals(in.readNBytes(5), new byte[] {'R', 'E', 'D', 'I', 'S'});
        }
    }
}
