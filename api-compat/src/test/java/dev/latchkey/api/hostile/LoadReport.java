package dev.latchkey.api.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The Markdown table of one run, {@code target/hostile-load.md}: a row per attack, printed as well. */
final class LoadReport {
    private final Path file;

    /**
     * A report table row.
     *
     * @param attack   the attack's name
     * @param requests requests or connections the attacker made
     * @param outcomes what the server did with them
     * @param probes   what the probes saw meanwhile
     */
    record Row(String attack, int requests, String outcomes, Prober.Report probes) {
        String markdown() {
            return "| " + attack + " | " + requests + " | " + outcomes + " | " + probes.verify().format() + " | "
                    + probes.health().format() + " | " + failures() + " |";
        }

        private String failures() {
            return probes.failures() == 0 ? "0" : probes.failures() + ": " + String.join("; ", probes.examples())
                    .replace("|", "\\|").replace("\n", " ");
        }
    }

    LoadReport(Path file, List<String> serverFlags) {
        this.file = file;
        write(String.join("\n",
                "# Hostile load against the packaged server",
                "",
                "Run " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", server JVM flags: `"
                        + String.join(" ", serverFlags) + "`, " + Runtime.getRuntime().availableProcessors()
                        + " cores on the test machine. Probes: one `ssh/verify` of a fresh OTP and one `sys/health` "
                        + "every ~" + Prober.PERIOD.toMillis() + " ms, " + RawHttp.seconds(Prober.TIMEOUT)
                        + " timeout each.",
                "",
                "| attack | requests by attacker | attacker outcomes (status counts / closed) | verify p50/p99/max "
                        + "| health p50/p99/max | probe failures |",
                "|---|---:|---|---|---|---|",
                ""), false);
    }

    void add(Row row) {
        String line = row.markdown();
        System.out.println("[hostile-load] " + line);
        write(line + "\n", true);
    }

    /** A row for an attack that could not run. */
    void skipped(String attack, String why) {
        String line = "| " + attack + " | 0 | not run: " + why + " | — | — | — |";
        System.out.println("[hostile-load] " + line);
        write(line + "\n", true);
    }

    /** A line of text after the table. */
    void note(String text) {
        System.out.println("[hostile-load] " + text);
        write("\n" + text + "\n", true);
    }

    Path file() {
        return file;
    }

    private void write(String text, boolean append) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
