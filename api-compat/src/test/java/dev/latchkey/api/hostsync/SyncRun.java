package dev.latchkey.api.hostsync;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One in-process run of host-sync, as the launcher runs it: its exit code and what it printed. */
record SyncRun(int exit, String out, String err) {
    static SyncRun of(Map<String, String> env, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = HostSync.run(args, env, o, e);
        }
        return new SyncRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** For assertion messages. */
    String describe() {
        return "exit " + exit + "\n  stdout: " + out + "\n  stderr: " + err;
    }
}
